"""Who may take, see and manage which attempt. Pure predicates over loaded rows.

* Only the learner who owns an attempt saves answers to it or submits it;
  nobody else, admins included (a staff member who must close an attempt does
  it through the expiry or override tools, which are audited).
* An attempt is visible to its learner; to admins; to trainers who review the
  assessment (they own it, or it comes from the quiz files, which nobody
  owns — the same rule as lms.quizzes.policies.can_review_assessment); and to
  the manager of the learner's team.

`can_view_attempt` needs `attempt.assessment` and `attempt.user.team` loaded
(services.get_attempt does that with joins, so checks cost no queries).
"""

from __future__ import annotations

from lms.auth.permissions import has_permission, is_admin
from lms.courses.models import ORIGIN_FILE


def is_owner(user, attempt) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        attempt.user_id == user.id
    )


def can_take_attempt(user, attempt) -> bool:
    return is_owner(user, attempt) and has_permission(user, "assessment.take")


def reviews_assessment(user, assessment) -> bool:
    """Trainers and admins who may see every learner's attempts at `assessment`."""
    if not has_permission(user, "assessment.review"):
        return False
    if is_admin(user):
        return True
    return assessment.origin == ORIGIN_FILE or assessment.owner_id == user.id


def manages_learner(user, learner) -> bool:
    if not has_permission(user, "team.view"):
        return False
    team = learner.team
    return team is not None and team.manager_id == user.id


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
