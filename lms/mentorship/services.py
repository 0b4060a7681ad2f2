"""Mentorship changes: pairings, sessions, acknowledgements, action items and
each person's mentor profile. Reads live in lms.mentorship.queries.

* A **pairing** is made by the manager of the mentee's team or an admin. The
  mentor may be any active person of any role (an experienced learner too), not
  the mentee, not already their mentor, and with capacity left (their profile's
  capacity, DEFAULT_CAPACITY without one; someone not available takes nobody).
  Making and ending a pairing are audited.
* A **session** is logged by the pairing's mentor while the pairing is active:
  a date not in the future nor before the pairing starts, notes, and action
  items each owned by the mentor or the mentee with an optional due date.
* The mentee **acknowledges** a session (once; again is harmless). An item's
  owner or the mentor ticks it **done** or undone.

Services flush; the request commits. Rules broken raise DomainError subclasses
with messages for the person acting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lms import clock
from lms.audit.services import record
from lms.errors import ConflictError, PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.mentorship import policies
from lms.mentorship.models import (
    ACTIVE,
    DEFAULT_CAPACITY,
    ENDED,
    ActionItem,
    MentorPairing,
    MentorProfile,
    MentorSession,
)
from lms.skills.models import Skill
from lms.users.models import User

MAX_CAPACITY = 10
MAX_NOTES = 10_000
MAX_ITEM_TEXT = 500


@dataclass(frozen=True)
class ItemInput:
    """One action item as typed into the session form."""

    text: str
    owner_id: int
    due_on: date | None = None


def _today() -> date:
    return clock.now().date()


# --- profiles and capacity -----------------------------------------------------


def capacity_of(user: User) -> tuple[int, bool]:
    """(capacity, available) of a would-be mentor; defaults without a profile."""
    profile = db.session.get(MentorProfile, user.id)
    if profile is None:
        return DEFAULT_CAPACITY, True
    return profile.capacity, profile.available


def active_mentee_count(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(MentorPairing.id)).where(
                MentorPairing.mentor_id == user.id, MentorPairing.status == ACTIVE
            )
        )
        or 0
    )


def set_mentor_profile(
    user: User, *, capacity: int, available: bool, note: str = ""
) -> MentorProfile:
    """How many mentees `user` takes at once (0–10) and whether they take any now.
    Lowering it below the current number ends no pairing; it stops new ones."""
    if capacity is None or not 0 <= capacity <= MAX_CAPACITY:
        raise ValidationError(f"Choose a capacity from 0 to {MAX_CAPACITY} mentees.")
    profile = db.session.get(MentorProfile, user.id)
    if profile is None:
        profile = MentorProfile(user_id=user.id)
        db.session.add(profile)
    profile.capacity = capacity
    profile.available = bool(available)
    profile.note = (note or "").strip()
    db.session.flush()
    return profile


# --- pairings ------------------------------------------------------------------


def create_pairing(
    by: User,
    *,
    mentor: User,
    mentee: User,
    focus_skill_ids: Iterable[int] = (),
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> MentorPairing:
    """Pair `mentor` with `mentee` (`mentee.team` loaded). Audited."""
    if not policies.can_manage_pairings(by, mentee):
        raise PermissionDeniedError(
            f"Only {mentee.name}'s manager or an admin pairs mentors with them."
        )
    starts_on = starts_on or _today()
    focus = _checked_focus(focus_skill_ids)
    _check_dates(starts_on, ends_on)
    _check_mentor(mentor, mentee)
    pairing = MentorPairing(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        focus_skill_ids=focus,
        starts_on=starts_on,
        ends_on=ends_on,
        status=ACTIVE,
        created_by_id=by.id,
        created_at=clock.now(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(pairing)
    except IntegrityError:  # a second manager paired them a moment ago
        raise _duplicate(mentor, mentee) from None
    record(
        by,
        "mentorship.pairing_created",
        "mentor_pairing",
        pairing.id,
        {
            "mentor_id": mentor.id,
            "mentee_id": mentee.id,
            "focus_skill_ids": focus,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return pairing


def _checked_focus(skill_ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(int(s) for s in skill_ids))
    if not wanted:
        return []
    known = set(
        db.session.scalars(
            sa.select(Skill.id).where(Skill.id.in_(wanted), Skill.is_active)
        )
    )
    if len(known) != len(wanted):
        raise ValidationError("Choose focus skills from the skills framework.")
    return wanted


def _check_dates(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError("The end date must be on or after the start date.")


def _check_mentor(mentor: User, mentee: User) -> None:
    if mentor.id == mentee.id:
        raise ValidationError(f"{mentee.name} cannot mentor themselves.")
    if not mentor.is_active_account:
        raise ValidationError(f"{mentor.name}'s account is deactivated.")
    if _active_pairing(mentor, mentee) is not None:
        raise _duplicate(mentor, mentee)
    capacity, available = capacity_of(mentor)
    if not available:
        raise ConflictError(f"{mentor.name} is not taking mentees at the moment.")
    current = active_mentee_count(mentor)
    if current >= capacity:
        raise ConflictError(
            f"{mentor.name} already mentors {current} "
            f"{'person' if current == 1 else 'people'}, their limit of {capacity}. "
            "Choose another mentor, or end one of their pairings first."
        )


def _duplicate(mentor: User, mentee: User) -> ConflictError:
    return ConflictError(f"{mentor.name} already mentors {mentee.name}.")


def _active_pairing(mentor: User, mentee: User) -> MentorPairing | None:
    return db.session.scalar(
        sa.select(MentorPairing).where(
            MentorPairing.mentor_id == mentor.id,
            MentorPairing.mentee_id == mentee.id,
            MentorPairing.status == ACTIVE,
        )
    )


def end_pairing(by: User, pairing: MentorPairing) -> MentorPairing:
    """End an active pairing today (`pairing.mentee.team` loaded). Audited."""
    if not policies.can_manage_pairings(by, pairing.mentee):
        raise PermissionDeniedError(
            "Only the mentee's manager or an admin ends a pairing."
        )
    if pairing.status != ACTIVE:
        raise ConflictError("This pairing has already ended.")
    today = _today()
    pairing.status = ENDED
    if pairing.ends_on is None or pairing.ends_on > today:
        pairing.ends_on = max(today, pairing.starts_on)
    db.session.flush()
    record(
        by,
        "mentorship.pairing_ended",
        "mentor_pairing",
        pairing.id,
        {"mentor_id": pairing.mentor_id, "mentee_id": pairing.mentee_id},
    )
    return pairing


# --- sessions and action items ---------------------------------------------------


def log_session(
    by: User,
    pairing: MentorPairing,
    *,
    held_on: date | None,
    notes: str,
    items: Sequence[ItemInput] = (),
) -> MentorSession:
    """A session of an active pairing, logged by its mentor, with its action items."""
    if not policies.can_log_session(by, pairing):
        if pairing.status != ACTIVE and by.id == pairing.mentor_id:
            raise ConflictError("This pairing has ended; no more sessions are logged.")
        raise PermissionDeniedError("Only the mentor logs sessions of a pairing.")
    _check_held_on(pairing, held_on)
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError("Write a few notes about what you discussed.")
    if len(notes) > MAX_NOTES:
        raise ValidationError(f"Keep the notes under {MAX_NOTES:,} characters.")
    kept = [_checked_item(pairing, item) for item in items if item.text.strip()]
    session = MentorSession(
        pairing_id=pairing.id, held_on=held_on, notes=notes, created_at=clock.now()
    )
    db.session.add(session)
    db.session.flush()
    for item in kept:
        db.session.add(
            ActionItem(
                session_id=session.id,
                owner_id=item.owner_id,
                text=item.text.strip(),
                due_on=item.due_on,
            )
        )
    db.session.flush()
    return session


def _check_held_on(pairing: MentorPairing, held_on: date | None) -> None:
    if held_on is None:
        raise ValidationError("Give the date the session was held.")
    if held_on > _today():
        raise ValidationError("A session cannot be logged for a date in the future.")
    if held_on < pairing.starts_on:
        raise ValidationError(
            f"The pairing started on {pairing.starts_on:%d %b %Y}; "
            "a session cannot be before it."
        )


def _checked_item(pairing: MentorPairing, item: ItemInput) -> ItemInput:
    if item.owner_id not in (pairing.mentor_id, pairing.mentee_id):
        raise ValidationError("Each action item belongs to the mentor or the mentee.")
    if len(item.text.strip()) > MAX_ITEM_TEXT:
        raise ValidationError(
            f"Keep each action item under {MAX_ITEM_TEXT} characters."
        )
    return item


def acknowledge_session(by: User, session: MentorSession) -> MentorSession:
    """The mentee confirms the session's notes (`session.pairing` loaded)."""
    if not policies.can_acknowledge(by, session):
        raise PermissionDeniedError("Only the mentee acknowledges a session.")
    if session.acknowledged_at is None:
        session.acknowledged_at = clock.now()
        db.session.flush()
    return session


def set_item_done(by: User, item: ActionItem, done: bool) -> ActionItem:
    """Tick an item done or undone (`item.session.pairing` loaded)."""
    if not policies.can_tick(by, item):
        raise PermissionDeniedError("Only the item's owner or the mentor ticks it off.")
    if done and item.done_at is None:
        item.done_at = clock.now()
    elif not done:
        item.done_at = None
    db.session.flush()
    return item
