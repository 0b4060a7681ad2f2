"""Courses: services, pages for learners and trainers, assigning."""
