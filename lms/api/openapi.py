"""The OpenAPI 3.1 document of API v1, written by hand as a Python dict.

Every call of the api blueprint is described here, the skills calls in
lms/api/openapi_skills.py and the team reports call in lms/api/openapi_reports.py
(a test checks that the routes and this document agree). Calls that other
domains will add are listed with `x-status: planned` so integrators can see what
is coming.
"""

from __future__ import annotations

from typing import Any

API_VERSION = "1.0.0"

ERROR_CODES = {
    "400": "Bad request: malformed JSON, a wrong value shape, an unknown item id, "
    "or a missing X-CSRFToken header on a cookie-authenticated call.",
    "401": "Not signed in, or the Bearer token is wrong or revoked.",
    "403": "Signed in, but not allowed (someone else's attempt, or the role lacks it).",
    "404": "No such assessment or attempt.",
    "409": "The attempt's state or time does not allow this (the `error` code says why).",
    "413": "The request body is larger than the call's limit (API_MAX_BODY_BYTES "
    "for saves, API_MAX_SMALL_BODY_BYTES for other calls).",
    "429": "Too many calls; slow down.",
    "503": "The database is busy (locked, in conflict or unreachable): error `busy`; "
    "send the request again after the Retry-After seconds.",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def _errors(*statuses: str) -> dict[str, Any]:
    return {s: {"$ref": f"#/components/responses/E{s}"} for s in statuses}


def _attempt_id() -> dict[str, Any]:
    return {
        "name": "attempt_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
    }


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {
                "type": "string",
                "description": "Machine-readable code, e.g. invalid, invalid_json, "
                "csrf_failed, unauthorized, invalid_token, forbidden, not_found, "
                "too_large, time_up, answers_closed, attempt_submitted, "
                "attempt_abandoned, no_attempts_left, not_open, closed, too_soon.",
            },
            "message": {"type": "string", "description": "Written for a person."},
        },
    },
    "Item": {
        "type": "object",
        "description": "What a learner may see of one item. Never contains answer "
        "keys, correct flags or feedback. Quiz items have the fields below; keying "
        "items carry the source record, field names and labels.",
        "required": ["id", "type"],
        "properties": {
            "id": {"type": "string"},
            "type": {
                "type": "string",
                "description": "single | multiple | truefalse | short | numeric | "
                "ordering (quizzes) or a keying item type",
            },
            "number": {"type": "integer"},
            "page": {"type": "integer"},
            "prompt": {"type": "string", "description": "Markdown source"},
            "prompt_html": {"type": "string", "description": "Sanitised HTML"},
            "points": {"type": "number"},
            "choices": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "text": {"type": "string"},
                    },
                },
            },
            "items": {
                "type": "array",
                "description": "ordering: the items to put in order (never in the right order)",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "text": {"type": "string"},
                    },
                },
            },
            "units": {"type": "string"},
        },
    },
    "ResponseValue": {
        "description": "single: choice id; multiple: list of choice ids; truefalse: "
        "boolean; short: text; numeric: text or number; ordering: every item id once, "
        "in order; keying: text or {field: text}; null clears the answer.",
        "oneOf": [
            {"type": "string"},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": {"type": "string"}},
            {"type": "null"},
        ],
    },
    "Timing": {
        "type": "object",
        "properties": {
            "started_at": {"type": "string", "format": "date-time"},
            "deadline_at": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "min(start + limit + extra time, close time); null = untimed",
            },
            "submitted_at": {"type": ["string", "null"], "format": "date-time"},
            "server_now": {"type": "string", "format": "date-time"},
            "remaining_ms": {
                "type": ["integer", "null"],
                "description": "Milliseconds to the deadline on the server clock; "
                "re-sync the countdown from it.",
            },
            "grace_seconds": {"type": "integer"},
            "on_expiry": {"type": "string", "enum": ["autosubmit", "grace", "abandon"]},
        },
    },
    "Attempt": {
        "allOf": [
            _ref("Timing"),
            {
                "type": "object",
                "required": ["id", "state", "kind"],
                "properties": {
                    "id": {"type": "integer"},
                    "state": {
                        "type": "string",
                        "enum": ["in_progress", "submitted", "abandoned"],
                    },
                    "kind": {"type": "string"},
                    "number": {"type": "integer"},
                    "finalized_by": {
                        "type": ["string", "null"],
                        "enum": ["learner", "expiry", "staff", None],
                    },
                    "assessment": {
                        "type": "object",
                        "properties": {
                            "slug": {"type": "string"},
                            "title": {"type": "string"},
                        },
                    },
                    "last_seq": {"type": "integer"},
                    "links": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                    },
                    "items": {"type": "array", "items": _ref("Item")},
                    "responses": {
                        "type": "object",
                        "additionalProperties": _ref("ResponseValue"),
                    },
                    "result": {"oneOf": [_ref("Result"), {"type": "null"}]},
                },
            },
        ]
    },
    "SaveRequest": {
        "type": "object",
        "required": ["seq", "responses"],
        "properties": {
            "seq": {
                "type": "integer",
                "minimum": 1,
                "maximum": 2**31 - 1,
                "description": "Orders saves: a response is replaced only by a save with "
                "a higher seq, so repeating a save is harmless and an older save that "
                "arrives late changes nothing.",
            },
            "responses": {
                "type": "object",
                "additionalProperties": _ref("ResponseValue"),
            },
            "events": {
                "type": "array",
                "items": {"type": "object"},
                "description": "Keystroke events of keying tests (docs/keying.md).",
            },
        },
    },
    "SaveResponse": {
        "type": "object",
        "properties": {
            "saved_seq": {"type": "integer"},
            "last_seq": {"type": "integer"},
            "remaining_ms": {"type": ["integer", "null"]},
            "server_now": {"type": "string", "format": "date-time"},
            "deadline_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "Result": {
        "type": "object",
        "description": "Always: the headline numbers. `items` only when the "
        "assessment's review settings allow it. Keying results add net_kph, "
        "gross_kph, field_accuracy, char_accuracy, error_counts, ...",
        "properties": {
            "kind": {"type": "string"},
            "score": {"type": "number"},
            "max_score": {"type": "number"},
            "percent": {"type": "number", "description": "0–100"},
            "passed": {"type": "boolean"},
            "band": {"type": ["string", "null"]},
            "review": {
                "type": "object",
                "properties": {
                    "allowed": {"type": "boolean"},
                    "available_from": {
                        "type": ["string", "null"],
                        "format": "date-time",
                    },
                    "show_correct_answers": {"type": "boolean"},
                    "show_feedback": {"type": "boolean"},
                },
            },
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "correct": {"type": ["boolean", "null"]},
                        "points": {"type": "number"},
                        "max_points": {"type": "number"},
                        "outcome": {
                            "type": "string",
                            "enum": ["right", "partial", "wrong", "pending", "none"],
                        },
                        "response_summary": {"type": "string"},
                        "right_answer": {"type": "string"},
                        "feedback_html": {"type": "string"},
                    },
                },
            },
        },
    },
    "SubmitResponse": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "state": {"type": "string"},
            "finalized_by": {"type": "string"},
            "submitted_at": {"type": ["string", "null"], "format": "date-time"},
            "result": {"oneOf": [_ref("Result"), {"type": "null"}]},
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
}


