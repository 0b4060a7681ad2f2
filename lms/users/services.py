"""People and team use cases. Services flush; the calling view or command commits."""

from __future__ import annotations

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import current_app
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy.orm import joinedload

from lms.audit import services as audit
from lms.auth import services as auth_services
from lms.auth.services import normalise_email, revoke_access, set_password
from lms.errors import ValidationError
from lms.extensions import db
from lms.users import csv_import, time_zones
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
    must_change_password: bool = False,
) -> User:
    """Create an account. Raises ValidationError for a taken email or a password
    the policy refuses (PasswordRejected)."""
    email = normalise_email(email)
    if get_user_by_email(email) is not None:
        raise ValidationError(f"An account with the email {email} already exists.")
    auth_services.check_new_password(password, email=email, name=name)
    user = User(
        email=email,
        name=name.strip(),
        role=Role(role),
        team_id=team.id if team else None,
        job_title=job_title,
        must_change_password=must_change_password,
    )
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def set_role(user: User, role: Role | str, *, by: User | None = None) -> None:
    """Change the role (audited; `by` None is the command line)."""
    before = user.role
    user.role = Role(role)
    db.session.flush()
    _audit_role(user, before, by)


def _audit_role(user: User, before: Role, by: User | None) -> None:
    if user.role != before:
        _audit(user, "user.role_change", by, {"role": before}, {"role": user.role})


def _audit(user: User, action: str, by: User | None, before: dict, after: dict):
    details = {"before": before, "after": after}
    audit.record(by, action, "user", user.id, details)


def deactivate(user: User, *, by: User) -> None:
    """Stop the account signing in; its history stays."""
    if user.id == by.id:
        raise ValidationError("You cannot deactivate your own account.")
    was_active = user.is_active_account
    user.is_active_account = False
    revoke_access(user)  # its API tokens stay revoked if it is reactivated
    if was_active:
        _audit(user, "user.deactivate", by, {"active": True}, {"active": False})


def reset_password(user: User, *, by: User) -> str:
    """A one-time password for the account (returned to be shown once), to be
    changed at the next sign-in; its sessions and API tokens end now. Audited."""
    one_time = generate_password()
    auth_services.reset_password(user, one_time)
    _audit(user, "user.password_reset", by, {}, {"must_change_password": True})
    return one_time


def reactivate(user: User, *, by: User | None = None) -> None:
    was_active = user.is_active_account
    user.is_active_account = True
    db.session.flush()
    if not was_active:
        _audit(user, "user.reactivate", by, {"active": False}, {"active": True})


def set_time_zone(user: User, name: str | None) -> None:
    """The person's own zone for every time they read and type; "" or None: the
    organisation's default."""
    name = (name or "").strip() or None
    if name is not None and not time_zones.is_known_zone(name):
        raise ValidationError(
            f"“{name}” is not a time zone we know, e.g. Asia/Kolkata."
        )
    user.time_zone = name
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


# --- Administration of people -------------------------------------------------------

# Generated passwords avoid look-alike characters (0/O, 1/l/I) so they survive being
# read aloud or copied from a screen: 12 characters of 55 give about 69 bits.
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password() -> str:
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True)
class UserFilters:
    """What the people list is narrowed to. `team` is a team id, NO_TEAM or None."""

    q: str = ""
    role: Role | None = None
    team: int | str | None = None
    active: bool | None = None


NO_TEAM = "none"


