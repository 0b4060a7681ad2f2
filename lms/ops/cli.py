"""`flask backup FILE` and `flask restore FILE --yes`: the database to a file and
back (lms.ops.backup does the work)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from lms.errors import DomainError
from lms.ops import backup

FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("backup")
@click.argument("file", type=FILE)
@with_appcontext
def backup_command(file: Path) -> None:
    """Copy the database to FILE while the app keeps serving (SQLite: online
    backup; PostgreSQL: pg_dump -Fc). Row counts are recorded in FILE.json."""
    try:
        counts = backup.backup(file)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Backed up {sum(counts.values())} rows in {len(counts)} tables to {file} "
        f"(row counts in {backup.manifest_path(file)})."
    )


@click.command("restore")
@click.argument("file", type=FILE)
@click.option("--yes", is_flag=True, help="Replace the database's contents.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace everything in the database with the backup FILE. The file is
    checked first; stop the app's servers before running it with --yes."""
    try:
        manifest = backup.describe(file)
        if not yes:
            raise click.ClickException(_refusal(file, manifest))
        counts = backup.restore(file)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Restored {sum(counts.values())} rows in {len(counts)} tables from {file}; "
        "the integrity check passed"
        + (" and every table matches the backup's record." if manifest else ".")
    )


def _refusal(file: Path, manifest: dict) -> str:
    tables = manifest.get("tables")
    what = (
        f"{sum(tables.values())} rows in {len(tables)} tables, "
        f"taken {manifest.get('taken_at', 'at an unknown time')}"
        if tables
        else "no row counts recorded"
    )
    return (
        f"{file} is a usable backup ({what}). Restoring replaces everything in the "
        "database. Run again with --yes to do it."
    )
