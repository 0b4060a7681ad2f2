"""Notification: one message for one person, read or not.

`dedupe_key` lets a sweep (due dates coming up, attempts about to expire) run
as often as it likes without telling anyone twice.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from lms import clock
from lms.extensions import db
from lms.types import UTCDateTime
from lms.users.models import User

__all__ = ["Notification", "unread_count_query"]


class Notification(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("user_id", "dedupe_key"),
        sa.Index("ix_notification_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    message: Mapped[str] = mapped_column(sa.String(300))
    link: Mapped[str] = mapped_column(sa.String(300), default="")
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


def unread_count_query(user_id: sa.ColumnElement[int]) -> sa.Select:
    """How many of a person's notifications are unread: one indexed count
    (user, read_at)."""
    table = Notification.__table__
    return (
        sa.select(sa.func.count())
        .select_from(table)
        .where(table.c.user_id == user_id, table.c.read_at.is_(None))
    )


# Every page's navigation shows the count: loaded with the signed-in person
# (lms.security.load_user undefers it), it costs no statement of its own.
User.unread_notifications = column_property(
    unread_count_query(User.id).scalar_subquery(), deferred=True
)
