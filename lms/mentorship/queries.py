"""Mentorship reads: pairings with what their pages need, the people a manager
pairs, each person's mentees, mentors, sessions to acknowledge and open action
items, and the suggested mentors for a mentee.

Every function runs a fixed number of queries whatever the number of rows, and
loads the relationships its pages and the policies read (joinedload for one,
a second query for many). Callers check access (lms.mentorship.policies).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.errors import NotFoundError
from lms.extensions import db
from lms.mentorship.models import (
    ACTIVE,
    ActionItem,
    MentorPairing,
    MentorProfile,
    MentorSession,
)
from lms.skills.models import Skill
from lms.users.models import Role, Team, User

MENTEE = joinedload(MentorPairing.mentee).joinedload(User.team)
MENTOR = joinedload(MentorPairing.mentor)


@dataclass(frozen=True)
class SessionEntry:
    session: MentorSession
    items: list[ActionItem]


@dataclass(frozen=True)
class PairingDetail:
    pairing: MentorPairing
    focus: list[Skill]
    sessions: list[SessionEntry]  # latest first

    @property
    def unacknowledged(self) -> int:
        return sum(1 for e in self.sessions if e.session.acknowledged_at is None)


@dataclass
class PersonPairings:
    """One person on the manager's page with their active mentors."""

    person: User
    mentors: list[MentorPairing] = field(default_factory=list)
    mentees: int = 0  # how many they mentor themselves


# --- one row ---------------------------------------------------------------------


def get_pairing(pairing_id: int) -> MentorPairing:
    pairing = db.session.scalar(
        sa.select(MentorPairing)
        .options(MENTEE, MENTOR)
        .where(MentorPairing.id == pairing_id)
    )
    if pairing is None:
        raise NotFoundError("There is no such mentoring pairing.")
    return pairing


def get_session(session_id: int) -> MentorSession:
    session = db.session.scalar(
        sa.select(MentorSession)
        .options(joinedload(MentorSession.pairing))
        .where(MentorSession.id == session_id)
    )
    if session is None:
        raise NotFoundError("There is no such mentoring session.")
    return session


def get_item(item_id: int) -> ActionItem:
    item = db.session.scalar(
        sa.select(ActionItem)
        .options(joinedload(ActionItem.session).joinedload(MentorSession.pairing))
        .where(ActionItem.id == item_id)
    )
    if item is None:
        raise NotFoundError("There is no such action item.")
    return item


def get_person(user_id: int) -> User:
    """A person with their team loaded (what the pairing rules read)."""
    person = db.session.scalar(
        sa.select(User).options(joinedload(User.team)).where(User.id == user_id)
    )
    if person is None:
        raise NotFoundError("There is no such person.")
    return person


def pairing_detail(pairing_id: int) -> PairingDetail:
    """A pairing with its focus skills and its sessions, each with its items:
    four queries however many sessions and items."""
    pairing = get_pairing(pairing_id)
    sessions = db.session.scalars(
        sa.select(MentorSession)
        .where(MentorSession.pairing_id == pairing.id)
        .order_by(MentorSession.held_on.desc(), MentorSession.id.desc())
    ).all()
    items = items_by_session([s.id for s in sessions])
    return PairingDetail(
        pairing=pairing,
        focus=skills_by_ids(pairing.focus_skill_ids or []),
        sessions=[SessionEntry(s, items.get(s.id, [])) for s in sessions],
    )


def items_by_session(session_ids: list[int]) -> dict[int, list[ActionItem]]:
    if not session_ids:
        return {}
    rows = db.session.scalars(
        sa.select(ActionItem)
        .options(joinedload(ActionItem.owner))
        .where(ActionItem.session_id.in_(session_ids))
        .order_by(ActionItem.id)
    )
    found: dict[int, list[ActionItem]] = defaultdict(list)
    for item in rows:
        found[item.session_id].append(item)
    return found


def skills_by_ids(skill_ids: Iterable[int]) -> list[Skill]:
    """Skills in the order given (unknown ids left out)."""
    ids = list(skill_ids)
    if not ids:
        return []
    found = {
        s.id: s for s in db.session.scalars(sa.select(Skill).where(Skill.id.in_(ids)))
    }
    return [found[i] for i in ids if i in found]


# --- a person's mentoring --------------------------------------------------------


