"""Tests for lms.quizzes: grading, GIFT/Aiken import and item statistics."""
