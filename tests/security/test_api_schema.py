"""schemathesis against the API's own OpenAPI document (/api/v1/openapi.json),
in process through the WSGI app, with a learner's and a trainer's API token.

Every documented operation is called with generated requests, valid ones and
ones that break the schema: no answer may be a 5xx, and every answer must match
the document (a documented status code and content type, a body of the
documented shape). Bounded in examples so the whole file runs in well under a
minute and replays the same examples on every run.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lms.attempts.services import start_attempt
from lms.auth import tokens
from lms.extensions import db
from lms.users.models import Role
from tests import factories

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
# Per operation and mode: with free path parameters (mostly unknown ids), then
# with the ids of real rows (the learner's live attempt, the trainer's quiz, the
# learner's team), so bodies and queries reach the code behind the lookup.
FREE_EXAMPLES = 10
KNOWN_EXAMPLES = 25


def _bounded(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _academy(app) -> dict:
    """A learner in a team with a live and a finished quiz attempt, the trainer who
    owns the quiz, and an API token each."""
    with app.app_context():
        manager = factories.user(Role.MANAGER)
        team = factories.team("Claims", manager=manager)
        learner = factories.user(team=team)
        trainer = factories.user(Role.TRAINER)
        quiz = factories.quiz(3, owner=trainer, slug="invoice-quiz")
        test = factories.record_entry_test(owner=trainer, slug="invoice-keying")
        factories.quiz_attempt(learner, quiz, number=1)
        live = start_attempt(learner, quiz).attempt
        start_attempt(learner, test)
        raw = {
            "learner": tokens.create_token(learner, "schema check")[1],
            "trainer": tokens.create_token(trainer, "schema check")[1],
        }
        db.session.commit()
        known = {"slug": quiz.slug, "attempt_id": live.id, "team_id": team.id}
        return {"tokens": raw, "known": known}


@pytest.fixture
def academy(app, clock, build_once) -> dict:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is an answer to judge
    return build_once(_academy, app)


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    documented = {f"{m.upper()} {path}" for path, ops in paths.items() for m in ops}
    # The loader leaves out the document itself; every other call is exercised.
    assert {op.label for op in operations} == documented - {"GET /openapi.json"}
    return operations


def _exercise(operation, mode, headers: dict, known: dict) -> None:
    strategies = [(FREE_EXAMPLES, operation.as_strategy(generation_mode=mode))]
    fixed = {name: v for name, v in known.items() if f"{{{name}}}" in operation.path}
    if fixed:
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)
        strategies.append((KNOWN_EXAMPLES, strategy))
    else:
        strategies[0] = (KNOWN_EXAMPLES, strategies[0][1])
    for examples, strategy in strategies:

        @_bounded(examples)
        @given(case=strategy)
        def calls(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        calls()


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_every_operation_answers_as_documented(app, academy, role):
    headers = {"Authorization": f"Bearer {academy['tokens'][role]}"}
    failures = []
    for operation in _operations(app):
        for mode in MODES:
            try:
                _exercise(operation, mode, headers, academy["known"])
            except Unsatisfiable:
                # Nothing to break in a call without inputs (GET /health, /me/…).
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
            except Exception as exc:  # noqa: BLE001 — collected, reported together
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
