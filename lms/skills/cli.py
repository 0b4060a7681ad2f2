"""`flask skills ...`: the skills framework as CSV from the command line.

    flask skills export FILE             every active skill, one per line ("-": stdout)
    flask skills import FILE [--dry-run] create or update skills; all or nothing

The format is lms.skills.csv_io (docs/content-format.md, "Framework CSV").
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.extensions import db
from lms.skills import framework_csv

skills_cli = AppGroup("skills", help="Export and import the skills framework.")


@skills_cli.command("export")
@click.argument("file", type=click.File("w", encoding="utf-8", lazy=True))
def export_command(file) -> None:
    """Write the framework's active skills as CSV to FILE."""
    text = framework_csv.export_csv()
    file.write(text)
    count = text.count("\r\n") - 1
    click.echo(f"Exported {count} skill{'s' if count != 1 else ''}.", err=True)


@skills_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Check the file; write nothing.")
def import_command(file, dry_run: bool) -> None:
    """Create or update skills from a CSV file (the export's format).

    All or nothing: if any line has a problem, every problem is listed with its
    line number and nothing is imported.
    """
    data = file.read()
    if dry_run:
        preview = framework_csv.preview_import(data)
        _print_problems(preview.errors)
        if not preview.ok:
            raise click.ClickException(
                f"{len(preview.errors)} problem(s) found; nothing would be imported."
            )
        click.echo(
            f"Would create {len(preview.created)}, update {len(preview.updated)} and "
            f"leave {len(preview.unchanged)} skills unchanged; "
            f"{len(preview.new_categories)} new categories."
        )
        return
    try:
        outcome = framework_csv.import_framework(data, by=None)
    except framework_csv.ImportRejectedError as exc:
        db.session.rollback()
        _print_problems(exc.preview.errors)
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"Created {len(outcome.created)}, updated {len(outcome.updated)}, "
        f"{outcome.unchanged} unchanged; {len(outcome.new_categories)} new categories."
    )


def _print_problems(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
