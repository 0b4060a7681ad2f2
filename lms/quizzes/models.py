"""The question bank: reusable questions trainers author in the browser or import.

A bank question is one question dict of docs/content-format.md, split so the
bank can be filtered in SQL: `type`, `points`, `category` and `tags` are
columns, everything else (prompt, choices, answers, feedback, title) is in
`data`. `as_content()` puts the dict back together.

Quizzes themselves are `Assessment(kind="quiz")` rows (lms/attempts/models.py);
a browser-built quiz refers to bank questions from `content["slots"]`, and
`lms.quizzes.draws.resolve_questions` turns the slots into the question
dicts an attempt snapshots.

Denormalised helper columns, kept in step by `Question.refresh_derived()`:

* `tags_index` is "|tag|other tag|" so one tag can be matched with LIKE on
  SQLite and PostgreSQL alike (JSON containment differs between them);
* `search_text` is the folded text of title, prompt, choices, answers and
  feedback, for the bank's search box;
* `fingerprint` is a SHA-256 of the question's content, so importing the same
  file twice does not fill the bank with copies.

`source_key` marks the questions of the bundled content files (the quizzes'
questions and the GIFT/Aiken banks of quizzes/_banks), which `flask content
import` keeps in the bank: "<quiz slug>/<question id>" or
"_banks/<file name>/<question title>". Those rows are read-only in the browser
(lms.quizzes.file_bank owns the rule); every other row has None.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.extensions import db
from lms.origins import ORIGIN_UI
from lms.types import UTCDateTime
from lms.users.models import User

# A question's origin: ORIGIN_UI when typed into the browser editor, ORIGIN_FILE
# when imported from a GIFT or Aiken file (import page or command line). Unlike
# file-based quizzes, imported questions stay editable: the bank is not content
# as code, the file is only a way in.

# Keys that are columns, not part of `data`.
COLUMN_KEYS = ("id", "type", "points", "category", "tags")

__all__ = ["Question"]


def normalize_tags(raw: object) -> list[str]:
    """Tags are lowercase, trimmed, single-spaced, unique, in the order given.

    Accepts a list or a comma-separated string. A "|" cannot appear in a tag
    (it delimits `tags_index`), so it becomes a space.
    """
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list | tuple):
        return []
    tags: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            continue
        tag = " ".join(item.replace("|", " ").split()).casefold()
        if tag and tag not in tags:
            tags.append(tag[:60])
    return tags


def normalize_category(raw: object) -> str:
    """A category is a "/"-separated path; parts are trimmed and empty parts dropped."""
    if not isinstance(raw, str):
        return ""
    parts = [" ".join(p.split()) for p in raw.split("/")]
    return "/".join(p for p in parts if p)[:200]


class Question(db.Model):
    __table_args__ = (
        sa.Index("ix_question_archived_category", "is_archived", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    category: Mapped[str] = mapped_column(sa.String(200), default="")
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    type: Mapped[str] = mapped_column(sa.String(20), index=True)
    # The rest of the content-format dict: prompt, choices, answers, feedback...
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    points: Mapped[float] = mapped_column(default=1.0)
    is_archived: Mapped[bool] = mapped_column(default=False)
    origin: Mapped[str] = mapped_column(sa.String(10), default=ORIGIN_UI)
    tags_index: Mapped[str] = mapped_column(sa.String(2000), default="|")
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    fingerprint: Mapped[str] = mapped_column(sa.String(64), default="", index=True)
    source_key: Mapped[str | None] = mapped_column(sa.String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now(), onupdate=lambda: clock.now()
    )

    owner: Mapped[User | None] = relationship()

    @property
    def item_id(self) -> str:
        """The question's id inside quiz snapshots and attempt results."""
        return f"bank-{self.id}"

    @property
    def from_files(self) -> bool:
        """Kept in step with the content files by the import: read-only here."""
        return self.source_key is not None

    @property
    def source_file(self) -> str:
        """The content file a bundled question comes from ("" for the others)."""
        return source_file_of(self.source_key) if self.source_key else ""

    @property
    def title(self) -> str:
        """The GIFT title if there is one, else the start of the prompt as plain text."""
        data = self.data if isinstance(self.data, dict) else {}
        title = data.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        return plain_snippet(data.get("prompt", ""))

    @property
    def snippet(self) -> str:
        """The start of the prompt as plain text (shown under a title)."""
        data = self.data if isinstance(self.data, dict) else {}
        return plain_snippet(data.get("prompt", ""))

    def as_content(self) -> dict[str, Any]:
        """The question as a content-format dict (what grading and snapshots use)."""
        content = {k: v for k, v in (self.data or {}).items() if k not in COLUMN_KEYS}
        points = self.points
        return {
            "id": self.item_id if self.id is not None else "new",
            "type": self.type,
            **content,
            "points": int(points) if float(points).is_integer() else points,
            "category": self.category,
            "tags": list(self.tags or []),
        }

    def set_content(self, question: dict[str, Any]) -> None:
        """Copy a content-format dict into the columns (id is ignored)."""
        self.type = str(question.get("type", ""))
        points = question.get("points", 1)
        self.points = float(points) if isinstance(points, int | float) else 1.0
        self.category = normalize_category(question.get("category"))
        self.tags = normalize_tags(question.get("tags"))
        self.data = {k: v for k, v in question.items() if k not in COLUMN_KEYS}
        self.refresh_derived()

    def refresh_derived(self) -> None:
        self.tags_index = "|" + "|".join(self.tags or []) + "|"
        self.search_text = _search_text(self.data or {}, self.category)
        self.fingerprint = content_fingerprint(
            self.type, self.points, self.category, self.data or {}
        )


BANKS_FOLDER = "_banks"


def quiz_source_key(slug: str, question_id: str) -> str:
    """The `source_key` of question `question_id` of quizzes/<slug>.toml."""
    return f"{slug}/{question_id}"


def bank_source_key(filename: str, local_id: str) -> str:
    """The `source_key` of a question of the bank file quizzes/_banks/<filename>."""
    return f"{BANKS_FOLDER}/{filename}/{local_id}"


def source_file_of(key: str) -> str:
    """The content file a `source_key` comes from, as the repository names it."""
    if key.startswith(BANKS_FOLDER + "/"):
        return "quizzes/" + key.rsplit("/", 1)[0]
    return f"quizzes/{key.partition('/')[0]}.toml"


_MARKDOWN_MARKS = re.compile(r"(\*\*|__|`|^#+\s+|^>\s+)", re.MULTILINE)


def plain_snippet(text: object, limit: int = 120) -> str:
    """Markdown prompt text as one plain line for lists: no **, `, # or line breaks."""
    if not isinstance(text, str):
        return ""
    plain = " ".join(_MARKDOWN_MARKS.sub("", text).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def content_fingerprint(
    qtype: str, points: float, category: str, data: dict[str, Any]
) -> str:
    """Same question text, answers and category → same fingerprint (tags ignored)."""
    canonical = json.dumps(
        {"type": qtype, "points": float(points), "category": category, "data": data},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _search_text(data: dict[str, Any], category: str) -> str:
    parts: list[str] = [category]
    for key in ("title", "prompt", "feedback", "units"):
        value = data.get(key)
        if isinstance(value, str):
            parts.append(value)
    for choice in data.get("choices") or []:
        if isinstance(choice, dict) and isinstance(choice.get("text"), str):
            parts.append(choice["text"])
    for key in ("answers", "items"):
        for value in data.get(key) or []:
            if isinstance(value, str):
                parts.append(value)
    return " ".join(" ".join(parts).split()).casefold()
