"""Assigning quizzes and keying tests to people or teams with a due date, required
or optional; what each learner has been assigned with their best result; who has
not passed by the due date; reminders of due dates and of attempts about to end.

This domain sits above courses and attempts: the attempt engine stays free of
assignments, and whom an assigner may choose is the course assignment's rule
(lms.courses.assignments), imported rather than restated.
"""
