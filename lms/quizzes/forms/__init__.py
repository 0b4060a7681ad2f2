"""Input schemas of the trainer's quiz pages, one module per page family:
`question` (the question editor), `bank_import` (GIFT/Aiken import),
`builder` (quiz settings and random draws) and `review` (grading an item,
granting an override). `fields` holds what they share.

Field checks here are about input shape (a number is a number); the rules of
the domain are the services' and the settings owner's (lms.quizzes.settings).
"""
