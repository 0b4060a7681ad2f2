"""`flask keying ...`: housekeeping for keying tests."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from lms.extensions import db
from lms.keying import services

keying_cli = AppGroup("keying", help="Keying tests: keystroke log retention.")


@keying_cli.command("reduce-events")
@click.option(
    "--older-than-days",
    type=click.IntRange(min=0),
    default=None,
    help="Reduce logs of attempts finished more than this many days ago "
    "(default: KEYSTROKE_RETENTION_DAYS).",
)
def reduce_events_command(older_than_days: int | None) -> None:
    """Keep keystroke summaries of old attempts and delete their raw logs."""
    days = (
        older_than_days
        if older_than_days is not None
        else int(current_app.config["KEYSTROKE_RETENTION_DAYS"])
    )
    count = services.reduce_old_events(days)
    db.session.commit()
    click.echo(
        f"Reduced the keystroke logs of {count} attempt(s) finished more than "
        f"{days} day(s) ago."
    )
