"""Feedback: giving it (a strength and one thing to improve, both required, with
an optional skill), the person's one reply and their acknowledgement, and the
lists that read it. Each change tells the other side in their notifications.

Who may do what is decided in lms.feedback.policies; views check it before
calling these. Services flush; callers commit. Every list is ordered for its
reader and loads what it shows in a fixed number of queries.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload

from lms import clock
from lms.attempts.models import Assessment, Attempt
from lms.auth.permissions import is_admin
from lms.errors import ConflictError, NotFoundError, ValidationError
from lms.extensions import db
from lms.feedback.models import Feedback
from lms.notifications.services import notify, path_for
from lms.skills.models import Skill
from lms.users.models import Team, User

TEXT_LIMIT = 2000


def _checked_text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"Write {what}.")
    if len(text) > TEXT_LIMIT:
        raise ValidationError(f"Keep {what} under {TEXT_LIMIT} characters.")
    return text


def _checked_skill(skill_id: int | None) -> int | None:
    if not skill_id:
        return None
    found = db.session.scalar(
        sa.select(Skill.id).where(Skill.id == skill_id, Skill.is_active.is_(True))
    )
    if found is None:
        raise ValidationError("Choose a skill from the list, or none.")
    return found


# --- writing --------------------------------------------------------------------


def give_feedback(
    author: User,
    subject: User,
    *,
    strength: str,
    improve: str,
    skill_id: int | None = None,
    attempt: Attempt | None = None,
) -> Feedback:
    """Record feedback on `subject` (about `attempt`, when given) and tell them."""
    if attempt is not None and attempt.user_id != subject.id:
        raise ValidationError("That attempt is someone else's.")
    if author.id == subject.id:
        raise ValidationError("Feedback is for someone else.")
    feedback = Feedback(
        author_id=author.id,
        subject_id=subject.id,
        attempt_id=attempt.id if attempt else None,
        skill_id=_checked_skill(skill_id),
        strength=_checked_text(strength, "a strength"),
        improve=_checked_text(improve, "one thing to improve"),
        created_at=clock.now(),
    )
    db.session.add(feedback)
    db.session.flush()
    about = f" on “{attempt.assessment.title}”" if attempt is not None else ""
    notify(
        subject.id,
        "feedback",
        f"New feedback from {author.name}{about}",
        path_for("feedback.detail", feedback_id=feedback.id),
        dedupe_key=f"feedback:{feedback.id}",
    )
    return feedback


def reply(feedback: Feedback, person: User, text: str) -> Feedback:
    """The person's one reply; the author is told."""
    if person.id != feedback.subject_id:
        raise ValidationError("Only the person the feedback is about can reply.")
    body = _checked_text(text, "your reply")
    done = db.session.execute(
        sa.update(Feedback)
        .where(Feedback.id == feedback.id, Feedback.replied_at.is_(None))
        .values(reply=body, replied_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise ConflictError("You have already replied to this feedback.")
    db.session.refresh(feedback, ["reply", "replied_at"])
    if feedback.author_id is not None:
        notify(
            feedback.author_id,
            "feedback_reply",
            f"{person.name} replied to your feedback",
            path_for("feedback.detail", feedback_id=feedback.id),
            dedupe_key=f"feedback-reply:{feedback.id}",
        )
    return feedback


def acknowledge(feedback: Feedback, person: User) -> Feedback:
    """The person has read it (idempotent)."""
    if person.id != feedback.subject_id:
        raise ValidationError(
            "Only the person the feedback is about can acknowledge it."
        )
    if feedback.acknowledged_at is None:
        feedback.acknowledged_at = clock.now()
        db.session.flush()
    return feedback


# --- reading ----------------------------------------------------------------------


def _with_context(query: sa.Select) -> sa.Select:
    """Loads what the lists and the policies read: author, subject and team, skill,
    attempt and its assessment (without its content)."""
    return query.options(
        joinedload(Feedback.author),
        joinedload(Feedback.subject).joinedload(User.team),
        joinedload(Feedback.skill),
        joinedload(Feedback.attempt)
        .joinedload(Attempt.assessment)
        .options(defer(Assessment.content, raiseload=True)),
    )


def get_feedback(feedback_id: int) -> Feedback:
    found = db.session.scalar(
        _with_context(sa.select(Feedback).where(Feedback.id == feedback_id))
    )
    if found is None:
        raise NotFoundError("There is no such feedback.")
    return found


def about_query(subject_id: int) -> sa.Select:
    """Feedback about one person: not yet acknowledged first, newest first."""
    return _with_context(
        sa.select(Feedback)
        .where(Feedback.subject_id == subject_id)
        .order_by(
            Feedback.acknowledged_at.is_not(None),
            Feedback.created_at.desc(),
            Feedback.id.desc(),
        )
    )


def given_query(author_id: int) -> sa.Select:
    """Feedback someone gave, newest first."""
    return _with_context(
        sa.select(Feedback)
        .where(Feedback.author_id == author_id)
        .order_by(Feedback.created_at.desc(), Feedback.id.desc())
    )


def on_attempt(attempt_id: int) -> list[Feedback]:
    """Feedback on one attempt, oldest first (a conversation reads down)."""
    return list(
        db.session.scalars(
            _with_context(
                sa.select(Feedback)
                .where(Feedback.attempt_id == attempt_id)
                .order_by(Feedback.created_at, Feedback.id)
            )
        )
    )


def latest_about(subject_id: int, limit: int) -> tuple[list[Feedback], int]:
    """The first `limit` of `about_query` and how many there are in all."""
    items = list(db.session.scalars(about_query(subject_id).limit(limit)))
    total = db.session.scalar(
        sa.select(sa.func.count(Feedback.id)).where(Feedback.subject_id == subject_id)
    )
    return items, total


def _unacknowledged(viewer: User, *columns) -> sa.Select:
    query = (
        sa.select(*columns)
        .select_from(Feedback)
        .join(User, User.id == Feedback.subject_id)
        .where(Feedback.acknowledged_at.is_(None))
    )
    if not is_admin(viewer):
        managed = sa.select(Team.id).where(Team.manager_id == viewer.id)
        query = query.where(User.team_id.in_(managed))
    return query


def unacknowledged_query(viewer: User) -> sa.Select:
    """Feedback not yet acknowledged about the people of the teams `viewer`
    manages (admins: everyone), oldest first: the longest waiting lead."""
    return _with_context(
        _unacknowledged(viewer, Feedback).order_by(Feedback.created_at, Feedback.id)
    )


def unacknowledged_for_teams(
    manager: User, *, limit: int | None = None
) -> list[Feedback]:
    """`unacknowledged_query` as a list (for the dashboard); `age_days` tells how
    long each has waited."""
    query = unacknowledged_query(manager)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def unacknowledged_count_for_teams(manager: User) -> int:
    return db.session.scalar(_unacknowledged(manager, sa.func.count(Feedback.id)))


def age_days(feedback: Feedback, now: datetime | None = None) -> int:
    """Whole days since the feedback was given."""
    return max(0, ((now or clock.now()) - feedback.created_at).days)


def skill_choices() -> list[tuple[int, str]]:
    """Active skills by name, for the optional link to one skill."""
    rows = db.session.execute(
        sa.select(Skill.id, Skill.name)
        .where(Skill.is_active.is_(True))
        .order_by(Skill.name, Skill.id)
    )
    return [(row.id, row.name) for row in rows]
