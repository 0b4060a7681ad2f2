"""Who may see a person, and who may rate their skills.

A person is **visible** to themselves, to admins, to the manager of their team
(lms.attempts.policies.manages_learner: `person.team` must be loaded) and to
their mentor in an active pairing (lms.mentorship.policies.is_mentor_of).
Everyone else gets 403 on the person page and never finds them in a list.

A person's skills are **rated** by hand by the same people except the person
themselves: a learner cannot rate themselves into a level (they self-assess,
which is shown beside and never counted), and an admin who is also a learner
is no exception.

The visibility rule has two faces that must agree: `can_view_person(viewer,
person)` checks one loaded person, `people_visible_to(viewer)` is the same rule
as a SQL condition over User for list queries (tests check them against each
other for every role and relationship).
"""

from __future__ import annotations

import sqlalchemy as sa

from lms.attempts.policies import manages_learner
from lms.auth.permissions import has_permission, is_admin
from lms.mentorship.policies import is_mentor_of, mentees_of
from lms.users.models import Team, User

# The capability behind "the manager of their team" (manages_learner checks it too).
TEAM_CAPABILITY = "team.view"


def _signed_in(viewer) -> bool:
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False))


def looks_after(viewer, person) -> bool:
    """Is `viewer` someone who looks after `person`: an admin, the manager of
    their team, or their mentor? (Says nothing about the person themselves.)"""
    if is_admin(viewer) or manages_learner(viewer, person):
        return True
    return is_mentor_of(viewer, person)


def can_view_person(viewer, person) -> bool:
    if not _signed_in(viewer):
        return False
    return viewer.id == person.id or looks_after(viewer, person)


def can_rate_person(viewer, person) -> bool:
    if not _signed_in(viewer) or viewer.id == person.id:
        return False
    return looks_after(viewer, person)


def people_visible_to(viewer) -> sa.ColumnElement[bool] | None:
    """`can_view_person` as a where-clause over User: None for admins (no filter),
    a false condition for someone signed out."""
    if not _signed_in(viewer):
        return sa.false()
    if is_admin(viewer):
        return None
    conditions = [User.id == viewer.id, User.id.in_(mentees_of(viewer))]
    if has_permission(viewer, TEAM_CAPABILITY):
        managed = sa.select(Team.id).where(Team.manager_id == viewer.id)
        conditions.append(User.team_id.in_(managed))
    return sa.or_(*conditions)


def only_visible_to(viewer, query: sa.Select) -> sa.Select:
    """`query` (which selects or joins User) narrowed to the people `viewer` may see."""
    condition = people_visible_to(viewer)
    return query if condition is None else query.where(condition)
