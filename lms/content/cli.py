"""`flask content ...`: check and import courses/ (with the skills framework and
career paths of courses/_catalog/) and quizzes/.

    flask content check              every problem as `path:line: field: message`;
                                     exit 1 when there is any
    flask content import [--dry-run] upsert by slug in one transaction; exit 1 (and
                                     nothing written) when the files have errors

Both also print item-writing cues found in quizzes (lms.quizzes.item_cues) as
`path:line: questions: warning: message`, pointing at the question's `id` line.
Warnings are advice for the author: they never change the exit code.

Both read CONTENT_COURSES_DIR and CONTENT_QUIZZES_DIR unless --courses/--quizzes
are given. Further commands (e.g. `import-questions FILE`) join `content_cli`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.content import importer, loader
from lms.content.loader import ContentError
from lms.content.specs import AssessmentSpec
from lms.extensions import db
from lms.quizzes import file_bank
from lms.quizzes.item_cues import item_cue_warnings
from lms.quizzes.settings import QuizSettings

content_cli = AppGroup("content", help="Validate and import catalogue content.")

_dir_type = click.Path(file_okay=False, path_type=Path)
courses_option = click.option(
    "--courses",
    "courses_dir",
    type=_dir_type,
    help="Courses folder (default: CONTENT_COURSES_DIR).",
)
quizzes_option = click.option(
    "--quizzes",
    "quizzes_dir",
    type=_dir_type,
    help="Quizzes folder (default: CONTENT_QUIZZES_DIR).",
)


def content_dirs(
    courses_dir: Path | None, quizzes_dir: Path | None
) -> tuple[Path, Path]:
    return (
        courses_dir or Path(current_app.config["CONTENT_COURSES_DIR"]),
        quizzes_dir or Path(current_app.config["CONTENT_QUIZZES_DIR"]),
    )


def echo_errors(errors: Iterable[ContentError]) -> int:
    """Print each error as path:line: field: message (to stderr); returns how many."""
    errors = list(errors)
    for error in errors:
        click.echo(str(error), err=True)
    if errors:
        files = len({e.path for e in errors})
        click.secho(
            f"{_plural(len(errors), 'error')} in {_plural(files, 'file')}.",
            fg="red",
            err=True,
        )
    return len(errors)


def echo_warnings(specs: Iterable[AssessmentSpec], quizzes_dir: Path) -> int:
    """Print each quiz's retake pattern and item-writing cues as
    path:line: field: warning: message (to stderr); returns how many."""
    found = [
        (spec.path, line, field, message)
        for spec in specs
        if spec.kind == "quiz"
        for line, field, message in _located_warnings(spec, quizzes_dir)
    ]
    for path, line, field, message in found:
        click.echo(f"{path}:{line}: {field}: warning: {message}", err=True)
    if found:
        files = len({path for path, *_ in found})
        click.secho(
            f"{_plural(len(found), 'warning')} in {_plural(files, 'file')} "
            "(advice only: the files still load).",
            fg="yellow",
            err=True,
        )
    return len(found)


def question_line(text: str, question_id: str) -> int:
    """The 1-based line of `id = "<question_id>"` in a quiz file's text (1 if absent)."""
    pattern = re.compile(
        r"^[ \t]*id[ \t]*=[ \t]*([\"'])" + re.escape(question_id) + r"\1", re.MULTILINE
    )
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _located_warnings(
    spec: AssessmentSpec, quizzes_dir: Path
) -> list[tuple[int, str, str]]:
    """(line, field, message) of every warning about one quiz file."""
    questions = spec.content.get("questions", [])
    retake = QuizSettings.from_stored(spec.settings).retake_warnings(
        spec.attempts_allowed, len(questions)
    )
    cues = item_cue_warnings(questions)
    if not cues and not retake:
        return []
    # Spec paths are relative to the content root, the folder above quizzes/.
    text = (quizzes_dir.parent / spec.path).read_text(encoding="utf-8")
    return [
        (key_line(text, "attempts_allowed"), "attempts_allowed", m) for m in retake
    ] + [(question_line(text, c.question_id), "questions", c.message) for c in cues]


def key_line(text: str, key: str) -> int:
    """The 1-based line of a top-level `key = ...` in a file's text (1 if absent)."""
    match = re.search(rf"^{re.escape(key)}[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


@content_cli.command("check")
@courses_option
@quizzes_option
def check_command(courses_dir: Path | None, quizzes_dir: Path | None) -> None:
    """Validate every course and assessment file; the database is not touched."""
    courses_dir, quizzes_dir = content_dirs(courses_dir, quizzes_dir)
    catalog = loader.load_content(courses_dir, quizzes_dir)
    bank_questions, bank_errors = file_bank.read_bank_files(quizzes_dir)
    echo_warnings(catalog.assessments, quizzes_dir)
    if echo_errors([*catalog.errors, *bank_errors]):
        raise SystemExit(1)
    summary = (
        f"{_plural(len(catalog.courses), 'course')}, "
        f"{_plural(len(catalog.assessments), 'assessment')}"
    )
    if bank_questions:
        summary += f", {_plural(len(bank_questions), 'bank question')}"
    skills = catalog.skill_catalog
    if skills is not None and skills.present:
        summary += (
            f", {_plural(len(skills.skills), 'skill')}, "
            f"{_plural(len(skills.paths), 'career path')}"
        )
    click.echo(summary + " OK")


@content_cli.command("import")
@click.option("--dry-run", is_flag=True, help="Show what would change, then roll back.")
@courses_option
@quizzes_option
def import_command(
    dry_run: bool, courses_dir: Path | None, quizzes_dir: Path | None
) -> None:
    """Create or update courses and assessments by slug, in one transaction.

    Browser-authored rows are never overwritten; content whose files are gone is
    unpublished, never deleted.
    """
    courses_dir, quizzes_dir = content_dirs(courses_dir, quizzes_dir)
    echo_warnings(loader.load_assessments(quizzes_dir)[0], quizzes_dir)
    try:
        report = importer.import_content(courses_dir, quizzes_dir, dry_run=dry_run)
        if report.errors:
            db.session.rollback()
            echo_errors(report.errors)
            click.secho("Nothing was imported.", fg="red", err=True)
            raise SystemExit(1)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for name in ("created", "updated", "unpublished", "skipped"):
        for change in getattr(report, name):
            click.echo(f"  {name:<11} {change}")
    prefix = "Dry run (nothing written): " if dry_run else "Imported: "
    click.echo(prefix + report.summary() + ".")
    if report.skipped:
        click.secho(
            f"{_plural(len(report.skipped), 'item')} skipped: see above.",
            fg="yellow",
            err=True,
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _register_question_import() -> None:
    """`flask content import-questions FILE` is the question-bank importer, under the
    name the content commands use (`flask quizzes import-questions` is the same)."""
    from lms.quizzes.cli import import_questions_command

    content_cli.add_command(import_questions_command, name="import-questions")


_register_question_import()
