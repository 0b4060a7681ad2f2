"""Reading assessment assignments: a learner's own with their best result, the
people an assessment is assigned to with where each stands, and per assessment
and due date how many of an assigner's people have passed.

"Passed" is a finalised, valid attempt marked passed (a quiz at or above its
pass mark; a keying test with a band), whenever it was taken: a result from
before the assignment still shows the person can do it. "Overdue" is a required
assignment past its due date without a pass; optional assignments are never
overdue. Results are read with correlated look-ups on the attempt index (learner,
assessment), so every list costs a fixed number of queries however many
assignments and attempts there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy.orm import defer, joinedload

from lms import clock
from lms.attempts.models import SUBMITTED, Assessment, AssessmentAssignment, Attempt
from lms.auth.permissions import is_admin
from lms.courses.assignments import AssignScope, assign_scope
from lms.extensions import db
from lms.users.models import User

SHOW = ("all", "not_passed", "overdue")


def _finished_attempts():
    """The attempts of the assignment's person at the assignment's assessment."""
    return (
        Attempt.user_id == AssessmentAssignment.user_id,
        Attempt.assessment_id == AssessmentAssignment.assessment_id,
        Attempt.state == SUBMITTED,
    )


def _passing():
    return (*_finished_attempts(), Attempt.passed.is_(True), Attempt.is_valid.is_(True))


def _first_passed_at():
    return (
        sa.select(sa.func.min(Attempt.submitted_at))
        .where(*_passing())
        .correlate(AssessmentAssignment)
        .scalar_subquery()
    )


def _best_percent():
    return (
        sa.select(sa.func.max(Attempt.percent))
        .where(*_finished_attempts(), Attempt.is_valid.is_(True))
        .correlate(AssessmentAssignment)
        .scalar_subquery()
    )


def _attempt_count():
    return (
        sa.select(sa.func.count(Attempt.id))
        .where(*_finished_attempts())
        .correlate(AssessmentAssignment)
        .scalar_subquery()
    )


def has_passed():
    """A condition over AssessmentAssignment: its person has passed its assessment."""
    return sa.exists().where(*_passing()).correlate(AssessmentAssignment)


def _overdue(today: date):
    return sa.and_(
        AssessmentAssignment.required.is_(True),
        AssessmentAssignment.due_on < today,
        ~has_passed(),
    )


def _in_scope(query: sa.Select, scope: AssignScope) -> sa.Select:
    if scope.unrestricted:
        return query
    return query.where(User.team_id.in_(scope.team_ids or []))


@dataclass
class AssignedResult:
    """One assignment with where its person stands."""

    assignment: AssessmentAssignment
    passed_at: datetime | None
    best_percent: float | None
    attempts: int

    @property
    def passed(self) -> bool:
        return self.passed_at is not None

    @property
    def passed_late(self) -> bool:
        due = self.assignment.due_on
        return self.passed and due is not None and self.passed_at.date() > due

    def is_overdue(self, today: date) -> bool:
        a = self.assignment
        return (
            a.required and not self.passed and a.due_on is not None and a.due_on < today
        )


def _results_select() -> sa.Select:
    return sa.select(
        AssessmentAssignment,
        _first_passed_at().label("passed_at"),
        _best_percent().label("best_percent"),
        _attempt_count().label("attempts"),
    )


def _result(row) -> AssignedResult:
    return AssignedResult(row[0], row.passed_at, row.best_percent, row.attempts or 0)


# --- a learner's own ----------------------------------------------------------------


def my_assessment_assignments(user: User) -> list[AssignedResult]:
    """Everything assigned to `user`, not yet passed first, then by due date: one
    query. A person's assignments are few; the list is not paged."""
    passed_at = _first_passed_at()
    query = (
        _results_select()
        .join(Assessment, Assessment.id == AssessmentAssignment.assessment_id)
        .where(AssessmentAssignment.user_id == user.id)
        .options(
            joinedload(AssessmentAssignment.assessment).options(
                defer(Assessment.content, raiseload=True)
            )
        )
        .order_by(
            passed_at.is_not(None),
            AssessmentAssignment.required.desc(),
            AssessmentAssignment.due_on.is_(None),
            AssessmentAssignment.due_on,
            Assessment.title,
        )
    )
    return [_result(row) for row in db.session.execute(query)]


# --- one assessment's assignees ----------------------------------------------------


def assignees_query(
    assessment: Assessment, scope: AssignScope, show: str = "all", today=None
) -> sa.Select:
    """The people `assessment` is assigned to whom the assigner may see, not yet
    passed first (overdue among them first), then by due date and name."""
    passed_at = _first_passed_at()
    query = (
        _results_select()
        .join(User, User.id == AssessmentAssignment.user_id)
        .where(AssessmentAssignment.assessment_id == assessment.id)
        .options(
            joinedload(AssessmentAssignment.user).joinedload(User.team),
            joinedload(AssessmentAssignment.assigned_by),
        )
        .order_by(
            passed_at.is_not(None),
            AssessmentAssignment.due_on.is_(None),
            AssessmentAssignment.due_on,
            User.name,
            AssessmentAssignment.id,
        )
    )
    if show == "not_passed":
        query = query.where(~has_passed())
    elif show == "overdue":
        query = query.where(_overdue(today))
    return _in_scope(query, scope)


