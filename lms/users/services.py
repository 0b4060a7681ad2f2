"""People and team use cases. Services flush; the calling view or command commits."""

from __future__ import annotations

import sqlalchemy as sa

from lms.auth.passwords import MIN_PASSWORD_LENGTH
from lms.auth.services import normalise_email, revoke_sessions, set_password
from lms.errors import ValidationError
from lms.extensions import db
from lms.users.models import Role, Team, User


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(
        sa.select(User).where(User.email == normalise_email(email))
    )


def create_user(
    *,
    email: str,
    name: str,
    password: str,
    role: Role | str = Role.LEARNER,
    team: Team | None = None,
    job_title: str | None = None,
) -> User:
    """Create an account. Raises ValidationError for a taken email or a short password."""
    email = normalise_email(email)
    if get_user_by_email(email) is not None:
        raise ValidationError(f"An account with the email {email} already exists.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
        )
    user = User(
        email=email,
        name=name.strip(),
        role=Role(role),
        team_id=team.id if team else None,
        job_title=job_title,
    )
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def set_role(user: User, role: Role | str) -> None:
    user.role = Role(role)
    db.session.flush()


def deactivate(user: User, *, by: User) -> None:
    """Stop the account signing in; its history stays."""
    if user.id == by.id:
        raise ValidationError("You cannot deactivate your own account.")
    user.is_active_account = False
    revoke_sessions(user)


def reactivate(user: User) -> None:
    user.is_active_account = True
    db.session.flush()


def create_team(name: str, manager: User | None = None) -> Team:
    name = (name or "").strip()
    if not name:
        raise ValidationError("Give the team a name.")
    if db.session.scalar(
        sa.select(Team.id).where(sa.func.lower(Team.name) == name.lower())
    ):
        raise ValidationError(f"A team called “{name}” already exists.")
    _check_manager(manager)
    team = Team(name=name, manager_id=manager.id if manager else None)
    db.session.add(team)
    db.session.flush()
    return team


def set_team_manager(team: Team, manager: User | None) -> None:
    _check_manager(manager)
    team.manager_id = manager.id if manager else None
    db.session.flush()


def _check_manager(manager: User | None) -> None:
    if manager is not None and manager.role not in (Role.MANAGER, Role.ADMIN):
        raise ValidationError(
            f"{manager.name} is not a manager; give them the manager role first."
        )


def set_team(user: User, team: Team | None) -> None:
    user.team_id = team.id if team else None
    db.session.flush()


def teams_managed_by(user: User) -> list[Team]:
    query = sa.select(Team).order_by(Team.name)
    if user.role != Role.ADMIN:
        query = query.where(Team.manager_id == user.id)
    return list(db.session.scalars(query))


def team_members(team_ids: list[int]) -> list[User]:
    if not team_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.team_id.in_(team_ids), User.is_active_account)
            .order_by(User.name)
        )
    )
