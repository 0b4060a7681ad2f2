"""The signed-in person's skills and career goal as JSON: GET /api/v1/me/skills
and GET /api/v1/me/career, on the `api` blueprint (token or session, like every
call). Thin: they serialise what the "My skills" and "My career" pages read
(lms.skills.profile, lms.skills.recommendations)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask_login import current_user

from lms.api.views import api_permission, bp, iso
from lms.skills import profile, recommendations
from lms.skills.profile import GoalStatus, Profile, RoleOutlook, SkillLevel


@bp.get("/me/skills")
@api_permission("learning.view")
def my_skills():
    found = profile.profile_for(current_user)
    return jsonify(
        {
            "skills": [_skill_body(row) for row in found.skills],
            "goal": _goal_body(found.goal),
        }
    )


@bp.get("/me/career")
@api_permission("learning.view")
def my_career():
    found = profile.profile_for(current_user)
    return jsonify(_career_body(found))


def _skill_ref(skill) -> dict[str, Any]:
    return {"slug": skill.slug, "name": skill.name}


def _skill_body(row: SkillLevel) -> dict[str, Any]:
    return {
        **_skill_ref(row.skill),
        "category": {"slug": row.skill.category.slug, "name": row.skill.category.name},
        "level": row.level,
        "descriptor": row.descriptor,
        "since": iso(row.since),
        "evidence_count": row.evidence_count,
        "last_evidence_at": iso(row.last_evidence_at),
        "self_level": row.self_level,
        "target_level": row.target,
        "gap": row.gap,
        "links": {"evidence": url_for("skills.skill_trail", slug=row.skill.slug)},
    }


def _goal_body(goal: GoalStatus | None) -> dict[str, Any] | None:
    if goal is None:
        return None
    role = goal.role
    return {
        "role": {
            "slug": role.slug,
            "name": role.name,
            "path": {"slug": role.path.slug, "name": role.path.name},
        },
        "target_date": goal.goal.target_date.isoformat()
        if goal.goal.target_date
        else None,
        "status": goal.goal.status,
        "note": goal.goal.note,
        "set_at": iso(goal.goal.created_at),
        "readiness": goal.outlook.readiness,
    }


def _career_body(found: Profile) -> dict[str, Any]:
    goal = found.goal
    if goal is None:
        return {"goal": None, "readiness": None, "gaps": [], "recommendations": []}
    outlook = goal.outlook
    steps = recommendations.recommend(current_user, outlook.gaps)
    return {
        "goal": _goal_body(goal),
        "readiness": outlook.readiness,
        "gaps": _gaps_body(outlook),
        "recommendations": _steps_body(steps, outlook),
    }


def _gaps_body(outlook: RoleOutlook) -> list[dict[str, Any]]:
    return [
        {
            "skill": _skill_ref(gap.skill),
            "required": gap.required,
            "current": gap.current,
            "gap": gap.gap,
            "met": gap.met,
        }
        for gap in outlook.gaps
    ]


def _steps_body(
    steps: list[recommendations.Recommendation], outlook: RoleOutlook
) -> list[dict[str, Any]]:
    names = {gap.skill.id: gap.skill for gap in outlook.gaps}
    rows = recommendations.explained(
        steps, outlook.role.name, {i: s.name for i, s in names.items()}
    )
    return [
        {
            "type": "course" if row["step"].is_course else "assessment",
            "kind": row["step"].kind,
            "kind_label": row["kind_label"],
            "slug": row["step"].slug,
            "title": row["step"].title,
            "url": row["url"],
            "moves": [
                {
                    "skill": _skill_ref(names[m["move"].skill_id]),
                    "level": m["move"].outcome.level,
                    "condition": m["move"].outcome.condition,
                    "current": m["move"].current,
                    "required": m["move"].required,
                    "reaches_target": m["move"].reaches,
                    "text": m["text"],
                }
                for m in row["moves"]
            ],
        }
        for row in rows
    ]
