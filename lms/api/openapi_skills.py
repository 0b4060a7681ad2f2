"""The OpenAPI description of the signed-in user's skills and career calls
(GET /me/skills, GET /me/career), merged into the document by lms.api.openapi."""

from __future__ import annotations

from typing import Any

from lms.api.openapi import _errors, _json, _ref

SKILLS_SCHEMAS: dict[str, Any] = {
    "SkillRef": {
        "type": "object",
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
    },
    "SkillLevel": {
        "type": "object",
        "required": ["slug", "name", "level"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "category": _ref("SkillRef"),
            "level": {
                "type": "integer",
                "minimum": 0,
                "maximum": 5,
                "description": "1 Awareness … 5 Expert; 0 = not yet shown",
            },
            "descriptor": {"type": "string", "description": "What the level means"},
            "since": {"type": ["string", "null"], "format": "date-time"},
            "evidence_count": {"type": "integer"},
            "last_evidence_at": {"type": ["string", "null"], "format": "date-time"},
            "self_level": {
                "type": ["integer", "null"],
                "description": "The user's own view: shown, never counted",
            },
            "target_level": {
                "type": ["integer", "null"],
                "description": "What the goal's role needs; null without a goal "
                "or when the role does not name this skill",
            },
            "gap": {"type": "integer", "minimum": 0},
            "links": {
                "type": "object",
                "properties": {
                    "evidence": {
                        "type": "string",
                        "description": "The page listing the evidence of this level",
                    }
                },
            },
        },
    },
    "Goal": {
        "type": "object",
        "properties": {
            "role": {
                "type": "object",
                "properties": {
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "path": _ref("SkillRef"),
                },
            },
            "target_date": {"type": ["string", "null"], "format": "date"},
            "status": {"type": "string", "enum": ["active"]},
            "note": {"type": "string"},
            "set_at": {"type": "string", "format": "date-time"},
            "readiness": {"type": "number", "minimum": 0, "maximum": 100},
        },
    },
    "MySkills": {
        "type": "object",
        "properties": {
            "skills": {"type": "array", "items": _ref("SkillLevel")},
            "goal": {"oneOf": [_ref("Goal"), {"type": "null"}]},
        },
    },
    "MyCareer": {
        "type": "object",
        "properties": {
            "goal": {"oneOf": [_ref("Goal"), {"type": "null"}]},
            "readiness": {
                "type": ["number", "null"],
                "description": "Share of the role's required levels held, 0–100",
            },
            "gaps": {
                "type": "array",
                "description": "Every skill the role requires, largest gap first",
                "items": {
                    "type": "object",
                    "properties": {
                        "skill": _ref("SkillRef"),
                        "required": {"type": "integer"},
                        "current": {"type": "integer"},
                        "gap": {"type": "integer", "minimum": 0},
                        "met": {"type": "boolean"},
                    },
                },
            },
            "recommendations": {
                "type": "array",
                "description": "Next steps, largest gap first: a course, then its "
                "check quiz, then keying tests. Steps that would not move the user, "
                "or that they already hold at that level, are left out.",
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string", "enum": ["course", "assessment"]},
                        "kind": {
                            "type": "string",
                            "description": "course, quiz or a keying kind",
                        },
                        "kind_label": {"type": "string"},
                        "slug": {"type": "string"},
                        "title": {"type": "string"},
                        "url": {"type": "string", "description": "Where to start it"},
                        "moves": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "skill": _ref("SkillRef"),
                                    "level": {"type": "integer"},
                                    "condition": {
                                        "type": "string",
                                        "description": "The result that gives it, "
                                        "e.g. a job-ready band",
                                    },
                                    "current": {"type": "integer"},
                                    "required": {"type": "integer"},
                                    "reaches_target": {"type": "boolean"},
                                    "text": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}

SKILLS_PATHS: dict[str, Any] = {
    "/me/skills": {
        "get": {
            "operationId": "mySkills",
            "summary": "The signed-in user's skill levels with evidence",
            "description": "Every active skill of the framework, technical before "
            "professional: the maintained level (0 = not yet shown), how many pieces "
            "of evidence count and when the last arrived, the user's own view (never "
            "counted) and, when they have a career goal, the level its role needs. "
            "Always the caller's own skills.",
            "responses": {
                "200": _json(_ref("MySkills"), "Skill levels"),
                **_errors("401", "403", "429"),
            },
        }
    },
    "/me/career": {
        "get": {
            "operationId": "myCareer",
            "summary": "Career goal, per-skill gap, readiness and next steps",
            "description": "The caller's active goal (target role and date), its "
            "readiness in percent, the gap per required skill (largest first) and "
            "recommended next steps for the largest gaps: published courses and "
            "assessments mapped to those skills, each with what it would move. "
            "Without a goal: goal and readiness are null, the lists empty.",
            "responses": {
                "200": _json(_ref("MyCareer"), "Career readiness"),
                **_errors("401", "403", "429"),
            },
        }
    },
}
