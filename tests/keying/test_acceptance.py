"""A keying attempt without keystroke evidence is scored but unverified (no
band, not passed, the reason given) until a trainer reviews it and accepts it;
the acceptance is audited and announced like a regrade."""

from __future__ import annotations

import pytest

from lms.attempts import finalisation, regrading
from lms.attempts import services as attempt_services
from lms.audit.models import AuditEvent
from lms.errors import ValidationError
from lms.extensions import db
from lms.users.models import Role
from tests import factories


def _answer_everything(attempt):
    """Every record typed perfectly, saved straight through the API: no events."""
    values = {}
    for record in attempt.snapshot["records"]:
        values[record["id"]] = {
            f["name"]: record["values"][f["name"]] for f in attempt.snapshot["fields"]
        }
    return values


@pytest.fixture
def scripted(app_ctx, clock):
    test = factories.record_entry_test(time_limit_seconds=600)
    attempt = attempt_services.start_attempt(factories.user(), test).attempt
    clock.advance(seconds=20)
    attempt_services.save_responses(attempt, 1, _answer_everything(attempt))
    attempt_services.submit_attempt(attempt)
    db.session.commit()
    return attempt


def test_answers_without_a_keystroke_log_earn_no_band(scripted):
    result = scripted.result
    assert result["validity"] == "unverified"
    assert "no keystroke record" in result["validity_reason"].lower()
    assert (scripted.band, scripted.passed, scripted.is_valid) == (None, False, False)
    assert result["band_explanation"].startswith("No band")


def test_a_trainer_accepts_it_with_a_reason_and_the_band_follows(scripted, clock):
    trainer = factories.user(Role.TRAINER)
    heard = []
    listener = finalisation.on_finalised(lambda a, reason: heard.append(reason))
    try:
        regrading.accept_result(
            scripted,
            reason="Watched the learner type it in the test room.",
            actor=trainer,
        )
    finally:
        finalisation.remove_listener(listener)

    assert scripted.result["validity"] == "valid"
    assert scripted.band is not None and scripted.passed and scripted.is_valid
    assert scripted.result["accepted"]["by"] == trainer.id
    assert any(f["code"] == "no_keystroke_log" for f in scripted.result["flags"])
    assert heard == [finalisation.REGRADED]
    (event,) = db.session.query(AuditEvent).filter_by(action="attempt.accept").all()
    assert event.details["before"]["validity"] == "unverified"


def test_accepting_needs_a_reason_and_an_unverified_result(scripted):
    trainer = factories.user(Role.TRAINER)
    with pytest.raises(ValidationError):
        regrading.accept_result(scripted, reason="  ", actor=trainer)
    regrading.accept_result(scripted, reason="Checked.", actor=trainer)
    with pytest.raises(ValidationError, match="unverified"):
        regrading.accept_result(scripted, reason="Again.", actor=trainer)


def test_accepting_keeps_each_flag_once(scripted):
    before = [f["code"] for f in scripted.flags]
    regrading.accept_result(
        scripted, reason="Checked.", actor=factories.user(Role.TRAINER)
    )
    assert [f["code"] for f in scripted.flags] == before
    assert before.count("no_keystroke_log") == 1
