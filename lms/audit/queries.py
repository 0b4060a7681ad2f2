"""Reading the audit log for admins: filter, page, describe each event's target
and its before/after in words, and read every matching event in batches for the
CSV download.

This module reads across domains (people, attempts, mentoring pairings) to say
what each event was about; only the admin page and its download use it, never
a lower domain.

Filters: the action; the actor and the target person by name or email (a
person is the target of an event on their account, on one of their attempts,
or on a mentoring pairing they are part of); a date range of whole days in the
admin's own time zone. Newest first (by id, which grows with time). A page
costs a fixed handful of statements: the count, the page (with its actors),
and one statement per kind of target on the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import aliased, joinedload

from lms.attempts.models import Assessment, Attempt
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.mentorship.models import MentorPairing
from lms.users import time_zones
from lms.users.models import User

# What admins read for each action this app records; any other action is shown
# by its own name.
ACTION_LABELS = {
    "user.role_change": "Role changed",
    "user.deactivate": "Account deactivated",
    "user.reactivate": "Account reactivated",
    "attempt.override": "Extra time or attempts granted",
    "attempt.regrade": "Answer graded by hand",
    "attempt.accept": "Keying result accepted",
    "skill.rate": "Skill rated by hand",
    "mentorship.pairing_created": "Mentor paired",
    "mentorship.pairing_ended": "Mentoring ended",
    "skill_mapping.add": "Skill mapping added",
    "skill_mapping.update": "Skill mapping changed",
    "skill_mapping.remove": "Skill mapping removed",
    "skills.settings.update": "Level method changed",
    "content.copy": "Editable copy made of file content",
}
EXPORT_BATCH = 1000


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""  # part of a name or email
    person: str = ""  # part of the target person's name or email
    since: date | None = None  # whole days in the admin's zone
    until: date | None = None


def _people_matching(text: str) -> sa.Select:
    return sa.select(User.id).where(
        sa.or_(
            User.name.icontains(text, autoescape=True),
            User.email.icontains(text, autoescape=True),
        )
    )


def _about_person(people: sa.Select) -> sa.ColumnElement[bool]:
    """Events whose target is one of `people`: their account, one of their
    attempts, or a pairing they are in."""
    attempts = sa.select(Attempt.id).where(Attempt.user_id.in_(people))
    pairings = sa.select(MentorPairing.id).where(
        sa.or_(MentorPairing.mentee_id.in_(people), MentorPairing.mentor_id.in_(people))
    )
    return sa.or_(
        sa.and_(AuditEvent.target_type == "user", AuditEvent.target_id.in_(people)),
        sa.and_(
            AuditEvent.target_type == "attempt", AuditEvent.target_id.in_(attempts)
        ),
        sa.and_(
            AuditEvent.target_type == "mentor_pairing",
            AuditEvent.target_id.in_(pairings),
        ),
    )


def _day_start(day: date, zone) -> datetime:
    return time_zones.from_local(datetime.combine(day, time()), zone)


def filtered(filters: AuditFilters, zone) -> sa.Select:
    query = sa.select(AuditEvent)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.actor.strip():
        query = query.where(
            AuditEvent.actor_id.in_(_people_matching(filters.actor.strip()))
        )
    if filters.person.strip():
        query = query.where(_about_person(_people_matching(filters.person.strip())))
    if filters.since:
        query = query.where(AuditEvent.created_at >= _day_start(filters.since, zone))
    if filters.until:
        end = _day_start(filters.until + timedelta(days=1), zone)
        query = query.where(AuditEvent.created_at < end)
    return query


def page_of_events(
    filters: AuditFilters, zone, *, page: int, per_page: int
) -> Pagination:
    query = (
        filtered(filters, zone)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# --- what each event was about ------------------------------------------------------


@dataclass(frozen=True)
class Target:
    text: str
    person_id: int | None = None  # the person it concerns, for a link


def targets(events: Sequence[AuditEvent]) -> dict[int, Target]:
    """{event id: its target in words}: one statement per kind of target."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        wanted.setdefault(event.target_type, set()).add(event.target_id)
    people = _names(wanted.get("user", set()))
    attempts = _attempts(wanted.get("attempt", set()))
    pairings = _pairings(wanted.get("mentor_pairing", set()))
    found = {}
    for event in events:
        kind, key = event.target_type, event.target_id
        if kind == "user" and key in people:
            found[event.id] = Target(people[key], key)
        elif kind == "attempt" and key in attempts:
            found[event.id] = attempts[key]
        elif kind == "mentor_pairing" and key in pairings:
            found[event.id] = pairings[key]
        else:
            found[event.id] = Target(_generic(event))
    return found


