"""`flask users ...`: account administration from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.errors import DomainError
from lms.extensions import db
from lms.users import services
from lms.users.models import Role

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default="learner")
@click.password_option()
def create_command(email: str, name: str, role: str, password: str) -> None:
    """Create an account."""
    try:
        user = services.create_user(
            email=email, name=name, password=password, role=role
        )
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role_command(email: str, role: str) -> None:
    """Change an account's role."""
    user = services.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    services.set_role(user, role)
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")
