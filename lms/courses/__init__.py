"""Courses, their modules (lessons), enrolments and progress."""
