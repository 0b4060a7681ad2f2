"""Editable copies of content that comes from the files: what every kind of copy
shares (a course, a quiz, a keying test).

A copy is a new browser-owned row (origin "ui") owned by the trainer who made
it, a draft (learners see it once its owner publishes it), titled
"<title> (copy)", with a fresh short name "<slug>-copy", "<slug>-copy-2", ...
Every other column is copied as it is, so columns added later are copied too;
the file version is never changed. Each domain adds what only it knows
(lms.courses.copying, lms.quizzes.copying, lms.keying.copying) and
lms.content.copies adds the skill mappings and the audit entry.
"""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa

from lms.extensions import db
from lms.origins import ORIGIN_UI
from lms.users.models import User

COPY_SUFFIX = " (copy)"
# Columns a copy sets itself, never takes from the original.
NOT_COPIED = frozenset(
    {
        "id",
        "slug",
        "title",
        "origin",
        "owner_id",
        "is_published",
        "content_hash",
        "version",
        "created_at",
        "updated_at",
    }
)
SLUG_LENGTH = 80


def copy_title(title: str, limit: int = 200) -> str:
    return title[: limit - len(COPY_SUFFIX)] + COPY_SUFFIX


def free_slug(model: type, slug: str) -> str:
    """ "<slug>-copy", or the first "<slug>-copy-N" no row of `model` has."""
    base = f"{slug[: SLUG_LENGTH - 12]}-copy"
    taken = set(
        db.session.scalars(
            sa.select(model.slug).where(model.slug.startswith(base, autoescape=True))
        )
    )
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def copied_values(row: Any, *, skip: frozenset[str]) -> dict[str, Any]:
    """Every column of `row` but `skip`, JSON values deep-copied."""
    names = [attr.key for attr in sa.inspect(type(row)).column_attrs]
    return {
        name: copy.deepcopy(getattr(row, name)) for name in names if name not in skip
    }


def editable_copy(row: Any, owner: User) -> Any:
    """A new, unsaved draft of `row`'s class: its columns, owned by `owner`."""
    model = type(row)
    return model(
        **copied_values(row, skip=NOT_COPIED),
        slug=free_slug(model, row.slug),
        title=copy_title(row.title),
        origin=ORIGIN_UI,
        owner_id=owner.id,
        is_published=False,
    )
