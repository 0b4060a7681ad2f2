"""Per-account sign-in throttling with exponential back-off, kept in the database
so every worker process, a restarted server and every host share it.

Each sign-in attempt is counted against its account key (a SHA-256 of the
normalised email) before the password is checked, in one conditional upsert: an
account that must wait gets no row back and no check. After FREE_FAILURES
failures in a row the account waits FIRST_WAIT, then twice as long after each
further failure, at most LONGEST_WAIT; a successful sign-in forgets the count.
Unknown emails are counted the same way, so the answer never tells whether an
account exists. The per-address limit (Flask-Limiter, shared through Redis when
RATELIMIT_STORAGE_URI is set) stays in front of this.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from lms.auth.models import LoginThrottle
from lms.auth.services import normalise_email
from lms.extensions import db
from lms.types import UTCDateTime

FREE_FAILURES = 5
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(minutes=15)


def account_key(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode("utf-8")).hexdigest()


def wait_after(failures: int) -> timedelta | None:
    """How long an account waits after this many failures in a row."""
    if failures < FREE_FAILURES:
        return None
    doublings = min(failures - FREE_FAILURES, 16)
    return min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)


def claim_attempt(email: str, now: datetime) -> datetime | None:
    """Count an attempt before its password is checked (as a failure until it
    succeeds). None: check it; otherwise when the account may try again.

    The caller commits at once, so the count stands whatever the check says."""
    table = LoginThrottle.__table__
    key = account_key(email)
    upsert = _insert(table).values(
        account_key=key,
        failures=1,
        locked_until=_until(1, now),
        last_failure_at=now,
    )
    counted = db.session.execute(
        upsert.on_conflict_do_update(
            index_elements=[table.c.account_key],
            set_={
                "failures": table.c.failures + 1,
                "locked_until": _locked_until_after(table.c.failures + 1, now),
                "last_failure_at": upsert.excluded.last_failure_at,
            },
            where=sa.or_(table.c.locked_until.is_(None), table.c.locked_until <= now),
        ).returning(table.c.failures)
    ).first()
    if counted is not None:
        return None
    return db.session.scalar(
        sa.select(LoginThrottle.locked_until).where(LoginThrottle.account_key == key)
    )


def forget(email: str) -> None:
    """A successful sign-in: the account starts from no failures."""
    db.session.execute(
        sa.delete(LoginThrottle).where(LoginThrottle.account_key == account_key(email))
    )


def _until(failures: int, now: datetime) -> datetime | None:
    wait = wait_after(failures)
    return None if wait is None else now + wait


def _locked_until_after(failures: sa.ColumnElement, now: datetime):
    """locked_until for the new count, in SQL (every worker counts in the row)."""
    steps = []
    count = FREE_FAILURES
    while wait_after(count) < LONGEST_WAIT:
        steps.append((failures == count, _at(now + wait_after(count))))
        count += 1
    return sa.case(
        (failures < FREE_FAILURES, sa.null()),
        *steps,
        else_=_at(now + LONGEST_WAIT),
    )


def _at(moment: datetime):
    return sa.literal(moment, type_=UTCDateTime())


def _insert(table: sa.Table):
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)
