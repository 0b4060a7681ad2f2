"""The OpenAPI description of the team reports call (GET
/teams/{team_id}/skill-matrix), merged into the document by lms.api.openapi."""

from __future__ import annotations

from typing import Any

from lms.api.openapi import _errors, _json, _ref

_INT = {"type": "integer"}
_COUNT = {"type": "integer", "minimum": 0}

REPORTS_SCHEMAS: dict[str, Any] = {
    "MatrixSkill": {
        "type": "object",
        "properties": {
            "id": _INT,
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "category": _ref("SkillRef"),
        },
    },
    "MatrixCell": {
        "type": "object",
        "properties": {
            "skill": {"type": "string", "description": "The skill's slug"},
            "level": {
                "type": "integer",
                "minimum": 0,
                "maximum": 5,
                "description": "The maintained level; 0 = not yet shown",
            },
            "required": {
                "type": ["integer", "null"],
                "description": "What the person's goal role needs; null when it "
                "does not name this skill (or they have no goal)",
            },
            "gap": _COUNT,
            "status": {
                "type": "string",
                "enum": ["met", "gap1", "gap2", "none"],
                "description": "met; one level short; two or more short; not required",
            },
        },
    },
    "MatrixPerson": {
        "type": "object",
        "properties": {
            "id": _INT,
            "name": {"type": "string"},
            "job_title": {"type": ["string", "null"]},
            "goal": {
                "type": ["object", "null"],
                "properties": {
                    "role": {"type": "string"},
                    "readiness": {"type": "number", "minimum": 0, "maximum": 100},
                },
            },
            "levels": {"type": "array", "items": _ref("MatrixCell")},
            "overdue": {
                "type": "object",
                "properties": {"courses": _COUNT, "assessments": _COUNT},
            },
            "feedback": {
                "type": "object",
                "properties": {"given": _COUNT, "unacknowledged": _COUNT},
            },
            "links": {
                "type": "object",
                "properties": {"person": {"type": "string"}},
            },
        },
    },
    "SkillMatrix": {
        "type": "object",
        "properties": {
            "team": {
                "type": "object",
                "properties": {"id": _INT, "name": {"type": "string"}},
            },
            "category": {"type": ["string", "null"]},
            "sort": {"type": "string"},
            "skills": {"type": "array", "items": _ref("MatrixSkill")},
            "people": {"type": "array", "items": _ref("MatrixPerson")},
            "headline": {
                "type": "object",
                "properties": {
                    "people": _COUNT,
                    "with_goal": _COUNT,
                    "average_readiness": {"type": ["number", "null"]},
                    "overdue": _COUNT,
                    "people_overdue": _COUNT,
                    "unacknowledged_feedback": _COUNT,
                },
            },
            "gaps": {
                "type": "array",
                "description": "The skills the team falls shortest in for its "
                "goals: most levels short in all first",
                "items": {
                    "type": "object",
                    "properties": {
                        "skill": {"type": "string"},
                        "people": _COUNT,
                        "levels": _COUNT,
                        "needed": _INT,
                    },
                },
            },
            "page": {
                "type": "object",
                "properties": {
                    "number": _INT,
                    "per_page": _INT,
                    "total": _COUNT,
                    "pages": _INT,
                },
            },
        },
    },
}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema}


REPORTS_PATHS: dict[str, Any] = {
    "/teams/{team_id}/skill-matrix": {
        "get": {
            "operationId": "teamSkillMatrix",
            "summary": "A team's skill matrix (managers of that team and admins)",
            "description": "The team's people (50 a page) against the active skills: "
            "each level against what the person's goal role needs, their readiness, "
            "overdue assignments and feedback, the team's headline and its biggest "
            "gaps. A team that does not exist and a team the caller does not manage "
            "both answer 404 with the same message; roles without team reports 403.",
            "parameters": [
                {"name": "team_id", "in": "path", "required": True, "schema": _INT},
                _query(
                    "category",
                    "Only the skills of this category (slug)",
                    {"type": "string"},
                ),
                _query(
                    "sort",
                    "name, readiness or skill:<slug>; a leading - sorts descending. "
                    "People without a goal come last by readiness.",
                    {"type": "string", "default": "name"},
                ),
                _query("page", "Page of 50 people", {"type": "integer", "minimum": 1}),
            ],
            "responses": {
                "200": _json(_ref("SkillMatrix"), "The team's skill matrix"),
                **_errors("401", "403", "404", "429"),
            },
        }
    },
}