def list_users(filters: UserFilters, *, page: int, per_page: int) -> Pagination:
    """People matching the filters, by name, with their team loaded (one page)."""
    query = sa.select(User).options(joinedload(User.team))
    text = filters.q.strip()
    if text:
        query = query.where(
            sa.or_(
                User.name.icontains(text, autoescape=True),
                User.email.icontains(text, autoescape=True),
            )
        )
    if filters.role is not None:
        query = query.where(User.role == filters.role)
    if filters.team == NO_TEAM:
        query = query.where(User.team_id.is_(None))
    elif filters.team is not None:
        query = query.where(User.team_id == filters.team)
    if filters.active is not None:
        query = query.where(User.is_active_account.is_(filters.active))
    query = query.order_by(sa.func.lower(User.name), User.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def team_choices() -> list[tuple[int, str]]:
    return list(db.session.execute(sa.select(Team.id, Team.name).order_by(Team.name)))


def manager_choices() -> list[tuple[int, str]]:
    """Active people who may manage a team (manager or admin role)."""
    rows = db.session.execute(
        sa.select(User.id, User.name, User.email)
        .where(User.role.in_([Role.MANAGER, Role.ADMIN]), User.is_active_account)
        .order_by(sa.func.lower(User.name))
    )
    return [(user_id, f"{name} ({email})") for user_id, name, email in rows]


def update_user(
    user: User,
    *,
    email: str,
    name: str,
    role: Role | str,
    team: Team | None,
    job_title: str | None,
    by: User,
) -> None:
    """Change an account's details. Raises ValidationError and changes nothing when
    the email is taken, an admin would demote themself, or a team would lose the
    manager role of its manager."""
    email = normalise_email(email)
    role = Role(role)
    other = get_user_by_email(email)
    if other is not None and other.id != user.id:
        raise ValidationError(f"An account with the email {email} already exists.")
    if user.id == by.id and user.role == Role.ADMIN and role != Role.ADMIN:
        raise ValidationError(
            "You cannot remove your own admin role; ask another admin to do it."
        )
    if role not in (Role.MANAGER, Role.ADMIN):
        managed = list(
            db.session.scalars(
                sa.select(Team.name)
                .where(Team.manager_id == user.id)
                .order_by(Team.name)
            )
        )
        if managed:
            raise ValidationError(
                f"{user.name} manages {', '.join(managed)}; choose another manager "
                f"for {'that team' if len(managed) == 1 else 'those teams'} before "
                "changing their role."
            )
    before_role = user.role
    user.email = email
    user.name = name.strip()
    user.role = role
    user.team_id = team.id if team else None
    user.job_title = (job_title or "").strip() or None
    db.session.flush()
    _audit_role(user, before_role, by)


# --- Teams ----------------------------------------------------------------------------


class _RowPagination(SelectPagination):
    """db.paginate() keeps only the first column; this keeps whole rows."""

    def _query_items(self) -> list[Any]:
        select = self._query_args["select"]
        select = select.limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def list_teams(*, page: int, per_page: int) -> Pagination:
    """Teams by name; each item is (team with manager, active members, deactivated)."""

    def members(active: bool):
        return (
            sa.select(sa.func.count(User.id))
            .where(User.team_id == Team.id, User.is_active_account.is_(active))
            .correlate(Team)
            .scalar_subquery()
        )

    query = (
        sa.select(Team, members(True).label("active"), members(False).label("inactive"))
        .options(joinedload(Team.manager))
        .order_by(sa.func.lower(Team.name), Team.id)
    )
    return _RowPagination(
        select=query,
        session=db.session(),
        page=page,
        per_page=per_page,
        error_out=False,
        max_per_page=None,
        count=True,
    )


def update_team(team: Team, *, name: str, manager: User | None) -> None:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Give the team a name.")
    clash = db.session.scalar(
        sa.select(Team.id).where(
            sa.func.lower(Team.name) == name.lower(), Team.id != team.id
        )
    )
    if clash:
        raise ValidationError(f"A team called “{name}” already exists.")
    _check_manager(manager)
    team.name = name
    team.manager_id = manager.id if manager else None
    db.session.flush()


def team_member_page(team: Team, *, page: int, per_page: int) -> Pagination:
    query = (
        sa.select(User)
        .where(User.team_id == team.id)
        .order_by(User.is_active_account.desc(), sa.func.lower(User.name), User.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


MEMBER_CANDIDATE_LIMIT = 300


def member_candidates(team: Team, q: str = "") -> list[tuple[int, str]]:
    """Active people outside the team, for the add-members list (capped; search narrows)."""
    query = (
        sa.select(User.id, User.name, User.email, Team.name)
        .outerjoin(Team, User.team_id == Team.id)
        .where(
            User.is_active_account,
            sa.or_(User.team_id.is_(None), User.team_id != team.id),
        )
        .order_by(sa.func.lower(User.name), User.id)
        .limit(MEMBER_CANDIDATE_LIMIT)
    )
    if q.strip():
        query = query.where(
            sa.or_(
                User.name.icontains(q.strip(), autoescape=True),
                User.email.icontains(q.strip(), autoescape=True),
            )
        )
    return [
        (user_id, f"{name} ({email})" + (f" · now in {team_name}" if team_name else ""))
        for user_id, name, email, team_name in db.session.execute(query)
    ]


def add_members(team: Team, user_ids: list[int]) -> list[User]:
    """Move the people into the team (from no team or another one)."""
    ids = sorted(set(user_ids))
    if not ids:
        raise ValidationError("Choose at least one person to add.")
    users = list(db.session.scalars(sa.select(User).where(User.id.in_(ids))))
    if len(users) != len(ids):
        raise ValidationError("Some of the chosen people no longer exist.")
    inactive = [u.name for u in users if not u.is_active_account]
    if inactive:
        raise ValidationError(
            f"{', '.join(inactive)}: deactivated accounts cannot join a team."
        )
    for user in users:
        user.team_id = team.id
    db.session.flush()
    return users


def remove_member(team: Team, user: User) -> None:
    if user.team_id != team.id:
        raise ValidationError(f"{user.name} is not a member of {team.name}.")
    user.team_id = None
    db.session.flush()


# --- CSV import -----------------------------------------------------------------------


class ImportRejectedError(ValidationError):
    """The file has problems; nothing was written. `.validation` lists them."""

    def __init__(self, validation: csv_import.Validation) -> None:
        count = len(validation.errors)
        super().__init__(
            f"The file has {count} problem{'s' if count != 1 else ''}; "
            "nobody was imported."
        )
        self.validation = validation


@dataclass
class ImportOutcome:
    users: list[User]
    teams_created: list[Team]
    # (email, password) for every account whose password was generated: shown once.
    generated_passwords: list[tuple[str, str]] = field(default_factory=list)


def preview_import(
    data: bytes | str, *, create_missing_teams: bool = False
) -> csv_import.Validation:
    """Check a people CSV against the file's rules and the current database."""
    result = csv_import.read(data)
    if not result.rows:
        return result
    emails = {row.email for row in result.rows if row.email}
    existing = set(
        db.session.scalars(sa.select(User.email).where(User.email.in_(emails)))
    )
    # Team names are compared casefolded in Python: SQLite's lower() is ASCII-only.
    teams = {name.casefold(): name for name in db.session.scalars(sa.select(Team.name))}
    return csv_import.check_references(
        result,
        existing_emails=existing,
        known_teams=teams,
        create_missing_teams=create_missing_teams,
    )


def import_users(
    data: bytes | str, *, create_missing_teams: bool = False
) -> ImportOutcome:
    """Create every person in the file, or nobody: raises ImportRejectedError when any
    line has a problem. Blank passwords are generated and returned once."""
    result = preview_import(data, create_missing_teams=create_missing_teams)
    if not result.ok:
        raise ImportRejectedError(result)

    teams = {t.name.casefold(): t for t in db.session.scalars(sa.select(Team))}
    created_teams = []
    for name in result.new_teams:
        team = Team(name=name)
        db.session.add(team)
        created_teams.append(team)
        teams[name.casefold()] = team
    db.session.flush()

    generated: list[tuple[str, str]] = []
    passwords = []
    for row in result.rows:
        if row.password is None:
            password = generate_password()
            generated.append((row.email, password))
        else:
            password = row.password
        passwords.append(password)
    hashes = _hash_many(passwords)

    users = [
        User(
            email=row.email,
            name=row.name,
            role=Role(row.role),
            team_id=teams[row.team.casefold()].id if row.team else None,
            job_title=row.job_title,
            password_hash=password_hash,
            must_change_password=True,  # chosen by whoever wrote the file
        )
        for row, password_hash in zip(result.rows, hashes, strict=True)
    ]
    db.session.add_all(users)
    db.session.flush()
    return ImportOutcome(users, created_teams, generated)


def _hash_many(passwords: list[str]) -> list[str]:
    """Hash in a few threads: argon2 releases the GIL, and 2,000 hashes at production
    cost take about a minute one after another."""
    hasher = PasswordHasher(**current_app.config["PASSWORD_HASH_PARAMS"])
    if len(passwords) < 4:
        return [hasher.hash(p) for p in passwords]
    workers = max(1, min(8, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(hasher.hash, passwords))
