"""`flask seed demo` and `flask seed logins`."""

from __future__ import annotations

import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from lms.extensions import db
from lms.seed import SEED
from lms.seed.demo import DemoError, demo_password, demo_present, seed_demo
from lms.seed.people import ADMIN, DOMAIN, NAMED_ACCOUNTS
from lms.seed.scale import ScaleError, seed_scale
from lms.users.models import User

seed_cli = AppGroup("seed", help="Load demonstration data.")


@seed_cli.command("demo")
@click.option("--force", is_flag=True, help="Run even when ENV_NAME is production.")
def demo_command(force: bool) -> None:
    """Create demo people, teams, enrolments and history (once)."""
    if current_app.config.get("ENV_NAME") == "production" and not force:
        raise DemoError(
            "This is a production configuration (ENV_NAME = production): demo "
            "accounts with a published password do not belong here. Use --force "
            "if you really mean it."
        )
    if demo_present():
        click.echo(
            f"Demo data is already loaded ({ADMIN.email} exists); nothing to do."
        )
        return
    try:
        report = seed_demo()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Demo data loaded: {report.summary()}.")
    click.echo("Sign-in details: flask seed logins")


@seed_cli.command("scale")
@click.option("--people", default=10_000, show_default=True, type=click.IntRange(2))
@click.option(
    "--attempts", default=1_000_000, show_default=True, type=click.IntRange(0)
)
@click.option("--seed", "seed_value", default=SEED, show_default=True, type=int)
def scale_command(people: int, attempts: int, seed_value: int) -> None:
    """A large organisation for measuring pages: people in teams of about 50 with
    their managers, finished attempts, skill levels with evidence, goals,
    assignments and feedback (after `flask content import`). Never in production."""
    if current_app.config.get("ENV_NAME") == "production":
        raise ScaleError(
            "This is a production configuration (ENV_NAME = production): the scale "
            "data set is for measuring, never for a real organisation's database."
        )
    began = time.monotonic()
    try:
        report = seed_scale(people, attempts, seed=seed_value, password=demo_password())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(
        f"Scale data loaded in {time.monotonic() - began:.0f} s: {report.summary()}."
    )


@seed_cli.command("logins")
def logins_command() -> None:
    """Print the demo sign-ins: role, email and password."""
    users = {
        u.email: u
        for u in db.session.scalars(
            sa.select(User).where(User.email.in_([a.email for a in NAMED_ACCOUNTS]))
        )
    }
    if not users:
        raise DemoError("No demo accounts yet: run `flask seed demo` first.")
    password = demo_password()
    rows = [
        (users[a.email].role.label, a.email, password, users[a.email].name)
        for a in NAMED_ACCOUNTS
        if a.email in users
    ]
    header = ("Role", "Email", "Password", "Name")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, tuple("-" * w for w in widths), *rows):
        click.echo(
            "  ".join(
                cell.ljust(w) for cell, w in zip(row, widths, strict=True)
            ).rstrip()
        )
    click.echo(
        f"Every other demo learner (firstname.lastname@{DOMAIN}) uses the same password."
    )