def _generic(event: AuditEvent) -> str:
    details = event.details or {}
    name = next(
        (str(details[k]) for k in ("slug", "skill", "name") if details.get(k)), ""
    )
    kind = event.target_type.replace("_", " ")
    return (
        f"{kind.capitalize()} {name}".strip()
        if name
        else f"{kind.capitalize()} #{event.target_id}"
    )


def _names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids)))
    return dict(rows.all())


def _attempts(ids: set[int]) -> dict[int, Target]:
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Attempt.id, Attempt.number, Attempt.user_id, User.name, Assessment.title
        )
        .join(User, User.id == Attempt.user_id)
        .join(Assessment, Assessment.id == Attempt.assessment_id)
        .where(Attempt.id.in_(ids))
    )
    return {
        attempt_id: Target(f"{name}: {title}, attempt {number}", user_id)
        for attempt_id, number, user_id, name, title in rows
    }


def _pairings(ids: set[int]) -> dict[int, Target]:
    if not ids:
        return {}
    mentor, mentee = aliased(User), aliased(User)
    rows = db.session.execute(
        sa.select(MentorPairing.id, mentee.id, mentee.name, mentor.name)
        .join(mentee, mentee.id == MentorPairing.mentee_id)
        .join(mentor, mentor.id == MentorPairing.mentor_id)
        .where(MentorPairing.id.in_(ids))
    )
    return {
        pairing_id: Target(f"{mentee_name}, mentored by {mentor_name}", mentee_id)
        for pairing_id, mentee_id, mentee_name, mentor_name in rows
    }


# --- before / after in words --------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def describe(
    details: dict[str, Any] | None,
) -> tuple[list[Change], list[tuple[str, str]]]:
    """(what changed from what to what, the other facts) of an event's details."""
    details = dict(details or {})
    before = details.pop("before", None)
    after = details.pop("after", None)
    if before is None and "previous" in details:
        before = details.pop("previous")
    changes: list[Change] = []
    if isinstance(before, dict) or isinstance(after, dict):
        before, after = before or {}, after or {}
        changes = [
            Change(_label(key), _text(before.get(key)), _text(after.get(key)))
            for key in dict.fromkeys([*before, *after])
        ]
    elif before is not None or after is not None:
        changes.append(Change("Value", _text(before), _text(after)))
    facts = [(_label(key), _text(value)) for key, value in details.items()]
    return changes, facts


def _label(key: str) -> str:
    return str(key).replace("_", " ").capitalize()


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_text(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value) or "—"
    return str(value)


def change_text(details: dict[str, Any] | None) -> tuple[str, str]:
    """(before, after) as one line each, for the download."""
    changes, facts = describe(details)
    before = "; ".join(f"{c.label}: {c.before}" for c in changes)
    after = "; ".join(f"{c.label}: {c.after}" for c in changes)
    if facts:
        after = "; ".join([after, *(f"{k}: {v}" for k, v in facts)]).lstrip("; ")
    return before, after


# --- the download -----------------------------------------------------------------


EXPORT_HEADER = ("When", "Who", "Action", "Target", "Before", "After", "Event id")


def export_rows(filters: AuditFilters, zone) -> Iterator[list[Any]]:
    """Every matching event, newest first, `EXPORT_BATCH` at a time (keyset on id)."""
    base = (
        filtered(filters, zone)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
        .limit(EXPORT_BATCH)
    )
    last: int | None = None
    while True:
        query = base if last is None else base.where(AuditEvent.id < last)
        events = list(db.session.scalars(query))
        yield from _export_batch(events, zone)
        if len(events) < EXPORT_BATCH:
            return
        last = events[-1].id  # the session holds rows weakly: earlier batches go


def _export_batch(events: Iterable[AuditEvent], zone) -> Iterator[list[Any]]:
    events = list(events)
    described = targets(events)
    for event in events:
        before, after = change_text(event.details)
        yield [
            time_zones.to_local(event.created_at, zone).replace(tzinfo=None),
            event.actor.name if event.actor else "System",
            action_label(event.action),
            described[event.id].text,
            before,
            after,
            event.id,
        ]