PATHS: dict[str, Any] = {
    "/live": {
        "get": {
            "operationId": "live",
            "summary": "Liveness: the app's process answers",
            "description": "Touches no database: restart the process when this fails.",
            "security": [],
            "responses": {
                "200": {
                    "description": "The process answers",
                    "content": {
                        "text/plain": {"schema": {"type": "string", "const": "ok"}}
                    },
                },
            },
        }
    },
    "/health": {
        "get": {
            "operationId": "health",
            "summary": "Health check: the app answers and its database takes writes",
            "description": "Answers within a second either way.",
            "security": [],
            "responses": {
                "200": {
                    "description": "The app answers and its database takes writes",
                    "content": {
                        "text/plain": {"schema": {"type": "string", "const": "ok"}}
                    },
                },
                "503": _json(
                    _ref("Error"),
                    "The database is busy or unreachable (error `busy`); "
                    "Retry-After says when to ask again.",
                ),
            },
        }
    },
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1 document")},
        }
    },
    "/assessments/{slug}/attempts": {
        "post": {
            "operationId": "startAttempt",
            "summary": "Start an attempt, or resume the live one",
            "description": "Starting while an attempt is live returns it (200) with the "
            "same deadline and every saved answer: the clock never restarts.",
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "201": _json(_ref("Attempt"), "A new attempt"),
                "200": _json(_ref("Attempt"), "The live attempt, resumed"),
                **_errors("401", "403", "404", "409", "429", "503"),
            },
        }
    },
    "/attempts/{attempt_id}": {
        "get": {
            "operationId": "getAttempt",
            "summary": "State, timing and (once review is allowed) the result",
            "parameters": [_attempt_id()],
            "responses": {
                "200": _json(_ref("Attempt"), "The attempt"),
                **_errors("401", "403", "404", "429"),
            },
        }
    },
    "/attempts/{attempt_id}/responses": {
        "put": {
            "operationId": "saveResponses",
            "summary": "Save answers (autosave)",
            "description": "Accepted until deadline + grace on the server clock (under "
            "the `grace` policy only until the deadline). Nothing is stored when any "
            "answer is invalid.",
            "parameters": [_attempt_id()],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("SaveRequest")}},
            },
            "responses": {
                "200": _json(_ref("SaveResponse"), "Saved"),
                **_errors("400", "401", "403", "404", "409", "413", "429", "503"),
            },
        }
    },
    "/attempts/{attempt_id}/submit": {
        "post": {
            "operationId": "submitAttempt",
            "summary": "Submit (finalise) the attempt",
            "description": "Idempotent: a repeat, a double click or a second tab gets "
            "the same stored result. After deadline + grace the answer is 409 "
            "`time_up` (the saved answers were already submitted by the expiry "
            "policy) or `attempt_abandoned`.",
            "parameters": [_attempt_id()],
            "responses": {
                "200": _json(_ref("SubmitResponse"), "Submitted; the stored result"),
                **_errors("401", "403", "404", "409", "429", "503"),
            },
        }
    },
}


def build_openapi() -> dict[str, Any]:
    from lms.api.openapi_reports import REPORTS_PATHS, REPORTS_SCHEMAS
    from lms.api.openapi_skills import SKILLS_PATHS, SKILLS_SCHEMAS

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Back Office Academy API",
            "version": API_VERSION,
            "description": "Timed attempts at quizzes and keying tests, and the "
            "signed-in user's skills and career goal. Errors are JSON "
            "{error, message}. See docs/api.md.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}, {"cookieAuth": [], "csrfHeader": []}],
        "paths": PATHS | SKILLS_PATHS | REPORTS_PATHS,
        "components": {
            "schemas": SCHEMAS | SKILLS_SCHEMAS | REPORTS_SCHEMAS,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from /account/tokens.",
                },
                "cookieAuth": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "The browser session of a signed-in user.",
                },
                "csrfHeader": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-CSRFToken",
                    "description": "Required with cookieAuth on POST and PUT.",
                },
            },
            "responses": {
                f"E{status}": _json(_ref("Error"), text)
                for status, text in ERROR_CODES.items()
            },
        },
    }
