"""Notifications: tell one person about something, count what they have not read,
list them newest first and mark them read.

Any domain may call `notify` (this one depends only on users). A `dedupe_key`
makes it idempotent: the same key for the same person never adds a second
notification, however often a sweep or a repeated action runs; a new key (for
instance a changed due date inside it) tells them again. Links are paths inside
the application, built with `path_for` so they work from a command as well as
from a request. Services flush; callers commit.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from lms import clock
from lms.errors import NotFoundError
from lms.extensions import db
from lms.notifications.models import Notification, unread_count_query

MESSAGE_LENGTH = 300
LINK_LENGTH = 300


def notify(
    user_id: int,
    kind: str,
    message: str,
    link: str = "",
    dedupe_key: str | None = None,
) -> bool:
    """Tell one person something; False when `dedupe_key` already told them."""
    return notify_many([user_id], kind, message, link, dedupe_key) == 1


def notify_many(
    user_ids: Iterable[int],
    kind: str,
    message: str,
    link: str = "",
    dedupe_key: str | None = None,
) -> int:
    """The same notification for several people in one statement; returns how
    many were new (people already told under `dedupe_key` are skipped)."""
    now = clock.now()
    rows = [
        {
            "user_id": user_id,
            "kind": kind,
            "message": _shorten(message, MESSAGE_LENGTH),
            "link": internal_link(link),
            "dedupe_key": dedupe_key,
            "created_at": now,
        }
        for user_id in dict.fromkeys(user_ids)
    ]
    if not rows:
        return 0
    stmt = _insert().values(rows)
    if dedupe_key is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
    # RETURNING counts the rows really inserted on every database (PostgreSQL's
    # rowcount is -1 for a multi-row insert that skipped conflicts).
    return len(db.session.execute(stmt.returning(Notification.id)).all())


def path_for(endpoint: str, **values) -> str:
    """The path of a page, without needing a request (sweeps run from cron)."""
    adapter = current_app.url_map.bind("localhost")
    return adapter.build(endpoint, values)


def internal_link(link: str | None) -> str:
    """Only paths of this application: anything else (another site, a script
    URL) is dropped rather than offered as a link."""
    link = (link or "").strip()
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        return ""
    return link[:LINK_LENGTH]


def _shorten(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(Notification)


# --- reading ----------------------------------------------------------------------


def unread_count(user_id: int) -> int:
    """The person's unread count (pages read it from the signed-in person, who
    is loaded with it: lms.notifications.models)."""
    return db.session.execute(_UNREAD_COUNT, {"user_id": user_id}).scalar_one()


_UNREAD_COUNT = unread_count_query(sa.bindparam("user_id"))


def notifications_query(user_id: int) -> sa.Select:
    """A person's notifications, newest first."""
    return (
        sa.select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def get_own(user, notification_id: int) -> Notification:
    """One of `user`'s notifications; anyone else's does not exist for them."""
    found = db.session.scalar(
        sa.select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if found is None:
        raise NotFoundError("There is no such notification.")
    return found


# --- marking read -----------------------------------------------------------------


def mark_read(user, notification_id: int) -> Notification:
    notification = get_own(user, notification_id)
    if notification.read_at is None:
        notification.read_at = clock.now()
        db.session.flush()
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
