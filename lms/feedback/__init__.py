"""Feedback from trainers, managers and mentors on an attempt or on a person:
a strength and one thing to improve, read, answered once and acknowledged."""
