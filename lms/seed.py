"""`flask seed demo`: demo people, teams, enrolments and history."""

from flask.cli import AppGroup

seed_cli = AppGroup("seed", help="Load demonstration data.")
