"""Who may take, see and manage which attempt. Pure predicates over loaded rows.

* Only the learner who owns an attempt saves answers to it or submits it;
  nobody else, admins included (a staff member who must close an attempt does
  it through the expiry or override tools, which are audited).
* An attempt is visible to its learner; to admins; to the assessment's
  reviewers; and to the manager of the learner's team. "The manager of the
  learner's team" has two faces too: `manages_learner(user, learner)` for one
  loaded learner, `teams_managed_by(user)` (the ids of the teams `user`
  manages, as a subquery) for list queries.

**Who reviews an assessment** is decided here and only here: admins review
every assessment; trainers (capability `assessment.review`) review the ones
that come from the content files, which nobody owns, and the ones they own.
The rule has two faces that must agree: `reviews_assessment(user, assessment)`
checks one loaded assessment, `reviewed_by(user)` is the same rule as a SQL
condition over Assessment for list queries. Both rest on `looks_after` /
`looked_after_by` (which assessments a staff member is responsible for), which
the quiz builder also uses for the quizzes a trainer may open.

`can_view_attempt` needs `attempt.assessment` and `attempt.user.team` loaded
(services.get_attempt does that with joins, so checks cost no queries).
"""

from __future__ import annotations

import sqlalchemy as sa

from lms.attempts.models import Assessment
from lms.auth.permissions import has_permission, is_admin
from lms.origins import ORIGIN_FILE
from lms.users.models import Team

REVIEW_CAPABILITY = "assessment.review"


def is_owner(user, attempt) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        attempt.user_id == user.id
    )


def can_take_attempt(user, attempt) -> bool:
    return is_owner(user, attempt) and has_permission(user, "assessment.take")


def looks_after(user, assessment) -> bool:
    """Is `assessment` one this staff member is responsible for? Admins: every
    one; others: those from the content files and those they own. Says nothing
    about what they may do with it: callers add the capability."""
    if is_admin(user):
        return True
    return assessment.origin == ORIGIN_FILE or assessment.owner_id == user.id


def looked_after_by(user) -> sa.ColumnElement[bool] | None:
    """`looks_after` as a condition over Assessment; None when every assessment
    qualifies (admins), so callers add no filter."""
    if is_admin(user):
        return None
    return sa.or_(Assessment.origin == ORIGIN_FILE, Assessment.owner_id == user.id)


def reviews_assessment(user, assessment) -> bool:
    """May `user` see every learner's attempts at `assessment`, grade them, grant
    overrides and read item statistics?"""
    return has_permission(user, REVIEW_CAPABILITY) and looks_after(user, assessment)


def reviewed_by(user) -> sa.ColumnElement[bool] | None:
    """`reviews_assessment` as a where-clause over Assessment: None for admins
    (no filter), a false condition for people who review nothing."""
    if not has_permission(user, REVIEW_CAPABILITY):
        return sa.false()
    return looked_after_by(user)


def only_reviewed_by(user, query: sa.Select) -> sa.Select:
    """`query` (which selects or joins Assessment) narrowed to what `user` reviews."""
    condition = reviewed_by(user)
    return query if condition is None else query.where(condition)


TEAM_CAPABILITY = "team.view"


def manages_learner(user, learner) -> bool:
    if not has_permission(user, TEAM_CAPABILITY):
        return False
    team = learner.team
    return team is not None and team.manager_id == user.id


def teams_managed_by(user) -> sa.Select:
    """`manages_learner` for lists: the ids of the teams `user` manages (none
    without the capability), to filter with `User.team_id.in_(...)`."""
    query = sa.select(Team.id)
    if not has_permission(user, TEAM_CAPABILITY):
        return query.where(sa.false())
    return query.where(Team.manager_id == user.id)


def can_view_attempt(user, attempt) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_owner(user, attempt) or is_admin(user):
        return True
    return reviews_assessment(user, attempt.assessment) or manages_learner(
        user, attempt.user
    )


def is_staff_viewer(user, attempt) -> bool:
    """Someone other than the learner looking at the attempt (full detail, keys included)."""
    return can_view_attempt(user, attempt) and not is_owner(user, attempt)
