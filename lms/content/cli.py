"""`flask content ...`: check and import courses/ and quizzes/."""

from flask.cli import AppGroup

content_cli = AppGroup("content", help="Validate and import catalogue content.")
