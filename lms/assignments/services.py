"""Assigning a quiz or keying test to people with a due date, required or
optional. Each assignee is told (once per due date). Services flush; callers
commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from lms.attempts import kinds
from lms.attempts.models import Assessment, AssessmentAssignment
from lms.courses.assignments import check_due_on, due_text
from lms.errors import ValidationError
from lms.extensions import db
from lms.notifications.services import notify_many, path_for
from lms.users.models import User


@dataclass(frozen=True)
class AssignOutcome:
    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


def assign_assessment(
    assessment: Assessment,
    people: list[User],
    *,
    due_on: date | None,
    required: bool,
    by: User,
) -> AssignOutcome:
    """Assign `assessment` to `people` (a chosen team already expanded to its
    members by lms.courses.assignments.resolve_assignees).

    Assigning someone again changes the due date, whether it is required and who
    assigned it; their attempts and results are untouched.
    """
    if not assessment.is_published:
        raise ValidationError("Publish the assessment before assigning it.")
    if not people:
        raise ValidationError("Choose at least one person or a team.")
    check_due_on(due_on)
    existing = {
        a.user_id: a
        for a in db.session.scalars(
            sa.select(AssessmentAssignment).where(
                AssessmentAssignment.assessment_id == assessment.id,
                AssessmentAssignment.user_id.in_([p.id for p in people]),
            )
        )
    }
    created = 0
    for person in people:
        assignment = existing.get(person.id)
        if assignment is None:
            assignment = AssessmentAssignment(
                assessment_id=assessment.id, user_id=person.id
            )
            db.session.add(assignment)
            created += 1
        assignment.due_on = due_on
        assignment.required = required
        assignment.assigned_by_id = by.id
    db.session.flush()
    _tell_assignees(assessment, [p.id for p in people], due_on, required)
    return AssignOutcome(created=created, updated=len(people) - created)


def _tell_assignees(
    assessment: Assessment, user_ids: list[int], due_on: date | None, required: bool
) -> None:
    what = (
        kinds.get(assessment.kind).label if kinds.is_registered(assessment.kind) else ""
    )
    detail = ", ".join(
        part
        for part in (what, "required" if required else "optional", due_text(due_on))
        if part
    )
    notify_many(
        user_ids,
        "assignment",
        f"New assignment: “{assessment.title}” ({detail})",
        path_for("attempts.intro", slug=assessment.slug),
        dedupe_key=f"assigned:assessment:{assessment.id}:{due_on}",
    )
