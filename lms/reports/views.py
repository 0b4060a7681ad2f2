"""The manager's report pages (blueprint "reports", capability "report.team":
managers for the teams they manage, admins for every team):

* /reports/team — the team dashboard: headline, biggest gaps, the skill
  matrix (sortable, filtered by category, 50 people a page) and each person's
  overdue work, result trends and feedback;
* /reports/team/results — the team's attempts and results, filtered;
* /reports/coverage — who can do a skill at a level or above.

A team the viewer may not see answers 404 like a team that does not exist.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from lms.attempts.links import page_url
from lms.auth.permissions import permission_required
from lms.errors import NotFoundError
from lms.extensions import db
from lms.forms import int_arg, page_number
from lms.keying.views.blueprint import FLAG_LABELS, floor_number, floor_percent
from lms.reports import charts, coverage, matrix, results, scope
from lms.reports.forms import CoverageForm, ResultsFilterForm
from lms.skills.profile import active_skills
from lms.users.models import User

bp = Blueprint("reports", __name__, url_prefix="/reports")

CAPABILITY = "report.team"


def _team_arg() -> int | None:
    return int_arg("team")


def _sparks(row: matrix.PersonRow) -> dict:
    t = row.trends
    return {
        "kph": charts.sparkline([p.value for p in t.net_kph], "Net KPH", floor_number),
        "accuracy": charts.sparkline(
            [p.value for p in t.accuracy], "Keying accuracy", floor_percent
        ),
        "quiz": charts.sparkline(
            [p.value for p in t.quiz_percent], "Quiz score", charts.percent
        ),
    }


@bp.get("/team")
@permission_required(CAPABILITY)
def team():
    found = matrix.team_matrix(
        current_user,
        _team_arg(),
        category=request.args.get("category") or None,
        sort=request.args.get("sort"),
        page=page_number(),
    )
    return render_template(
        "reports/team_dashboard.html",
        m=found,
        sparks={row.id: _sparks(row) for row in found.rows} if found else {},
    )


def _person_in_team(person_id: int | None, team_id: int) -> User | None:
    if not person_id:
        return None
    return db.session.scalar(
        db.select(User).where(User.id == person_id, User.team_id == team_id)
    )


@bp.get("/team/results")
@permission_required(CAPABILITY)
def team_results():
    teams = scope.teams_for(current_user)
    team = scope.chosen_team(current_user, _team_arg(), teams)
    form = ResultsFilterForm(request.args)
    form.set_choices(results.assessment_choices(), results.kind_choices())
    if team is None:
        return render_template("reports/team_results.html", team=None, form=form)
    person = _person_in_team(int_arg("person"), team.id)
    valid = form.validate()
    found = None
    if valid:
        filters = results.Filters(
            person_id=person.id if person else None,
            assessment_id=form.assessment.data,
            kind=form.kind.data or None,
            since=form.since.data,
            until=form.until.data,
        )
        found = results.team_results(team.id, filters, page=page_number())
    return render_template(
        "reports/team_results.html",
        team=team,
        teams=teams,
        person=person,
        form=form,
        found=found,
        result_urls={
            row.attempt_id: page_url(row.kind, row.attempt_id, "result")
            for row in (found.rows if found else [])
            if not row.live
        },
        FLAG_LABELS=FLAG_LABELS,
    ), (200 if valid else 400)


@bp.get("/coverage")
@permission_required(CAPABILITY)
def coverage_page():
    columns = matrix.skill_columns(active_skills())
    form = CoverageForm(request.args)
    form.set_skills(columns)
    asked = "skill" in request.args
    found = None
    status = 200
    if asked:
        if form.validate():
            try:
                found = coverage.coverage(
                    current_user, form.skill.data, form.level.data, page=page_number()
                )
            except NotFoundError as exc:
                form.skill.errors = [str(exc)]
                status = 400
        else:
            status = 400
    return render_template(
        "reports/coverage.html", form=form, found=found, asked=asked
    ), status
