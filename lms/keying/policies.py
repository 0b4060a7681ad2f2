"""Who may take, see and review keying attempts. Pure predicates: no queries.

The rules are the attempt engine's (lms.attempts.policies), so a keying
attempt is visible to exactly the people who can open it through the API:

* the learner takes, and sees the result of, only their own attempts;
* reviewers see every attempt at a test: who they are is the engine's one
  reviewer rule (lms.attempts.policies.reviews_assessment: admins, and
  trainers for tests from the content files and tests they own);
* a team's manager sees the results of the people in that team, and the
  integrity evidence of their finished attempts, read-only: never a live
  attempt's, never another team's, and never the trainers' lists of every
  attempt at a test or the acceptance of an unverified result.
"""

from __future__ import annotations

from lms.attempts import policies as attempt_policies


def can_take_attempt(user, attempt) -> bool:
    """Only the learner whose attempt it is types into it."""
    return attempt_policies.can_take_attempt(user, attempt)


def can_review_assessment(user, assessment) -> bool:
    """The engine's reviewer rule, by the name the keying pages use."""
    return attempt_policies.reviews_assessment(user, assessment)


def can_review_attempt(user, attempt) -> bool:
    """Reviewers of the test see every attempt at it, with the integrity evidence.
    Needs `attempt.assessment` loaded."""
    return can_review_assessment(user, attempt.assessment)


def can_view_evidence(user, attempt) -> bool:
    """The evidence page: the test's reviewers for any attempt; the manager of
    the learner's team once the attempt is finished. Needs `attempt.assessment`
    and `attempt.user.team` loaded."""
    if can_review_attempt(user, attempt):
        return True
    return not attempt.is_live and attempt_policies.manages_learner(user, attempt.user)


def can_view_result(user, attempt) -> bool:
    """The learner's own result, any result of a test the user reviews, or a
    team member's. Needs `attempt.assessment` and `attempt.user.team` loaded."""
    return attempt_policies.can_view_attempt(user, attempt)
