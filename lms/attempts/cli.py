"""`flask attempts ...`: the expiry sweep (run it from cron, e.g. every minute)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.attempts import services
from lms.extensions import db

attempts_cli = AppGroup("attempts", help="Timed attempts.")


@attempts_cli.command("expire")
def expire_command() -> None:
    """Apply each assessment's expiry policy to live attempts past deadline + grace.

    Pages and the API already do this lazily whenever an attempt is opened; the
    sweep covers learners who never come back. Safe to run at any time and in
    parallel with traffic: each attempt is closed by one conditional update.
    """
    report = services.expire_overdue()
    db.session.commit()
    click.echo(f"Expired attempts: {report.summary()}")
