"""Who may give, read, answer and acknowledge feedback.

* **On a person**: whoever looks after them (lms.people.policies.looks_after: an
  admin, the manager of their team, their mentor in an active pairing) and so
  may see them (can_view_person), never the person themselves.
* **On an attempt**: someone who may see the attempt (lms.attempts.policies.
  can_view_attempt) and holds a relationship to it: the assessment's reviewer
  (trainers of what they look after, lms.attempts.policies.reviews_assessment),
  the manager of the learner's team, or an admin; the learner's mentor too when
  the attempt is visible to them. Only finished attempts: an attempt in progress
  is nobody's business but the learner's.
* **Reading**: the person it is about, its author, and whoever looks after the
  person; feedback on an attempt also the assessment's reviewers. A learner never
  sees feedback about someone else.
* **Replying** (once) and **acknowledging**: only the person it is about.

Checks need `feedback.subject.team` and, for feedback on an attempt,
`feedback.attempt.assessment` loaded (lms.feedback.services loads them).
"""

from __future__ import annotations

from lms.attempts.policies import can_view_attempt, reviews_assessment
from lms.people.policies import looks_after


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_give_on_person(author, person) -> bool:
    if not _signed_in(author) or author.id == person.id:
        return False
    return looks_after(author, person)


def can_give_on_attempt(author, attempt) -> bool:
    if not _signed_in(author) or author.id == attempt.user_id:
        return False
    if not attempt.is_final or not can_view_attempt(author, attempt):
        return False
    return reviews_assessment(author, attempt.assessment) or looks_after(
        author, attempt.user
    )


def can_read(viewer, feedback) -> bool:
    if not _signed_in(viewer):
        return False
    if viewer.id in (feedback.subject_id, feedback.author_id):
        return True
    if feedback.attempt is not None and reviews_assessment(
        viewer, feedback.attempt.assessment
    ):
        return True
    return looks_after(viewer, feedback.subject)


def can_reply(viewer, feedback) -> bool:
    return (
        _signed_in(viewer)
        and viewer.id == feedback.subject_id
        and feedback.replied_at is None
    )


def can_acknowledge(viewer, feedback) -> bool:
    return (
        _signed_in(viewer)
        and viewer.id == feedback.subject_id
        and feedback.acknowledged_at is None
    )