def assignees_page(
    assessment: Assessment,
    scope: AssignScope,
    *,
    show: str,
    today: date,
    page: int,
    per_page: int,
) -> Pagination:
    """A page of `assignees_query`; items are AssignedResult."""
    found = rows_page(
        assignees_query(assessment, scope, show, today), page=page, per_page=per_page
    )
    found.items = [_result(row) for row in found.items]
    return found


# --- per assessment and due date ---------------------------------------------------


@dataclass(frozen=True)
class AssignmentStatus:
    """How an assessment assigned for one due date stands across an assigner's people."""

    assessment_id: int
    slug: str
    title: str
    kind: str
    due_on: date | None
    assigned: int
    passed: int
    overdue: int

    @property
    def not_passed(self) -> int:
        return self.assigned - self.passed


def assignment_status_query(scope: AssignScope, today: date) -> sa.Select:
    """One row per assessment and due date: assigned, passed and overdue counts
    over the people in `scope`; those with people overdue first, then by due date."""
    passed = sa.func.sum(sa.case((has_passed(), 1), else_=0))
    overdue = sa.func.sum(sa.case((_overdue(today), 1), else_=0))
    query = (
        sa.select(
            Assessment.id,
            Assessment.slug,
            Assessment.title,
            Assessment.kind,
            AssessmentAssignment.due_on,
            sa.func.count(AssessmentAssignment.id).label("assigned"),
            passed.label("passed"),
            overdue.label("overdue"),
        )
        .join(Assessment, Assessment.id == AssessmentAssignment.assessment_id)
        .join(User, User.id == AssessmentAssignment.user_id)
        .group_by(
            Assessment.id,
            Assessment.slug,
            Assessment.title,
            Assessment.kind,
            AssessmentAssignment.due_on,
        )
        .order_by(
            overdue.desc(),
            AssessmentAssignment.due_on.is_(None),
            AssessmentAssignment.due_on,
            Assessment.title,
        )
    )
    return _in_scope(query, scope)


def _status(row) -> AssignmentStatus:
    return AssignmentStatus(*row[:5], row.assigned, row.passed or 0, row.overdue or 0)


def assignment_status_page(
    scope: AssignScope, today: date, *, page: int, per_page: int
) -> Pagination:
    found = rows_page(
        assignment_status_query(scope, today), page=page, per_page=per_page
    )
    found.items = [_status(row) for row in found.items]
    return found


def _teams_of(manager: User) -> AssignScope:
    """The people of the teams `manager` manages; everyone for admins."""
    return assign_scope(manager, unrestricted=is_admin(manager))


def assignment_status_for_teams(
    manager: User, today: date | None = None, *, limit: int | None = None
) -> list[AssignmentStatus]:
    """Per assessment and due date, how the people of the teams `manager` manages
    stand (admins: everyone); those with people overdue first. One query."""
    query = assignment_status_query(_teams_of(manager), today or clock.now().date())
    if limit is not None:
        query = query.limit(limit)
    return [_status(row) for row in db.session.execute(query)]


def overdue_for_teams(
    manager: User, today: date | None = None, *, limit: int | None = None
) -> list[AssignedResult]:
    """The overdue assessment assignments of the people of the teams `manager`
    manages (admins: everyone), the longest overdue first, each with its person,
    their team and the assessment loaded. One query."""
    today = today or clock.now().date()
    query = _in_scope(
        _results_select()
        .join(User, User.id == AssessmentAssignment.user_id)
        .where(_overdue(today))
        .options(
            joinedload(AssessmentAssignment.user).joinedload(User.team),
            joinedload(AssessmentAssignment.assessment).options(
                defer(Assessment.content, raiseload=True)
            ),
        )
        .order_by(AssessmentAssignment.due_on, User.name, AssessmentAssignment.id),
        _teams_of(manager),
    )
    if limit is not None:
        query = query.limit(limit)
    return [_result(row) for row in db.session.execute(query)]


# --- pages of rows -----------------------------------------------------------------


class _RowPagination(SelectPagination):
    """db.paginate() keeps only the first column of each row; this keeps rows."""

    def _query_items(self) -> list:
        select = self._query_args["select"]
        select = select.limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def rows_page(query: sa.Select, *, page: int, per_page: int) -> Pagination:
    return _RowPagination(
        select=query,
        session=db.session(),
        page=page,
        per_page=per_page,
        error_out=False,
        max_per_page=None,
        count=True,
    )
