"""Who may do what in mentorship.

* A person is **mentored by** someone while a pairing between them is active
  (status "active"; an ended pairing gives no access). `is_mentor_of` checks one
  pair, `mentees_of` is the same rule as a subquery of mentee ids for lists.
* **Pairings** are managed (created, ended) by admins and by the manager of the
  mentee's team (capability "mentoring.manage" and the team rule of
  lms.attempts.policies.manages_learner, which needs `mentee.team` loaded).
* A pairing is **seen** by its mentor, its mentee and whoever manages it.
* **Sessions** are logged by the pairing's mentor while the pairing is active;
  the mentee **acknowledges** them.
* An **action item** is ticked done (or undone) by its owner or by the
  pairing's mentor (who follows up on what the mentee agreed).

Checks over pairings, sessions and items need `session.pairing` and
`item.session.pairing` loaded (lms.mentorship.services loads them with joins).
"""

from __future__ import annotations

import sqlalchemy as sa

from lms.attempts.policies import manages_learner
from lms.auth.permissions import has_permission, is_admin
from lms.extensions import db
from lms.mentorship.models import ACTIVE, ActionItem, MentorPairing, MentorSession

MANAGE_CAPABILITY = "mentoring.manage"


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def mentees_of(user) -> sa.Select:
    """Ids of the people `user` mentors in an active pairing (a subquery)."""
    return sa.select(MentorPairing.mentee_id).where(
        MentorPairing.mentor_id == user.id, MentorPairing.status == ACTIVE
    )


def is_mentor_of(user, mentee) -> bool:
    """Does `user` mentor `mentee` in an active pairing? (one query)"""
    if not _signed_in(user) or user.id == mentee.id:
        return False
    found = db.session.scalar(
        sa.select(MentorPairing.id)
        .where(
            MentorPairing.mentor_id == user.id,
            MentorPairing.mentee_id == mentee.id,
            MentorPairing.status == ACTIVE,
        )
        .limit(1)
    )
    return found is not None


def can_manage_pairings(user, mentee) -> bool:
    """May `user` pair mentors with `mentee`, and end their pairings?"""
    if not _signed_in(user):
        return False
    if is_admin(user):
        return True
    return has_permission(user, MANAGE_CAPABILITY) and manages_learner(user, mentee)


def can_view_pairing(user, pairing: MentorPairing) -> bool:
    if not _signed_in(user):
        return False
    if user.id in (pairing.mentor_id, pairing.mentee_id):
        return True
    return can_manage_pairings(user, pairing.mentee)


def can_log_session(user, pairing: MentorPairing) -> bool:
    return (
        _signed_in(user) and pairing.status == ACTIVE and pairing.mentor_id == user.id
    )


def can_acknowledge(user, session: MentorSession) -> bool:
    return _signed_in(user) and session.pairing.mentee_id == user.id


def can_tick(user, item: ActionItem) -> bool:
    if not _signed_in(user):
        return False
    return user.id in (item.owner_id, item.session.pairing.mentor_id)
