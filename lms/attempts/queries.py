"""Reading attempts and assessments for the engine and its pages: one attempt
with what its checks need, the published assessment by slug, the live attempt,
saved responses and events, the engine settings frozen into a snapshot, the
learner's catalogue and history lists. Also `AttemptStateError`, the 409 whose
code tells the browser why, and `get_kind`, the registry lookup as a 409.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import defer, joinedload

from lms.attempts import kinds, timing
from lms.attempts.models import (
    IN_PROGRESS,
    SUBMITTED,
    Assessment,
    Attempt,
    KeystrokeChunk,
    Response,
)
from lms.errors import (
    ConflictError,
    NotFoundError,
)
from lms.extensions import db
from lms.security import person_statement, read_person_with
from lms.users.models import User


class AttemptStateError(ConflictError):
    """A 409 whose `code` names the reason, so the browser can act on it."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.code = reason


# --------------------------------------------------------------------------
# Kinds
# --------------------------------------------------------------------------


def get_kind(name: str) -> kinds.AssessmentKind:
    try:
        return kinds.get(name)
    except kinds.UnknownKind:
        raise AttemptStateError(
            "kind_unavailable", "This kind of assessment cannot be taken yet."
        ) from None


def kind_available(name: str) -> bool:
    return kinds.is_registered(name)


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def finished() -> sa.ColumnElement[bool]:
    """A submitted attempt, tested without the (state, submitted) indexes: a
    planner short of statistics (SQLite always, PostgreSQL on a young table)
    would rather walk one of those in date order (every finished attempt in the
    academy) than look up the few people a page shows by the learner index.
    Use it wherever the query also narrows by person."""
    return sa.func.coalesce(Attempt.state, "") == SUBMITTED


def get_attempt(
    attempt_id: int, *, with_responses: bool = False, with_assessment: bool = True
) -> Attempt:
    """The attempt with its assessment (content deferred) and learner's team
    joined. `with_responses` reads its saved answers in the same statement and
    notes them for `responses_for`: pages that show them and submits that
    score them save a round trip to the database. With the answers,
    `with_assessment=False` leaves the assessment to load only if used: a
    take page needs nothing of it but the title, which the snapshot holds
    (`title_of`); and when `read_attempt_with_person` already read the
    attempt with the signed-in person, it is taken from there, without SQL."""
    params = {"attempt_id": attempt_id}
    if not with_responses:
        attempt = db.session.scalar(_attempt_statement(), params)
    elif not with_assessment and attempt_id in db.session.info.get(
        _READ_WITH_PERSON, {}
    ):
        attempt = db.session.info[_READ_WITH_PERSON][attempt_id]
    else:
        statement = _attempt_with_responses_statement(with_assessment)
        row = db.session.execute(statement, params).first()
        attempt = None if row is None else row[0]
        if attempt is not None:
            _note_responses(attempt.id, row.row_version, row.responses or {})
    if attempt is None:
        raise NotFoundError("There is no such attempt.")
    return attempt


@cache
def _attempt_statement() -> sa.Select:
    """Built once: every save, submit and page of an attempt runs it, and
    building its loader options cost a fifth of running it."""
    return (
        sa.select(Attempt)
        .where(Attempt.id == sa.bindparam("attempt_id"))
        .options(
            joinedload(Attempt.assessment).options(
                defer(Assessment.content, raiseload=True)
            ),
            joinedload(Attempt.user).joinedload(User.team),
        )
    )


@cache
def _attempt_with_responses_statement(with_assessment: bool) -> sa.Select:
    """The attempt (with its assessment, if asked), its row_version as read and
    its answers as one JSON object by item id (all from the same snapshot of
    the row). Only the attempt's own learner needs its answers (to take or
    submit it), and that person is already loaded, so the learner and team
    are not joined."""
    statement = sa.select(*_attempt_with_answers()).where(
        Attempt.id == sa.bindparam("attempt_id")
    )
    if not with_assessment:
        return statement
    return statement.options(
        joinedload(Attempt.assessment).options(
            defer(Assessment.content, raiseload=True)
        )
    )


def _attempt_with_answers() -> tuple:
    """The attempt, its row_version as read, and its saved answers as one JSON
    object by item id (NULL or {} for none)."""
    table = Response.__table__
    answers = (
        sa.select(_json_object_of(table.c.item_id, table.c.value))
        .where(table.c.attempt_id == Attempt.id)
        .scalar_subquery()
    )
    return (
        Attempt,
        Attempt.row_version.label("row_version"),
        sa.type_coerce(answers, sa.JSON).label("responses"),
    )


def read_attempt_with_person(attempt_id: int) -> None:
    """Read the signed-in person and this attempt with its saved answers in
    one statement, for a take page (two round trips to the database become
    one): `get_attempt(attempt_id, with_responses=True, with_assessment=False)`
    then finds it in the session. Call from a url_value_preprocessor."""

    def read(user_id: int) -> User | None:
        params = {"user_id": user_id, "attempt_id": attempt_id}
        row = db.session.execute(_person_with_attempt_statement(), params).first()
        if row is None:
            return None
        person, attempt, row_version, responses = row
        if attempt is not None:
            _note_responses(attempt_id, row_version, responses or {})
            # Kept here, as the session only holds loaded rows weakly.
            db.session.info.setdefault(_READ_WITH_PERSON, {})[attempt_id] = attempt
        return person

    read_person_with(read)


