"""Read-only summaries for the landing page: a few fixed-size queries per role,
never one query per person or per course."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload

from lms import clock
from lms.attempts.links import result_url
from lms.attempts.models import SUBMITTED, Assessment, Attempt
from lms.attempts.policies import only_reviewed_by
from lms.attempts.queries import finished
from lms.auth.permissions import has_permission
from lms.courses import progress as course_services
from lms.courses.models import Course, Enrolment
from lms.extensions import db
from lms.keying.services import flags_of, headline_of
from lms.reports.matrix import team_headlines
from lms.users.models import Role, Team, User

RECENT_LIMIT = 8


@dataclass
class MemberProgress:
    user: User
    assigned: int
    completed: int
    overdue: int

    @property
    def fraction(self) -> float:
        return self.completed / self.assigned if self.assigned else 0.0


def panels_for(user: User, teams_page: int = 1) -> dict:
    """What `user` sees first; admins get every team a page at a time."""
    panels: dict = {"learning": course_services.learning_summary(user)}
    panels["recent_results"] = recent_results(user)
    if has_permission(user, "course.author"):
        panels["authoring"] = authoring_summary(user)
        panels["to_review"] = recent_attempts_on_content(user)
    if user.role == Role.MANAGER:
        panels["teams"] = team_progress(user)
    if user.role == Role.ADMIN:
        panels["all_teams"] = teams_overview(teams_page)
        panels["admin"] = {
            "users": _count(User.id, User.is_active_account),
            "teams": _count(Team.id),
            "courses": _count(Course.id, Course.is_published),
            "assessments": _count(Assessment.id, Assessment.is_published),
        }
    return panels


def _count(column, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count(column)).where(*where)) or 0


def _attempt_rows(query) -> list[dict]:
    """Finished attempts, newest first, with their result page and, for keying
    tests, the headline figures (read from the loaded result: no more queries)."""
    attempts = db.session.scalars(
        query.options(
            joinedload(Attempt.assessment),
            joinedload(Attempt.user),
            defer(Attempt.snapshot, raiseload=True),
        )
        .order_by(Attempt.submitted_at.desc())
        .limit(RECENT_LIMIT)
    ).all()
    return [
        {
            "attempt": a,
            "url": result_url(a),
            "keying": headline_of(a),
            "flags": len(flags_of(a)),
        }
        for a in attempts
    ]


def recent_results(user: User) -> list[dict]:
    """The user's own latest finished attempts."""
    return _attempt_rows(
        sa.select(Attempt).where(Attempt.user_id == user.id, finished())
    )


def recent_attempts_on_content(user: User) -> list[dict]:
    """Latest finished attempts on assessments this trainer reviews."""
    query = (
        sa.select(Attempt)
        .join(Assessment, Assessment.id == Attempt.assessment_id)
        .where(Attempt.state == SUBMITTED, Attempt.user_id != user.id)
    )
    return _attempt_rows(only_reviewed_by(user, query))


def authoring_summary(user: User) -> dict:
    owned = Course.owner_id == user.id
    return {
        "courses": _count(Course.id, owned),
        "drafts": _count(Course.id, owned, sa.not_(Course.is_published)),
        "assessments": _count(Assessment.id, Assessment.owner_id == user.id),
    }


TEAMS_PER_PAGE = 25


def teams_overview(page: int):
    """Every team, a page at a time, each with its manager and the team
    dashboard's headline: for admins, whose academy may hold hundreds of teams
    (their people are on each team's dashboard, 50 at a time)."""
    found = db.paginate(
        sa.select(Team).options(joinedload(Team.manager)).order_by(Team.name, Team.id),
        page=page,
        per_page=TEAMS_PER_PAGE,
        error_out=False,
    )
    headlines = team_headlines([team.id for team in found.items])
    return {"page": found, "headlines": headlines}


def team_progress(user: User) -> list[dict]:
    """Each team the manager manages with its members' course progress and the
    team dashboard's headline (lms.reports): a fixed number of queries whatever
    the number of teams and people."""
    teams = db.session.scalars(
        sa.select(Team).where(Team.manager_id == user.id).order_by(Team.name)
    ).all()
    if not teams:
        return []
    rows = member_progress([t.id for t in teams], clock.now().date())
    by_team: dict[int, list[MemberProgress]] = {t.id: [] for t in teams}
    for row in rows:
        by_team[row.user.team_id].append(row)
    headlines = team_headlines([t.id for t in teams])
    return [_team_summary(team, by_team[team.id], headlines[team.id]) for team in teams]


def _team_summary(team: Team, members: list[MemberProgress], headline) -> dict:
    assigned = sum(m.assigned for m in members)
    completed = sum(m.completed for m in members)
    return {
        "team": team,
        "headline": headline,
        "members": members,
        "size": len(members),
        "assigned": assigned,
        "completed": completed,
        "fraction": completed / assigned if assigned else 0.0,
        "overdue": sum(m.overdue for m in members),
        "people_overdue": sum(1 for m in members if m.overdue),
    }


def member_progress(team_ids: list[int], today: date) -> list[MemberProgress]:
    completed = sa.func.sum(sa.case((Enrolment.completed_at.is_not(None), 1), else_=0))
    overdue = sa.func.sum(
        sa.case(
            (
                sa.and_(
                    Enrolment.required.is_(True),
                    Enrolment.completed_at.is_(None),
                    Enrolment.due_on < today,
                ),
                1,
            ),
            else_=0,
        )
    )
    rows = db.session.execute(
        sa.select(User, sa.func.count(Enrolment.id), completed, overdue)
        .outerjoin(
            Enrolment,
            sa.and_(Enrolment.user_id == User.id, Enrolment.source == "assigned"),
        )
        .where(User.team_id.in_(team_ids), User.is_active_account)
        .group_by(User.id)
        .order_by(User.name)
    ).all()
    return [MemberProgress(u, n or 0, c or 0, o or 0) for u, n, c, o in rows]
