"""`flask notifications sweep`: due dates coming up and attempts about to end
(run it from cron, e.g. every five minutes)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms import clock
from lms.extensions import db
from lms.notifications import sweeps

notifications_cli = AppGroup("notifications", help="In-app notifications.")


@notifications_cli.command("sweep")
def sweep_command() -> None:
    """Tell people about due dates within two days and attempts ending within ten
    minutes. Safe to run as often as you like: nobody is told the same thing twice."""
    counts = sweeps.run(clock.now())
    db.session.commit()
    summary = ", ".join(f"{name}: {n}" for name, n in counts.items()) or "nothing"
    click.echo(f"New notifications: {summary}")
