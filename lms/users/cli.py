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


@users_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--create-missing-teams",
    is_flag=True,
    help="Create teams named in the file that do not exist yet.",
)
@click.option("--dry-run", is_flag=True, help="Check the file; write nothing.")
def import_command(file, create_missing_teams: bool, dry_run: bool) -> None:
    """Create accounts from a CSV file (email,name,role,team,job_title,password).

    All or nothing: if any line has a problem, every problem is listed with its line
    number and nobody is imported. Generated passwords are printed once, as CSV.
    """
    data = file.read()
    if dry_run:
        result = services.preview_import(
            data, create_missing_teams=create_missing_teams
        )
        _print_problems(result.errors)
        if not result.ok:
            raise click.ClickException(
                f"{len(result.errors)} problem(s) found; nothing would be imported."
            )
        click.echo(f"{len(result.rows)} people would be imported.")
        _echo_new_teams(result.new_teams)
        return
    try:
        outcome = services.import_users(data, create_missing_teams=create_missing_teams)
    except services.ImportRejectedError as exc:
        db.session.rollback()
        _print_problems(exc.validation.errors)
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Imported {len(outcome.users)} people.")
    _echo_new_teams([team.name for team in outcome.teams_created])
    if outcome.generated_passwords:
        click.echo("Generated passwords (shown once):")
        click.echo("email,password")
        for email, password in outcome.generated_passwords:
            click.echo(f"{email},{password}")


def _print_problems(problems) -> None:
    for problem in problems:
        click.secho(str(problem), fg="red", err=True)


def _echo_new_teams(names: list[str]) -> None:
    if names:
        click.echo(f"New teams: {', '.join(names)}")
