"""A team's skill matrix as JSON: GET /api/v1/teams/<id>/skill-matrix, on the
`api` blueprint (token or session, like every call). Thin: it serialises what
the team dashboard reads (lms.reports.matrix.team_matrix).

Only the team's managers and admins get an answer. Any other manager asking
for a team gets the same 404 as for a team that does not exist, so the call
never confirms another team's existence, name or members; a role without
team reports gets 403.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_login import current_user

from lms.api.views import api_permission, bp
from lms.reports import matrix


@bp.get("/teams/<int:team_id>/skill-matrix")
@api_permission("report.team")
def team_skill_matrix(team_id: int):
    found = matrix.team_matrix(
        current_user,
        team_id,
        category=request.args.get("category") or None,
        sort=request.args.get("sort"),
        page=max(1, request.args.get("page", 1, type=int)),
        with_results=False,
    )
    return jsonify(_matrix_body(found))


def _skill_body(column: matrix.SkillColumn) -> dict[str, Any]:
    return {
        "id": column.id,
        "slug": column.slug,
        "name": column.name,
        "category": {"slug": column.category_slug, "name": column.category_name},
    }


def _cell_body(cell: matrix.Cell, slugs: dict[int, str]) -> dict[str, Any]:
    return {
        "skill": slugs[cell.skill_id],
        "level": cell.level,
        "required": cell.required,
        "gap": cell.gap,
        "status": cell.status,
    }


def _person_body(row: matrix.PersonRow, slugs: dict[int, str]) -> dict[str, Any]:
    goal = None
    if row.goal_role is not None:
        goal = {"role": row.goal_role, "readiness": row.readiness}
    counts = row.counts
    return {
        "id": row.id,
        "name": row.name,
        "job_title": row.job_title,
        "goal": goal,
        "levels": [_cell_body(cell, slugs) for cell in row.cells],
        "overdue": {
            "courses": counts.overdue_courses,
            "assessments": counts.overdue_assessments,
        },
        "feedback": {"given": counts.feedback, "unacknowledged": counts.unacknowledged},
        "links": {"person": url_for("people.person", user_id=row.id)},
    }


def _matrix_body(found: matrix.TeamMatrix) -> dict[str, Any]:
    slugs = {column.id: column.slug for column in found.skills}
    headline = found.headline
    pager = found.pager
    return {
        "team": {"id": found.team_id, "name": found.team_name},
        "category": found.category,
        "sort": found.sort.value,
        "skills": [_skill_body(column) for column in found.skills],
        "people": [_person_body(row, slugs) for row in found.rows],
        "headline": {
            "people": headline.people,
            "with_goal": headline.with_goal,
            "average_readiness": headline.average_readiness,
            "overdue": headline.overdue,
            "people_overdue": headline.people_overdue,
            "unacknowledged_feedback": headline.unacknowledged,
        },
        "gaps": [
            {
                "skill": gap.skill.slug,
                "people": gap.people,
                "levels": gap.levels,
                "needed": gap.needed,
            }
            for gap in found.gaps
        ],
        "page": {
            "number": pager.page,
            "per_page": pager.per_page,
            "total": pager.total,
            "pages": pager.pages,
        },
    }