def my_mentees(user: User, page: int, per_page: int):
    """`user`'s active pairings as mentor, mentees by name (paginated)."""
    query = (
        sa.select(MentorPairing)
        .join(MentorPairing.mentee)
        .options(MENTEE)
        .where(MentorPairing.mentor_id == user.id, MentorPairing.status == ACTIVE)
        .order_by(User.name, MentorPairing.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def my_mentors(user: User) -> list[MentorPairing]:
    """`user`'s active pairings as mentee (a handful at most)."""
    return list(
        db.session.scalars(
            sa.select(MentorPairing)
            .options(MENTOR)
            .where(MentorPairing.mentee_id == user.id, MentorPairing.status == ACTIVE)
            .order_by(MentorPairing.starts_on, MentorPairing.id)
        )
    )


def pairings_involving(user: User, limit: int = 20) -> list[MentorPairing]:
    """Every pairing `user` is in, as mentor or mentee, active first then latest."""
    return list(
        db.session.scalars(
            sa.select(MentorPairing)
            .options(MENTOR, MENTEE)
            .where(
                sa.or_(
                    MentorPairing.mentor_id == user.id,
                    MentorPairing.mentee_id == user.id,
                )
            )
            .order_by(
                sa.case((MentorPairing.status == ACTIVE, 0), else_=1),
                MentorPairing.starts_on.desc(),
                MentorPairing.id.desc(),
            )
            .limit(limit)
        )
    )


def sessions_to_acknowledge(user: User) -> list[MentorSession]:
    """Sessions of `user`'s pairings as mentee they have not acknowledged yet."""
    return list(
        db.session.scalars(
            sa.select(MentorSession)
            .join(MentorSession.pairing)
            .options(joinedload(MentorSession.pairing).joinedload(MentorPairing.mentor))
            .where(
                MentorPairing.mentee_id == user.id,
                MentorSession.acknowledged_at.is_(None),
            )
            .order_by(MentorSession.held_on, MentorSession.id)
        )
    )


def action_items_for(user: User, *, done: bool, limit: int = 50) -> list[ActionItem]:
    """Items `user` owns: open ones soonest due first, or done ones latest first."""
    query = (
        sa.select(ActionItem)
        .join(ActionItem.session)
        .options(
            joinedload(ActionItem.session)
            .joinedload(MentorSession.pairing)
            .joinedload(MentorPairing.mentor)
        )
        .where(ActionItem.owner_id == user.id)
    )
    if done:
        query = query.where(ActionItem.done_at.is_not(None)).order_by(
            ActionItem.done_at.desc(), ActionItem.id.desc()
        )
    else:
        query = query.where(ActionItem.done_at.is_(None)).order_by(
            ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id
        )
    return list(db.session.scalars(query.limit(limit)))


def open_items_for(user: User, limit: int = 50) -> list[ActionItem]:
    return action_items_for(user, done=False, limit=limit)


# --- the manager's page ----------------------------------------------------------


def people_to_pair(user: User, page: int, per_page: int):
    """Active people `user` pairs mentors with (admins: everyone; managers: the
    people of their teams) by name, each with their active mentors and how many
    people they mentor: three queries per page."""
    query = (
        sa.select(User)
        .options(joinedload(User.team))
        .where(User.is_active_account)
        .order_by(User.name, User.id)
    )
    if user.role != Role.ADMIN:
        managed = sa.select(Team.id).where(Team.manager_id == user.id)
        query = query.where(User.team_id.in_(managed))
    people = db.paginate(query, page=page, per_page=per_page, error_out=False)
    ids = [p.id for p in people.items]
    mentors = active_mentors_of(ids)
    counts = mentee_counts(ids)
    rows = [
        PersonPairings(p, mentors.get(p.id, []), counts.get(p.id, 0))
        for p in people.items
    ]
    return people, rows


def active_mentors_of(user_ids: list[int]) -> dict[int, list[MentorPairing]]:
    if not user_ids:
        return {}
    found: dict[int, list[MentorPairing]] = defaultdict(list)
    for pairing in db.session.scalars(
        sa.select(MentorPairing)
        .options(MENTOR)
        .where(MentorPairing.mentee_id.in_(user_ids), MentorPairing.status == ACTIVE)
        .order_by(MentorPairing.starts_on, MentorPairing.id)
    ):
        found[pairing.mentee_id].append(pairing)
    return found


def mentee_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """{mentor id: number of active pairings} for the given people."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(MentorPairing.mentor_id, sa.func.count(MentorPairing.id))
        .where(MentorPairing.mentor_id.in_(ids), MentorPairing.status == ACTIVE)
        .group_by(MentorPairing.mentor_id)
    )
    return {mentor_id: count for mentor_id, count in rows}


def profiles_of(user_ids: Iterable[int]) -> dict[int, MentorProfile]:
    ids = list(user_ids)
    if not ids:
        return {}
    return {
        p.user_id: p
        for p in db.session.scalars(
            sa.select(MentorProfile).where(MentorProfile.user_id.in_(ids))
        )
    }


def find_people(text: str, *, leave_out: int, limit: int = 30) -> list[User]:
    """Active people whose name or email holds `text`, to pair as mentor anyone
    the suggestions leave out (an experienced learner of another team, say)."""
    text = (text or "").strip()
    if not text:
        return []
    text = text.lower()
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.is_active_account,
                User.id != leave_out,
                sa.or_(
                    sa.func.lower(User.name).contains(text, autoescape=True),
                    sa.func.lower(User.email).contains(text, autoescape=True),
                ),
            )
            .order_by(User.name, User.id)
            .limit(limit)
        )
    )


def active_skills() -> list[Skill]:
    """Every active skill by name, for choosing focus skills."""
    return list(
        db.session.scalars(sa.select(Skill).where(Skill.is_active).order_by(Skill.name))
    )
