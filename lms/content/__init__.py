"""Catalogue content as files: load, validate and import courses/ and quizzes/."""
