"""Quizzes: question bank, grading, item statistics and GIFT/Aiken import."""
