"""People, their role and the teams they belong to."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.extensions import db
from lms.types import UTCDateTime


class Role(enum.StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.capitalize()


ROLE_TYPE = sa.Enum(
    Role,
    native_enum=False,
    length=16,
    values_callable=lambda e: [m.value for m in e],
    validate_strings=True,
    name="role",
)


class Team(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # use_alter breaks the user <-> team cycle so tables can be created in order.
    manager_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL", use_alter=True), index=True
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )

    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(ROLE_TYPE, default=Role.LEARNER)
    team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("team.id", ondelete="SET NULL"), index=True
    )
    job_title: Mapped[str | None] = mapped_column(sa.String(120))
    # An IANA zone for the times this person reads and types; None: the app's.
    time_zone: Mapped[str | None] = mapped_column(sa.String(64))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout-everywhere and password change: older session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    # A password someone else chose (an admin's reset, a new account, an import):
    # every page leads to the password change until the person picks their own.
    must_change_password: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false()
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now()
    )
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at login
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
