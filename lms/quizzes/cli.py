"""`flask quizzes import-questions FILE`: load a GIFT or Aiken file into the question bank.

All or nothing: any error in the file is printed (file:line: field: message)
and nothing is written. Questions already in the bank (same content) are
skipped, so running the command twice is harmless.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from lms.extensions import db
from lms.quizzes import bank_import
from lms.users.services import get_user_by_email

quizzes_cli = AppGroup("quizzes", help="Question bank tools.")


@quizzes_cli.command("import-questions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--category",
    default="",
    help="Category for questions the file does not categorise.",
)
@click.option("--tag", "tags", multiple=True, help="A tag to add to every question.")
@click.option("--owner", "owner_email", default="", help="Email of the owning trainer.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *bank_import.FORMATS]),
    default="auto",
    show_default=True,
    help="File format; auto uses the extension (.gift, .aiken) or the content.",
)
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
def import_questions_command(
    file: Path,
    category: str,
    tags: tuple[str, ...],
    owner_email: str,
    fmt: str,
    dry_run: bool,
) -> None:
    """Import the questions of FILE into the bank (nothing at all if it has errors)."""
    owner = None
    if owner_email:
        owner = get_user_by_email(owner_email)
        if owner is None:
            raise click.ClickException(f"No account with the email {owner_email}.")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file}: not UTF-8 text ({exc.reason}).") from exc
    if fmt == "auto":
        fmt = bank_import.detect_format(text, file.name)
    result = bank_import.parse_bank_text(text, str(file), fmt)
    for error in result.errors:
        click.secho(str(error), fg="red", err=True)
    if not result.ok:
        raise click.ClickException(
            f"{len(result.errors)} error(s) in {file}; no questions were imported."
        )
    created, skipped = bank_import.import_questions(
        result, owner=owner, category=category, tags=tags
    )
    if dry_run:
        db.session.rollback()
        click.echo(
            f"{file}: {len(created)} question(s) would be imported, {skipped} already "
            "in the bank (dry run: nothing written)."
        )
        return
    db.session.commit()
    click.echo(
        f"Imported {len(created)} question(s) from {file} ({fmt.upper()}); "
        f"{skipped} already in the bank were skipped."
    )
