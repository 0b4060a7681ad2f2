"""The bundled questions in the question bank: every question of every quiz file
(quizzes/<slug>.toml) and of every GIFT or Aiken bank in quizzes/_banks is a
bank row, so a new trainer's bank is not empty and the bundled questions can be
reused in the quizzes trainers build in the browser.

* `flask content import` (lms.content.importer) calls `sync_file_questions`
  in its one transaction. Each file question has a stable key
  (`Question.source_key`, lms.quizzes.models): "<quiz slug>/<question id>" for
  a quiz's question, "_banks/<file name>/<question title>" for a bank's (a
  question without a title is known by a hash of its prompt). A re-import updates a changed
  question in place; a question gone from the files is archived, never
  deleted, so quizzes that fixed it keep working; one that comes back is
  restored. Unchanged questions are not written, so a second import changes
  nothing.
* The rows belong to nobody (`owner_id` None) and keep origin "file". They
  are read-only in the browser: `can_edit_question` (lms.quizzes.policies)
  refuses them and the pages say why (`read_only_message`). "Duplicate to
  edit" (`duplicate`) makes an editable browser copy owned by the trainer.
* File quizzes' attempts never read these rows: they snapshot the quiz's own
  questions with the ids of the file, as before. An editable copy of a file
  quiz (lms.quizzes.copying) fixes these rows in its slots (`quiz_rows`).
* A bank question's category: its own, else for a bank file without
  `$CATEGORY` the file's name in words ("back-office-basics.aiken.txt" →
  "Back office basics").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lms.content.specs import AssessmentSpec, ContentError
from lms.extensions import db
from lms.origins import ORIGIN_FILE, ORIGIN_UI
from lms.quizzes import bank_import
from lms.quizzes.kind import QUIZ
from lms.quizzes.models import (
    BANKS_FOLDER,
    Question,
    bank_source_key,
    quiz_source_key,
)
from lms.users.models import User

BANK_FORMATS = {".gift": "gift", ".aiken": "aiken"}


@dataclass(frozen=True)
class FileQuestion:
    """One question as the files give it: its stable key and its content dict."""

    key: str
    content: dict[str, Any]


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived)

    def __str__(self) -> str:
        parts = [
            f"{n} {word}"
            for n, word in (
                (self.created, "added"),
                (self.updated, "updated"),
                (self.archived, "archived"),
            )
            if n
        ]
        return ", ".join(parts) or "unchanged"


def read_only_message(question: Question) -> str:
    return (
        f"This question comes from the content files ({question.source_file}) and "
        "is read-only here: change it in the file, or use “Duplicate to edit” for "
        "an editable copy of your own."
    )


# --------------------------------------------------------------------------
# Reading the files (pure)
# --------------------------------------------------------------------------


def quiz_questions(specs: Iterable[AssessmentSpec]) -> list[FileQuestion]:
    """The questions of the quiz files the loader read, keyed by quiz and id."""
    return [
        FileQuestion(quiz_source_key(spec.slug, q["id"]), _without_id(q))
        for spec in specs
        if spec.kind == QUIZ
        for q in spec.content.get("questions") or []
    ]


def read_bank_files(
    quizzes_dir: Path | str,
) -> tuple[list[FileQuestion], list[ContentError]]:
    """Every question of quizzes/_banks/*.gift and *.aiken(.txt), and every problem
    found (a file with a problem gives no questions). Other files are ignored."""
    folder = Path(quizzes_dir) / BANKS_FOLDER
    if not folder.is_dir():
        return [], []
    questions: list[FileQuestion] = []
    errors: list[ContentError] = []
    for path in sorted(folder.iterdir()):
        fmt = _bank_format(path)
        if fmt is None or not path.is_file():
            continue
        rel = f"{folder.parent.name}/{BANKS_FOLDER}/{path.name}"
        result = bank_import.parse_bank_text(path.read_text("utf-8"), rel, fmt)
        if not result.ok:
            errors += [
                ContentError(rel, e.line, e.field, e.message) for e in result.errors
            ]
            continue
        questions += _bank_questions(path.name, result.questions)
    return questions, errors


def _bank_format(path: Path) -> str | None:
    if path.name.startswith("."):
        return None
    return next((BANK_FORMATS[s] for s in path.suffixes if s in BANK_FORMATS), None)


def _bank_questions(filename: str, parsed: list[dict[str, Any]]) -> list[FileQuestion]:
    default_category = filename.split(".")[0].replace("-", " ").capitalize()
    seen: set[str] = set()
    questions = []
    for question in parsed:
        content = _without_id(question)
        content["category"] = content.get("category") or default_category
        local = _local_id(content)
        while local in seen:
            local += "+"
        seen.add(local)
        questions.append(FileQuestion(bank_source_key(filename, local), content))
    return questions


def _local_id(content: dict[str, Any]) -> str:
    """A bank question's title, else a hash of its prompt: both survive reordering."""
    title = content.get("title")
    if isinstance(title, str) and title.strip():
        return " ".join(title.split())[:120]
    prompt = str(content.get("prompt", ""))
    return "prompt-" + hashlib.sha256(prompt.encode()).hexdigest()[:16]


def _without_id(question: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in question.items() if k != "id"}


# --------------------------------------------------------------------------
# Writing the bank rows
# --------------------------------------------------------------------------


def sync_file_questions(questions: Iterable[FileQuestion]) -> SyncCounts:
    """Upsert the file questions by key; archive file rows whose key is gone. Flushes."""
    existing = {
        q.source_key: q
        for q in db.session.scalars(
            sa.select(Question).where(Question.source_key.is_not(None))
        )
    }
    counts = SyncCounts()
    present: set[str] = set()
    for item in questions:
        present.add(item.key)
        row = existing.get(item.key)
        if row is None:
            db.session.add(_new_row(item))
            counts.created += 1
        elif _refresh(row, item.content):
            counts.updated += 1
        else:
            counts.unchanged += 1
    for key, row in existing.items():
        if key not in present and not row.is_archived:
            row.is_archived = True
            counts.archived += 1
    db.session.flush()
    return counts


def _new_row(item: FileQuestion) -> Question:
    row = Question(
        owner_id=None, origin=ORIGIN_FILE, source_key=item.key, is_archived=False
    )
    row.set_content(item.content)
    return row


def _refresh(row: Question, content: dict[str, Any]) -> bool:
    """Bring a row in line with its file; True when anything changed."""
    probe = Question()
    probe.set_content(content)
    changed = row.is_archived or (
        (row.type, row.fingerprint, list(row.tags or []))
        != (probe.type, probe.fingerprint, probe.tags)
    )
    if changed:
        row.set_content(content)
        row.is_archived = False
    return changed


def quiz_rows(slug: str, questions: list[dict[str, Any]]) -> list[Question]:
    """The bank rows of a file quiz's questions, in the quiz's order. A question the
    bank does not hold yet (content imported before the bank kept file questions)
    gets its row now, as the next import would give it."""
    keys = [quiz_source_key(slug, q["id"]) for q in questions]
    rows = {
        q.source_key: q
        for q in db.session.scalars(
            sa.select(Question).where(Question.source_key.in_(keys))
        )
    }
    for key, question in zip(keys, questions, strict=True):
        if key not in rows:
            rows[key] = _new_row(FileQuestion(key, _without_id(question)))
            db.session.add(rows[key])
    db.session.flush()
    return [rows[key] for key in keys]


def duplicate(question: Question, owner: User) -> Question:
    """An editable copy of any bank question, owned by `owner`. Flushes."""
    copy = Question(owner_id=owner.id, origin=ORIGIN_UI, is_archived=False)
    copy.set_content(question.as_content())
    db.session.add(copy)
    db.session.flush()
    return copy
