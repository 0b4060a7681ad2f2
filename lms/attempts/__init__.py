"""The timed-attempt engine shared by every assessment kind (quizzes and keying tests)."""
