"""The attempt engine's rules, with a frozen server clock."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.attempts import grades, kinds, overrides, queries, review, services
from lms.attempts.models import Attempt, AttemptOverride, Response
from lms.audit.models import AuditEvent
from lms.errors import PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.quizzes import kind as quiz_kind
from lms.users.models import Role
from tests import factories
from tests.attempts.helpers import right_answers, wrong_answers

pytestmark = pytest.mark.usefixtures("app_ctx")

LIMIT = 600
GRACE = 30


def _quiz(**overrides):
    settings = {"grace_seconds": GRACE, **overrides.pop("settings", {})}
    overrides.setdefault("time_limit_seconds", LIMIT)
    return factories.quiz(6, settings=settings, **overrides)


def _start(user=None, quiz=None):
    user = user or factories.user()
    quiz = quiz or _quiz()
    return services.start_attempt(user, quiz).attempt, user, quiz


def _stored(attempt) -> dict:
    return services.responses_for(attempt)


# --------------------------------------------------------------------------
# Start and resume
# --------------------------------------------------------------------------


def test_start_takes_a_snapshot_and_a_server_deadline(clock):
    attempt, user, quiz = _start()

    assert attempt.state == "in_progress"
    assert attempt.started_at == clock.current
    assert attempt.deadline_at == clock.current + timedelta(seconds=LIMIT)
    assert len(attempt.snapshot["questions"]) == 6
    assert attempt.snapshot["engine"]["grace_seconds"] == GRACE
    assert attempt.number == 1 and attempt.seed > 0


def test_a_changed_assessment_does_not_change_a_live_attempt():
    attempt, user, quiz = _start()
    before = [q["prompt"] for q in attempt.snapshot["questions"]]

    quiz.content = {"questions": [factories.question("short")]}
    db.session.flush()

    assert [q["prompt"] for q in attempt.snapshot["questions"]] == before
    assert len(services.learner_items(attempt)) == 6


def test_starting_again_resumes_the_same_attempt_and_clock(clock):
    attempt, user, quiz = _start()
    deadline = attempt.deadline_at
    clock.advance(minutes=7)

    again = services.start_attempt(user, quiz)

    assert not again.created
    assert again.attempt.id == attempt.id
    assert again.attempt.deadline_at == deadline
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1


def test_resume_keeps_the_saved_answers_and_item_order():
    attempt, user, quiz = _start()
    items = services.learner_items(attempt)
    first = items[0]
    services.save_responses(
        attempt, 5, {first["id"]: right_answers(attempt)[first["id"]]}
    )

    again = services.start_attempt(user, quiz).attempt

    assert services.learner_items(again) == items
    assert first["id"] in _stored(again)


def test_many_starts_on_one_connection():
    """PostgreSQL switches a prepared statement to a generic plan after a few runs;
    the ON CONFLICT target must still find the one-live-attempt index then."""
    quiz = _quiz()

    started = [services.start_attempt(factories.user(), quiz) for _ in range(14)]

    assert all(s.created for s in started)


def test_the_close_time_cuts_a_long_time_limit_short(clock):
    quiz = _quiz(close_at=clock.current + timedelta(minutes=3))

    attempt, _, _ = _start(quiz=quiz)

    assert attempt.deadline_at == clock.current + timedelta(minutes=3)


def test_an_untimed_attempt_without_a_close_time_never_expires(clock):
    attempt, _, _ = _start(quiz=_quiz(time_limit_seconds=None))
    clock.advance(days=30)

    assert attempt.deadline_at is None
    assert not services.expire_if_due(attempt)
    services.save_responses(attempt, 1, {})
    assert attempt.state == "in_progress"


@pytest.mark.parametrize(
    ("quiz_kwargs", "reason"),
    [
        ({"published": False}, "unpublished"),
        ({"open_at": "future"}, "not_open"),
        ({"close_at": "past"}, "closed"),
    ],
)
def test_start_refuses_outside_the_window(clock, quiz_kwargs, reason):
    moments = {"future": clock.current + timedelta(hours=1), "past": clock.current}
    quiz = _quiz(**{k: moments.get(v, v) for k, v in quiz_kwargs.items()})

    with pytest.raises(services.AttemptStateError) as info:
        services.start_attempt(factories.user(), quiz)

    assert info.value.code == reason
    assert info.value.status == 409


def test_attempts_allowed_and_override_extra_attempts_are_audited():
    learner, trainer = factories.user(), factories.user(Role.TRAINER)
    quiz = _quiz(attempts_allowed=2, owner=trainer)
    for _ in range(2):
        services.submit_attempt(services.start_attempt(learner, quiz).attempt)

    with pytest.raises(services.AttemptStateError) as info:
        services.start_attempt(learner, quiz)
    assert info.value.code == "no_attempts_left"

    overrides.grant_override(
        quiz, learner, extra_attempts=1, reason="Power cut on floor 3", by=trainer
    )
    third = services.start_attempt(learner, quiz)

    assert third.created and third.attempt.number == 3
    event = db.session.scalar(sa.select(AuditEvent))
    assert (event.actor_id, event.action, event.target_id) == (
        trainer.id,
        "attempt.override",
        learner.id,
    )
    assert event.details["reason"] == "Power cut on floor 3"
    assert event.details["extra_attempts"] == 1


def test_override_extra_time_applies_at_start_and_to_a_live_attempt(clock):
    learner, admin = factories.user(), factories.user(Role.ADMIN)
    quiz = _quiz()
    overrides.grant_override(
        quiz, learner, extra_seconds=300, reason="Accessibility", by=admin
    )

    attempt = services.start_attempt(learner, quiz).attempt
    assert attempt.deadline_at == clock.current + timedelta(seconds=LIMIT + 300)

    overrides.grant_override(quiz, learner, extra_seconds=900, reason="More", by=admin)
    assert attempt.deadline_at == clock.current + timedelta(seconds=LIMIT + 900)
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 2


def test_an_override_changed_elsewhere_reaches_the_live_attempt(clock):
    learner = factories.user()
    quiz = _quiz()
    attempt = services.start_attempt(learner, quiz).attempt
    override = AttemptOverride(
        assessment_id=quiz.id, user_id=learner.id, extra_seconds=120, reason="x"
    )
    db.session.add(override)
    db.session.flush()

    overrides.sync_live_deadline(learner, quiz)
    assert attempt.deadline_at == clock.current + timedelta(seconds=LIMIT + 120)

    db.session.delete(override)
    db.session.flush()
    overrides.sync_live_deadline(learner, quiz)
    assert attempt.deadline_at == clock.current + timedelta(seconds=LIMIT)
    assert overrides.sync_live_deadline(factories.user(), quiz) is None


def test_override_extra_time_never_passes_the_close_time(clock):
    learner, admin = factories.user(), factories.user(Role.ADMIN)
    quiz = _quiz(close_at=clock.current + timedelta(minutes=12))
    overrides.grant_override(
        quiz, learner, extra_seconds=3600, reason="Scribe", by=admin
    )

    attempt = services.start_attempt(learner, quiz).attempt

    assert attempt.deadline_at == quiz.close_at


def test_only_reviewers_grant_overrides_and_they_give_a_reason():
    learner, quiz = factories.user(), _quiz()
    with pytest.raises(PermissionDeniedError):
        overrides.grant_override(
            quiz, learner, extra_seconds=60, reason="x", by=learner
        )
    with pytest.raises(ValidationError):
        overrides.grant_override(
            quiz, learner, extra_seconds=60, reason="  ", by=factories.user(Role.ADMIN)
        )
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_delay_between_attempts(clock):
    learner = factories.user()
    quiz = _quiz(settings={"delay_minutes": 30})
    services.submit_attempt(services.start_attempt(learner, quiz).attempt)

    clock.advance(minutes=29)
    with pytest.raises(services.AttemptStateError) as info:
        services.start_attempt(learner, quiz)
    assert info.value.code == "too_soon"

    clock.advance(minutes=1)
    assert services.start_attempt(learner, quiz).created


def test_each_attempt_gets_its_own_seed_and_a_seed_gives_one_order():
    quiz = _quiz(settings={"shuffle_questions": True})
    rng_a, rng_b = random.Random(42), random.Random(42)

    assert quiz_kind.build_snapshot(quiz, rng_a) == quiz_kind.build_snapshot(
        quiz, rng_b
    )
    seeds = {_start(quiz=quiz)[0].seed for _ in range(5)}
    assert len(seeds) == 5


def test_questions_per_attempt_draws_from_the_list():
    quiz = factories.quiz(10, settings={"questions_per_attempt": 4})

    attempt, _, _ = _start(quiz=quiz)

    drawn = [q["id"] for q in attempt.snapshot["questions"]]
    assert len(drawn) == 4 and len(set(drawn)) == 4


# --------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------


def test_a_repeated_seq_is_harmless():
    attempt, _, _ = _start()
    answers = right_answers(attempt)

    first = services.save_responses(attempt, 7, answers)
    again = services.save_responses(attempt, 7, answers)

    assert first.saved_seq == again.saved_seq == 7
    assert attempt.last_seq == 7
    assert _stored(attempt) == answers


def test_a_stale_lower_seq_does_not_overwrite_a_newer_value():
    attempt, _, _ = _start()
    right, wrong = right_answers(attempt), wrong_answers(attempt)
    qid, other = list(right)[:2]

    services.save_responses(attempt, 20, {qid: right[qid]})
    services.save_responses(attempt, 10, {qid: wrong[qid], other: wrong[other]})

    assert _stored(attempt) == {qid: right[qid], other: wrong[other]}
    assert attempt.last_seq == 20


def test_null_clears_an_answer():
    attempt, _, _ = _start()
    qid, value = next(iter(right_answers(attempt).items()))
    services.save_responses(attempt, 1, {qid: value})

    services.save_responses(attempt, 2, {qid: None})

    assert _stored(attempt) == {qid: None}


def test_save_reports_the_remaining_time_from_the_server_clock(clock):
    attempt, _, _ = _start()
    clock.advance(seconds=100)

    saved = services.save_responses(attempt, 1, {})

    assert saved.remaining_ms == (LIMIT - 100) * 1000
    assert saved.server_now == clock.current


@pytest.mark.parametrize(
    "bad",
    [
        {"nope": "c1"},  # unknown item id
        {"__proto__": None},
    ],
)
def test_unknown_item_ids_store_nothing(bad):
    attempt, _, _ = _start()
    good = right_answers(attempt)

    with pytest.raises(ValidationError):
        services.save_responses(attempt, 3, {**good, **bad})

    assert _stored(attempt) == {}
    assert attempt.last_seq == 0


@pytest.mark.parametrize(
    ("qtype", "value"),
    [
        ("single", 3),
        ("single", "c-not-a-choice"),
        ("single", ["c"]),
        ("multiple", "c1"),
        ("multiple", ["dup", "dup"]),
        ("truefalse", "true"),
        ("truefalse", 1),
        ("short", 12),
        ("short", "x" * 2001),
        ("numeric", True),
        ("numeric", {"v": 1}),
        ("ordering", ["o1"]),
        ("ordering", "o1,o2"),
    ],
)
def test_wrong_value_shapes_are_refused(qtype, value):
    quiz = factories.quiz([factories.question(qtype, qid="only")])
    attempt, _, _ = _start(quiz=quiz)

    with pytest.raises(ValidationError, match="only"):
        services.save_responses(attempt, 1, {"only": value})
    assert _stored(attempt) == {}


def test_ordering_needs_every_item_once():
    quiz = factories.quiz([factories.question("ordering", qid="o")])
    attempt, _, _ = _start(quiz=quiz)
    ids = [i["id"] for i in attempt.snapshot["questions"][0]["items"]]

    with pytest.raises(ValidationError):
        services.save_responses(attempt, 1, {"o": [ids[0], ids[0], ids[1]]})
    services.save_responses(attempt, 2, {"o": list(reversed(ids))})


@pytest.mark.parametrize(
    ("seq", "responses", "events"),
    [
        (0, {}, None),
        (-1, {}, None),
        ("5", {}, None),
        (True, {}, None),
        (2**31, {}, None),
        (1, ["q1"], None),
        (1, None, None),
        (1, {}, {"t": 1}),
    ],
)
def test_malformed_saves_are_refused(seq, responses, events):
    attempt, _, _ = _start()

    with pytest.raises(ValidationError):
        services.save_responses(attempt, seq, responses, events)
    assert attempt.last_seq == 0


# --------------------------------------------------------------------------
# Submitting
# --------------------------------------------------------------------------


@pytest.fixture
def score_calls(monkeypatch):
    """Count calls of the quiz scorer through the registry."""
    calls = []
    kind = services.get_kind("quiz")

    def counting(*args):
        calls.append(args)
        return kind.score(*args)

    counted = type("CountingQuiz", (type(kind),), {})()
    counted.score = counting
    monkeypatch.setitem(kinds._KINDS, "quiz", counted)
    return calls


def test_submit_scores_only_the_saved_answers(score_calls):
    attempt, _, _ = _start()
    right = right_answers(attempt)
    half = dict(list(right.items())[:3])
    services.save_responses(attempt, 1, half)

    services.submit_attempt(attempt)

    assert attempt.state == "submitted" and attempt.finalized_by == "learner"
    assert attempt.score == 3 and attempt.max_score == 6 and attempt.percent == 50
    assert attempt.result["items"][next(iter(half))]["correct"] is True
    assert len(score_calls) == 1


def test_a_repeated_submit_returns_the_stored_result_without_scoring_again(score_calls):
    attempt, _, _ = _start()
    services.save_responses(attempt, 1, right_answers(attempt))
    first = services.submit_attempt(attempt)
    result, version = dict(first.result), first.row_version

    again = services.submit_attempt(attempt)

    assert again.result == result
    assert again.row_version == version
    assert len(score_calls) == 1


def test_save_after_submit_is_refused_and_changes_nothing():
    attempt, _, _ = _start()
    services.save_responses(attempt, 1, right_answers(attempt))
    services.submit_attempt(attempt)

    with pytest.raises(services.AttemptStateError) as info:
        services.save_responses(attempt, 2, wrong_answers(attempt))

    assert info.value.code == "attempt_submitted"
    assert _stored(attempt) == right_answers(attempt)


# --------------------------------------------------------------------------
# Deadlines and expiry policies
# --------------------------------------------------------------------------

POLICIES = ("autosubmit", "grace", "abandon")


@pytest.mark.parametrize("policy", POLICIES)
def test_submit_one_second_before_the_end_of_grace_is_accepted(clock, policy):
    attempt, _, _ = _start(quiz=_quiz(on_expiry=policy))
    clock.set(attempt.deadline_at + timedelta(seconds=GRACE - 1))

    services.submit_attempt(attempt)

    assert attempt.state == "submitted" and attempt.finalized_by == "learner"
    assert attempt.submitted_at == clock.current


@pytest.mark.parametrize("policy", POLICIES)
def test_submit_one_second_after_the_end_of_grace_is_refused(clock, policy):
    attempt, _, _ = _start(quiz=_quiz(on_expiry=policy))
    clock.set(attempt.deadline_at + timedelta(seconds=GRACE + 1))

    with pytest.raises(services.AttemptStateError) as info:
        services.submit_attempt(attempt)

    assert info.value.status == 409
    assert info.value.code == (
        "attempt_abandoned" if policy == "abandon" else "time_up"
    )
    assert attempt.finalized_by == "expiry"


def test_autosubmit_scores_what_was_saved_and_finishes_at_the_deadline(clock):
    attempt, _, _ = _start(quiz=_quiz(on_expiry="autosubmit"))
    right = right_answers(attempt)
    services.save_responses(attempt, 1, dict(list(right.items())[:2]))
    clock.set(attempt.deadline_at + timedelta(seconds=GRACE - 1))
    services.save_responses(attempt, 2, dict(list(right.items())[2:4]))  # network grace
    clock.advance(seconds=2)

    assert services.expire_if_due(attempt)

    assert attempt.state == "submitted" and attempt.finalized_by == "expiry"
    assert attempt.submitted_at == attempt.deadline_at
    assert attempt.score == 4


def test_grace_policy_takes_no_new_answers_after_the_deadline_but_a_submit(clock):
    attempt, _, _ = _start(quiz=_quiz(on_expiry="grace"))
    right = right_answers(attempt)
    qid = next(iter(right))
    services.save_responses(attempt, 1, {qid: right[qid]})
    clock.set(attempt.deadline_at + timedelta(seconds=1))

    with pytest.raises(services.AttemptStateError) as info:
        services.save_responses(attempt, 2, right)
    assert info.value.code == "answers_closed"
    assert _stored(attempt) == {qid: right[qid]}

    services.submit_attempt(attempt)
    assert attempt.state == "submitted" and attempt.score == 1


def test_grace_policy_submits_what_was_saved_when_grace_runs_out(clock):
    attempt, _, _ = _start(quiz=_quiz(on_expiry="grace"))
    services.save_responses(attempt, 1, right_answers(attempt))
    clock.set(attempt.deadline_at + timedelta(seconds=GRACE + 1))

    assert services.expire_if_due(attempt)

    assert attempt.state == "submitted" and attempt.finalized_by == "expiry"
    assert attempt.percent == 100


def test_abandon_policy_leaves_an_unsubmitted_attempt_unscored(clock):
    attempt, _, _ = _start(quiz=_quiz(on_expiry="abandon"))
    services.save_responses(attempt, 1, right_answers(attempt))
    clock.set(attempt.deadline_at + timedelta(seconds=GRACE + 1))

    assert services.expire_if_due(attempt)

    assert attempt.state == "abandoned"
    assert attempt.result is None and attempt.score is None
    with pytest.raises(services.AttemptStateError) as info:
        services.save_responses(attempt, 2, {})
    assert info.value.code == "attempt_abandoned"


def test_saves_are_accepted_until_the_end_of_grace_then_refused(clock):
    attempt, _, _ = _start(quiz=_quiz(on_expiry="autosubmit"))
    qid, value = next(iter(right_answers(attempt).items()))
    clock.set(attempt.deadline_at + timedelta(seconds=GRACE))
    services.save_responses(attempt, 1, {qid: value})

    clock.advance(seconds=1)
    with pytest.raises(services.AttemptStateError):
        services.save_responses(attempt, 2, {qid: None})

    assert _stored(attempt) == {qid: value}
    assert attempt.state == "submitted"  # the save itself applied the expiry


def test_the_grace_length_comes_from_config_unless_the_assessment_sets_it(app, clock):
    app.config["ATTEMPT_GRACE_SECONDS"] = 5
    default = services.start_attempt(factories.user(), factories.quiz(2)).attempt
    custom = services.start_attempt(
        factories.user(), factories.quiz(2, settings={"grace_seconds": 120})
    ).attempt

    assert services.grace_seconds_of(default) == 5
    assert services.grace_seconds_of(custom) == 120


def test_expire_overdue_applies_every_policy_and_skips_what_is_not_due(clock):
    learners = [factories.user() for _ in range(5)]
    live = services.start_attempt(learners[0], _quiz()).attempt
    auto = services.start_attempt(learners[1], _quiz(time_limit_seconds=60)).attempt
    gone = services.start_attempt(
        learners[2], _quiz(time_limit_seconds=60, on_expiry="abandon")
    ).attempt
    graced = services.start_attempt(
        learners[3], _quiz(time_limit_seconds=60 + GRACE, on_expiry="grace")
    ).attempt
    untimed = services.start_attempt(
        learners[4], _quiz(time_limit_seconds=None)
    ).attempt
    clock.advance(seconds=60 + GRACE + 1)

    report = services.expire_overdue()

    assert (report.checked, report.submitted, report.abandoned) == (3, 1, 1)
    assert [a.state for a in (live, auto, gone, graced, untimed)] == [
        "in_progress",
        "submitted",
        "abandoned",
        "in_progress",  # past its deadline but still inside grace
        "in_progress",
    ]


# --------------------------------------------------------------------------
# Grades and review
# --------------------------------------------------------------------------


def _finished_attempts(quiz, learner, clock, fractions):
    for fraction in fractions:
        attempt = services.start_attempt(learner, quiz).attempt
        right, wrong = right_answers(attempt), wrong_answers(attempt)
        keys = list(right)
        cut = round(len(keys) * fraction)
        answers = {k: (right[k] if i < cut else wrong[k]) for i, k in enumerate(keys)}
        services.save_responses(attempt, 1, answers)
        services.submit_attempt(attempt)
        clock.advance(minutes=1)


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", 100.0), ("latest", 50.0), ("first", 0.0), ("average", 50.0)],
)
def test_final_grade_by_grading_method(clock, method, expected):
    learner = factories.user()
    quiz = _quiz(settings={"grading_method": method})
    _finished_attempts(quiz, learner, clock, [0, 1, 0.5])
    services.start_attempt(learner, quiz)  # a live attempt does not count

    grade = grades.final_grade(learner, quiz)

    assert grade.method == method
    assert grade.percent == pytest.approx(expected)
    assert grade.attempts_counted == 3


def test_final_grade_is_none_without_scored_attempts():
    assert grades.final_grade(factories.user(), _quiz()) is None


def _submitted(quiz, learner=None):
    learner = learner or factories.user()
    attempt = services.start_attempt(learner, quiz).attempt
    services.save_responses(attempt, 1, wrong_answers(attempt))
    services.submit_attempt(attempt)
    return attempt, learner


def test_review_after_close_waits_for_the_close_time(clock):
    quiz = _quiz(
        settings={"review": "after_close"}, close_at=clock.current + timedelta(hours=2)
    )
    attempt, learner = _submitted(quiz)

    before = review.result_for(attempt, learner)
    clock.advance(hours=2)
    after = review.result_for(attempt, learner)

    assert "items" not in before and before["percent"] == 0
    assert before["review"]["allowed"] is False
    assert len(after["items"]) == 6


def test_review_never_shows_only_the_summary():
    attempt, learner = _submitted(_quiz(settings={"review": "never"}))

    result = review.result_for(attempt, learner)

    assert set(result) == {
        "kind",
        "score",
        "max_score",
        "percent",
        "passed",
        "needs_manual_grading",
        "elapsed_seconds",
        "review",
    }


def test_review_options_hide_right_answers_and_feedback():
    quiz = _quiz(settings={"show_correct_answers": False, "show_feedback": False})
    attempt, learner = _submitted(quiz)

    items = review.result_for(attempt, learner)["items"]

    assert all(
        "right_answer" not in item and "feedback_html" not in item for item in items
    )
    choices = [c for item in items for c in item.get("choices", [])]
    assert choices and all("correct" not in c for c in choices)


def test_review_options_hide_the_score_and_which_were_right():
    quiz = _quiz(settings={"show_score": False, "show_correctness": False})
    attempt, learner = _submitted(quiz)

    result = review.result_for(attempt, learner)

    assert not {"score", "max_score", "percent", "passed"} & set(result)
    assert result["review"]["show_score"] is False
    assert result["items"]
    assert all(
        "correct" not in item and "points" not in item for item in result["items"]
    )


def test_staff_see_the_full_review_whatever_the_settings():
    trainer = factories.user(Role.TRAINER)
    quiz = _quiz(settings={"review": "never"}, owner=trainer)
    attempt, _ = _submitted(quiz)
    attempt = services.get_attempt(attempt.id)

    result = review.result_for(attempt, trainer)

    assert result["review"]["allowed"] is True
    assert all("right_answer" in item for item in result["items"])


# --------------------------------------------------------------------------
# Kinds
# --------------------------------------------------------------------------


def test_a_registered_kind_gets_its_seeded_rng_and_the_keystroke_events(monkeypatch):
    seen = {}

    def build(assessment, rng):
        return {
            "kind": "ten_key",
            "entries": [{"id": "e1", "expected": str(rng.random())}],
        }

    def learner_items(snapshot):
        return [{"id": e["id"], "type": "entry"} for e in snapshot["entries"]]

    def score(snapshot, responses, events, elapsed):
        seen.update(responses=responses, events=events, elapsed=elapsed)
        return {
            "kind": "ten_key",
            "score": 1,
            "max_score": 1,
            "percent": 100.0,
            "passed": True,
            "band": "job_ready",
            "flags": [{"code": "focus_loss"}],
        }

    class FakeTenKey(kinds.AssessmentKind):
        name = "ten_key"
        uses_events = True

    fake = FakeTenKey()
    fake.build_snapshot = build
    fake.learner_items = learner_items
    fake.score = score
    monkeypatch.setitem(kinds._KINDS, "ten_key", fake)
    test = factories.assessment("ten_key", time_limit_seconds=300)
    attempt = services.start_attempt(factories.user(), test).attempt

    services.save_responses(
        attempt, 1, {"e1": "123"}, [{"t": 5, "type": "key", "key": "1"}]
    )
    services.save_responses(attempt, 2, {}, [{"t": 9, "type": "key", "key": "2"}])
    with pytest.raises(ValidationError):
        services.save_responses(attempt, 3, {"e2": "1"})
    services.submit_attempt(attempt)

    assert seen["responses"] == {"e1": "123"}
    assert [e["key"] for e in seen["events"]] == ["1", "2"]
    assert (attempt.band, attempt.flags) == ("job_ready", [{"code": "focus_loss"}])
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1


def test_a_kind_without_a_scorer_cannot_start():
    test = factories.assessment("essay")

    assert not services.kind_available("essay")
    with pytest.raises(services.AttemptStateError) as info:
        services.start_attempt(factories.user(), test)
    assert info.value.code == "kind_unavailable"


def test_answers_noted_by_a_submit_are_reused_only_at_the_version_noted():
    attempt, _, _ = _start()
    right = right_answers(attempt)
    first = dict(list(right.items())[:1])
    services.save_responses(attempt, 1, first)
    queries.remember_responses(attempt, {"noted": "at this version"})

    assert services.responses_for(attempt) == {"noted": "at this version"}

    services.save_responses(attempt, 2, right)  # raises the row version

    assert services.responses_for(attempt) == right