_READ_WITH_PERSON = "attempts read with the person"


@cache
def _person_with_attempt_statement() -> sa.Select:
    """The person as every page reads them, and beside them the attempt (if
    there is one by that id) as the take page reads it."""
    return (
        person_statement()
        .with_only_columns(User, *_attempt_with_answers())
        .outerjoin(Attempt, Attempt.id == sa.bindparam("attempt_id"))
    )


class _json_object_of(sa.sql.functions.GenericFunction):  # noqa: N801 (a SQL function)
    """Aggregate key/value rows into one JSON object; NULL or {} for no rows."""

    inherit_cache = True
    type = sa.JSON()


@compiles(_json_object_of, "postgresql")
def _json_object_of_postgresql(element, compiler, **kw):
    return f"json_object_agg({compiler.process(element.clauses, **kw)})"


@compiles(_json_object_of, "sqlite")
def _json_object_of_sqlite(element, compiler, **kw):
    key, value = element.clauses
    return (
        f"json_group_object({compiler.process(key, **kw)}, "
        f"json({compiler.process(value, **kw)}))"
    )


def get_published(slug: str) -> Assessment:
    assessment = db.session.scalar(
        sa.select(Assessment).where(
            Assessment.slug == slug, Assessment.is_published.is_(True)
        )
    )
    if assessment is None:
        raise NotFoundError("There is no such assessment.")
    return assessment


def live_attempt(user: User, assessment: Assessment) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt).where(
            Attempt.user_id == user.id,
            Attempt.assessment_id == assessment.id,
            Attempt.state == IN_PROGRESS,
        )
    )


def responses_for(attempt: Attempt) -> dict[str, Any]:
    """The attempt's saved answers by item id."""
    known = db.session.info.get(_KNOWN_RESPONSES, {}).get(attempt.id)
    if known is not None and known[0] == attempt.row_version:
        return dict(known[1])
    rows = db.session.execute(_responses_statement(), {"attempt_id": attempt.id})
    return dict(rows.all())


_KNOWN_RESPONSES = "responses by attempt"


def remember_responses(attempt: Attempt, responses: dict[str, Any]) -> None:
    """Note that these are the attempt's answers at its current row_version, so
    this session (one request) does not read them again. Every save raises the
    row_version, so a later save makes the note stale and it is not used."""
    _note_responses(attempt.id, attempt.row_version, responses)


def _note_responses(attempt_id: int, row_version: int, responses: dict) -> None:
    notes = db.session.info.setdefault(_KNOWN_RESPONSES, {})
    notes[attempt_id] = (row_version, dict(responses))


@cache
def _responses_statement() -> sa.Select:
    """Built once, on the table: two columns need no ORM work."""
    table = Response.__table__
    return sa.select(table.c.item_id, table.c.value).where(
        table.c.attempt_id == sa.bindparam("attempt_id")
    )


def events_for(attempt: Attempt) -> list[dict[str, Any]]:
    chunks = db.session.scalars(
        sa.select(KeystrokeChunk.events)
        .where(KeystrokeChunk.attempt_id == attempt.id)
        .order_by(KeystrokeChunk.seq)
    )
    return [event for chunk in chunks for event in (chunk or [])]


def engine_settings(attempt: Attempt) -> dict[str, Any]:
    """The timing rules frozen into the attempt at start."""
    return attempt.snapshot.get("engine", {})


def title_of(attempt: Attempt) -> str:
    """The assessment's title as the learner started it (frozen into the
    snapshot; attempts from before it was frozen read the assessment)."""
    return engine_settings(attempt).get("title") or attempt.assessment.title


def grace_seconds_of(attempt: Attempt) -> int:
    return int(engine_settings(attempt).get("grace_seconds", 0))


def on_expiry_of(attempt: Attempt) -> str:
    return engine_settings(attempt).get("on_expiry", timing.AUTOSUBMIT)


def cutoff_of(attempt: Attempt) -> datetime | None:
    return timing.cutoff(attempt.deadline_at, grace_seconds_of(attempt))


def learner_items(attempt: Attempt) -> list[dict[str, Any]]:
    """The only way items reach a learner before finalisation."""
    return get_kind(attempt.kind).learner_items(attempt.snapshot)


# --------------------------------------------------------------------------
# Lists for the learner's pages
# --------------------------------------------------------------------------


def history(user: User, assessment: Assessment, page: int, per_page: int):
    """This learner's attempts at one assessment, newest first."""
    return db.paginate(
        sa.select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.assessment_id == assessment.id)
        .options(defer(Attempt.snapshot, raiseload=True))
        .order_by(Attempt.number.desc(), Attempt.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )
