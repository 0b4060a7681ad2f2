"""The engine's write statements that run on every save, built once per
database dialect with bound parameters.

Building a statement with SQLAlchemy (coercing every clause, then compiling a
multi-row VALUES that no cache could reuse) cost as much CPU as running it, and
in a deadline burst every save runs two of these.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from lms.attempts.models import IN_PROGRESS, Attempt, KeystrokeChunk, Response
from lms.extensions import db


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def insert(table_or_entity):
    """INSERT with the dialect's ON CONFLICT clauses."""
    return _insert_for(dialect_name())(table_or_entity)


def _insert_for(dialect: str):
    return (postgresql if dialect == "postgresql" else sqlite).insert


@cache
def claim_for_save() -> sa.Update:
    """Raise a live attempt's last_seq (never lower it) and its row_version;
    returns both, or no row when the attempt is no longer live. Parameters:
    attempt_id, seq."""
    attempt = Attempt.__table__.c
    seq = sa.bindparam("seq", type_=sa.Integer)
    return (
        sa.update(Attempt.__table__)
        .where(attempt.id == sa.bindparam("attempt_id"), attempt.state == IN_PROGRESS)
        .values(
            last_seq=sa.case((attempt.last_seq < seq, seq), else_=attempt.last_seq),
            row_version=attempt.row_version + 1,
        )
        .returning(attempt.last_seq, attempt.row_version)
    )


def upsert_responses() -> sa.Insert:
    """Insert or replace answers; run with one parameter set per answer
    (attempt_id, item_id, value, seq, saved_at)."""
    return _upsert_responses(dialect_name())


@cache
def _upsert_responses(dialect: str) -> sa.Insert:
    table = Response.__table__
    stmt = _insert_for(dialect)(table)
    return stmt.on_conflict_do_update(
        index_elements=["attempt_id", "item_id"],
        set_={
            "value": stmt.excluded.value,
            "seq": stmt.excluded.seq,
            "saved_at": stmt.excluded.saved_at,
        },
        # A response only ever moves forward: an older or repeated save is a no-op.
        where=table.c.seq < stmt.excluded.seq,
    )


def insert_events() -> sa.Insert:
    """Store one save's keystroke chunk once (a repeated seq inserts nothing).
    Parameters: attempt_id, seq, events, received_at."""
    return _insert_events(dialect_name())


@cache
def _insert_events(dialect: str) -> sa.Insert:
    return _insert_for(dialect)(KeystrokeChunk.__table__).on_conflict_do_nothing(
        index_elements=["attempt_id", "seq"]
    )


@cache
def finalize(guarded: bool, stored: tuple[str, ...]) -> sa.Update:
    """The one state change of a live attempt, storing the columns named in
    `stored` with it; when `guarded`, only at the row_version the caller read.
    Returns the state, row_version, submitted_at and finalized_by it stored, or
    no row when it lost. Parameters: attempt_id, [seen_version], and new_<name>
    for state, submitted_at, finalized_by and each stored column."""
    attempt = Attempt.__table__.c
    live = [attempt.id == sa.bindparam("attempt_id"), attempt.state == IN_PROGRESS]
    if guarded:
        live.append(attempt.row_version == sa.bindparam("seen_version"))
    columns = ("state", "submitted_at", "finalized_by", *stored)
    return (
        sa.update(Attempt.__table__)
        .where(*live)
        .values(
            row_version=attempt.row_version + 1,
            **{name: sa.bindparam(f"new_{name}") for name in columns},
        )
        .returning(
            attempt.state,
            attempt.row_version,
            attempt.submitted_at,
            attempt.finalized_by,
        )
    )
