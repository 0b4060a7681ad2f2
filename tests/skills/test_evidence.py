"""Evidence flows by itself (lms.skills.evidence): a submitted quiz or keying
test, a regrade, an acceptance and a completed course record evidence and move
the maintained level in the same transaction; ratings are audited and never
one's own; self-assessments are kept and never counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.attempts import regrading
from lms.attempts import services as attempt_services
from lms.audit.models import AuditEvent
from lms.courses import progress
from lms.errors import PermissionDeniedError, ValidationError
from lms.extensions import db
from lms.skills import evidence, trail
from lms.skills.models import SkillEvidence, UserSkill
from lms.users.models import Role
from tests import factories
from tests.attempts.helpers import right_answers, wrong_answers
from tests.factories import typing_events
from tests.skills import evidence_builders as build

# Easy bands so a typed attempt reaches job-ready but never proficient.
EASY_BANDS = {
    "min_seconds": 5,
    "bands": {
        "foundation": {"accuracy": 0.5},
        "job_ready": {"accuracy": 0.9},
        "proficient": {"accuracy": 0.99, "net_kph": 10**9},
    },
}


def user_skill(user, skill) -> UserSkill | None:
    return db.session.scalar(
        sa.select(UserSkill).where(
            UserSkill.user_id == user.id, UserSkill.skill_id == skill.id
        )
    )


def evidence_of(user, skill) -> list[SkillEvidence]:
    return list(
        db.session.scalars(
            sa.select(SkillEvidence)
            .where(SkillEvidence.user_id == user.id, SkillEvidence.skill_id == skill.id)
            .order_by(SkillEvidence.id)
        )
    )


def submit_quiz(learner, quiz, *, wrong: int = 0):
    """Submit through the engine with the first `wrong` questions answered wrongly."""
    attempt = attempt_services.start_attempt(learner, quiz).attempt
    right, bad = right_answers(attempt), wrong_answers(attempt)
    for qid in list(right)[:wrong]:
        right[qid] = bad[qid]
    attempt_services.save_responses(attempt, 1, right)
    attempt_services.submit_attempt(attempt)
    return attempt


def submit_typed_keying(learner, test, clock, *, with_events: bool = True):
    attempt = attempt_services.start_attempt(learner, test).attempt
    values, events, t = {}, [], 1000
    for record in attempt.snapshot["records"]:
        values[record["id"]] = {}
        for field in attempt.snapshot["fields"]:
            value = record["values"][field["name"]]
            values[record["id"]][field["name"]] = value
            events += typing_events(record["id"], field["name"], value, start_ms=t)
            t = events[-1]["t"] + 300
    clock.advance(seconds=t / 1000 + 2)
    attempt_services.save_responses(attempt, 1, values, events if with_events else None)
    attempt_services.submit_attempt(attempt)
    return attempt


@pytest.fixture
def world(app_ctx, clock):
    learner = factories.user()
    data_entry = build.skill("Data entry")
    return learner, data_entry


# --- quizzes ---------------------------------------------------------------------


def test_a_submitted_quiz_is_evidence_and_moves_the_level(world):
    learner, data_entry = world
    quiz = factories.quiz(4, time_limit_seconds=600)
    build.mapping(data_entry, assessment=quiz)  # ≥ 60 → 1, ≥ 80 → 2, ≥ 95 → 3

    attempt = submit_quiz(learner, quiz)

    (item,) = evidence_of(learner, data_entry)
    assert (item.source, item.level, item.attempt_id) == ("attempt", 3, attempt.id)
    assert item.counted and not item.superseded
    assert item.observed_at == attempt.submitted_at
    assert item.note == "Moved Data entry to level 3 (100 %, at least 95 %)."
    row = user_skill(learner, data_entry)
    assert (row.level, row.evidence_count, row.method) == (3, 1, "highest_recent")
    assert row.since == attempt.submitted_at


def test_a_score_below_every_threshold_is_no_evidence(world):
    learner, data_entry = world
    quiz = factories.quiz(4, time_limit_seconds=600)
    build.mapping(data_entry, assessment=quiz)

    submit_quiz(learner, quiz, wrong=2)  # 50 %

    assert evidence_of(learner, data_entry) == []
    assert user_skill(learner, data_entry).level == 0


def test_an_unmapped_quiz_records_nothing(world):
    learner, _ = world
    submit_quiz(learner, factories.quiz(2, time_limit_seconds=600))
    assert db.session.scalar(sa.select(sa.func.count(SkillEvidence.id))) == 0


def test_a_regrade_replaces_the_attempts_evidence(world):
    learner, data_entry = world
    trainer = factories.user(Role.TRAINER)
    quiz = factories.quiz(4, time_limit_seconds=600)
    build.mapping(data_entry, assessment=quiz)
    attempt = submit_quiz(learner, quiz, wrong=1)  # 75 % → level 1
    assert user_skill(learner, data_entry).level == 1
    wrong_item = next(
        qid for qid, item in attempt.result["items"].items() if not item["correct"]
    )

    regrading.regrade_item(
        attempt,
        wrong_item,
        points=attempt.result["items"][wrong_item]["max_points"],
        comment="The answer is right in another spelling.",
        actor=trainer,
    )

    old, new = evidence_of(learner, data_entry)
    assert (old.level, old.superseded, old.counted) == (1, True, False)
    assert (new.level, new.superseded, new.counted) == (3, False, True)
    assert new.observed_at == attempt.submitted_at  # the work, not the regrade
    row = user_skill(learner, data_entry)
    assert (row.level, row.evidence_count) == (3, 1)


def test_a_regrade_down_lowers_a_level_that_rested_on_it(world):
    learner, data_entry = world
    trainer = factories.user(Role.TRAINER)
    quiz = factories.quiz(4, time_limit_seconds=600)
    build.mapping(data_entry, assessment=quiz)
    attempt = submit_quiz(learner, quiz)
    first = next(iter(attempt.result["items"]))

    regrading.regrade_item(
        attempt, first, points=0, comment="Copied from a neighbour.", actor=trainer
    )

    assert user_skill(learner, data_entry).level == 1  # 75 %
    assert [e.counted for e in evidence_of(learner, data_entry)] == [False, True]


# --- keying tests ------------------------------------------------------------------


def test_a_keying_band_is_evidence(world, clock):
    learner, data_entry = world
    test = factories.record_entry_test(time_limit_seconds=600, settings=EASY_BANDS)
    build.mapping(data_entry, assessment=test)  # job-ready → 3

    attempt = submit_typed_keying(learner, test, clock)

    assert attempt.band == "job_ready"
    (item,) = evidence_of(learner, data_entry)
    assert item.level == 3
    assert item.note == "Moved Data entry to level 3 (Job-ready band)."
    assert user_skill(learner, data_entry).level == 3


def test_an_unverified_keying_attempt_is_no_evidence_until_accepted(world, clock):
    learner, data_entry = world
    trainer = factories.user(Role.TRAINER)
    test = factories.record_entry_test(time_limit_seconds=600, settings=EASY_BANDS)
    build.mapping(data_entry, assessment=test)
    user_skill_before = 0

    attempt = submit_typed_keying(learner, test, clock, with_events=False)

    assert attempt.result["validity"] == "unverified"
    assert evidence_of(learner, data_entry) == []
    assert user_skill(learner, data_entry).level == user_skill_before

    regrading.accept_result(attempt, reason="Watched them type it.", actor=trainer)

    (item,) = evidence_of(learner, data_entry)
    assert item.level == 3 and item.counted
    assert user_skill(learner, data_entry).level == 3


def test_an_invalid_keying_attempt_is_no_evidence(world, clock):
    learner, data_entry = world
    test = factories.record_entry_test(time_limit_seconds=600)
    build.mapping(data_entry, assessment=test)
    attempt = attempt_services.start_attempt(learner, test).attempt
    clock.advance(seconds=3)
    attempt_services.submit_attempt(attempt)  # nothing typed: too short

    assert attempt.result["validity"].startswith("invalid")
    assert evidence_of(learner, data_entry) == []


def test_an_abandoned_attempt_is_no_evidence(world, clock):
    learner, data_entry = world
    quiz = factories.quiz(2, time_limit_seconds=60, on_expiry="abandon")
    build.mapping(data_entry, assessment=quiz)
    attempt_services.start_attempt(learner, quiz)
    clock.advance(hours=2)

    attempt_services.expire_overdue()

    assert evidence_of(learner, data_entry) == []


# --- the transaction ------------------------------------------------------------------


def test_a_failure_recording_evidence_rolls_the_submit_back(world, monkeypatch):
    learner, data_entry = world
    quiz = factories.quiz(2, time_limit_seconds=600)
    build.mapping(data_entry, assessment=quiz)
    attempt = attempt_services.start_attempt(learner, quiz).attempt
    attempt_services.save_responses(attempt, 1, right_answers(attempt))
    db.session.commit()

    def broken(*args, **kwargs):
        raise RuntimeError("the levels could not be recomputed")

    monkeypatch.setattr(evidence, "recompute", broken)
    with pytest.raises(RuntimeError):
        attempt_services.submit_attempt(attempt)
    db.session.rollback()

    assert db.session.get(type(attempt), attempt.id).state == "in_progress"
    assert evidence_of(learner, data_entry) == []


def test_evidence_is_recorded_in_the_submits_own_transaction(world):
    learner, data_entry = world
    quiz = factories.quiz(2, time_limit_seconds=600)
    build.mapping(data_entry, assessment=quiz)
    db.session.commit()

    submit_quiz(learner, quiz)
    db.session.rollback()  # the request failed after the submit: nothing stays

    assert evidence_of(learner, data_entry) == []
    assert user_skill(learner, data_entry) is None


# --- courses ---------------------------------------------------------------------------


def test_completing_a_course_is_evidence(world):
    learner, data_entry = world
    course = factories.course(modules=2)
    build.mapping(data_entry, course=course)  # completed → level 1
    modules = progress.active_modules(course)

    progress.complete_module(learner, modules[0])
    assert evidence_of(learner, data_entry) == []
    progress.complete_module(learner, modules[1])
    progress.complete_module(learner, modules[1])  # again: nothing new

    (item,) = evidence_of(learner, data_entry)
    assert (item.source, item.course_id, item.level) == ("course", course.id, 1)
    assert item.note == "Moved Data entry to level 1 (course completed)."
    assert user_skill(learner, data_entry).level == 1


# --- ratings -----------------------------------------------------------------------------


def test_a_rating_counts_and_is_audited(world):
    learner, data_entry = world
    manager = factories.user(Role.MANAGER)

    change = evidence.rate_skill(
        manager, learner, data_entry, 3, "  Keys the daily batch without errors.  "
    )

    assert (change.before, change.after, change.moved) == (0, 3, True)
    (item,) = evidence_of(learner, data_entry)
    assert (item.source, item.rated_by_id, item.note) == (
        "rating",
        manager.id,
        "Keys the daily batch without errors.",
    )
    (event,) = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "skill.rate")
    )
    assert (event.actor_id, event.target_type, event.target_id) == (
        manager.id,
        "user",
        learner.id,
    )
    assert event.details == {
        "skill": data_entry.slug,
        "level": 3,
        "justification": "Keys the daily batch without errors.",
        "before": 0,
        "after": 3,
    }


def test_nobody_rates_themselves(world):
    _, data_entry = world
    admin = factories.user(Role.ADMIN)
    with pytest.raises(PermissionDeniedError):
        evidence.rate_skill(admin, admin, data_entry, 5, "I am great.")
    assert evidence_of(admin, data_entry) == []


@pytest.mark.parametrize(("level", "why"), [(3, "   "), (0, "ok"), (6, "ok")])
def test_a_rating_needs_a_justification_and_a_level(world, level, why):
    learner, data_entry = world
    with pytest.raises(ValidationError):
        evidence.rate_skill(
            factories.user(Role.MANAGER), learner, data_entry, level, why
        )


# --- self-assessment ------------------------------------------------------------------------


def test_a_self_assessment_is_kept_and_never_counted(world):
    learner, data_entry = world

    evidence.self_assess(learner, data_entry, 5)

    row = user_skill(learner, data_entry)
    assert (row.level, row.self_level, row.evidence_count) == (0, 5, 0)
    (item,) = evidence_of(learner, data_entry)
    assert (item.source, item.counted) == ("self", False)

    quiz = factories.quiz(4, time_limit_seconds=600)
    build.mapping(data_entry, assessment=quiz)
    submit_quiz(learner, quiz, wrong=1)  # 75 % → level 1

    row = user_skill(learner, data_entry)
    assert (row.level, row.self_level, row.evidence_count) == (1, 5, 1)


# --- the framework's method ------------------------------------------------------------------


def test_changing_the_method_and_recomputing_moves_everyone(world, clock):
    learner, data_entry = world
    manager = factories.user(Role.MANAGER)
    framework = build.framework("highest_recent", recent_days=365)
    evidence.rate_skill(manager, learner, data_entry, 4, "Strong start.")
    clock.advance(days=10)
    evidence.rate_skill(manager, learner, data_entry, 2, "Slipped since.")
    assert user_skill(learner, data_entry).level == 4

    framework.method = "latest"
    assert evidence.recompute_everyone() == 1

    row = user_skill(learner, data_entry)
    assert (row.level, row.method) == (2, "latest")


def test_old_evidence_leaves_the_window_on_the_nightly_recompute(world, clock):
    learner, data_entry = world
    manager = factories.user(Role.MANAGER)
    build.framework("highest_recent", recent_days=30)
    evidence.rate_skill(manager, learner, data_entry, 4, "Strong start.")
    clock.advance(days=20)
    evidence.rate_skill(manager, learner, data_entry, 2, "Slipped since.")
    clock.advance(days=15)

    evidence.recompute_everyone()

    assert user_skill(learner, data_entry).level == 2
    assert evidence.current_levels(learner.id) == {data_entry.id: 2}


# --- the trail -----------------------------------------------------------------------------------


def test_the_trail_lists_every_item_newest_first_with_where_it_leads(world, clock, app):
    learner, data_entry = world
    manager = factories.user(Role.MANAGER, name="Priya Manager")
    quiz = factories.quiz(4, time_limit_seconds=600, title="Data entry check")
    course = factories.course(modules=1, title="Data entry accuracy")
    build.mapping(data_entry, assessment=quiz)
    build.mapping(data_entry, course=course)

    attempt = submit_quiz(learner, quiz)
    clock.advance(minutes=5)
    progress.complete_module(learner, progress.active_modules(course)[0])
    clock.advance(minutes=5)
    evidence.rate_skill(manager, learner, data_entry, 2, "Checked on the floor.")
    clock.advance(minutes=5)
    evidence.self_assess(learner, data_entry, 4)

    with app.test_request_context():
        page = trail.level_trail(learner, data_entry)
        titles = [(i.title, i.link, i.status) for i in page.items]

    assert titles == [
        ("Self-assessment", None, "own view, not counted"),
        ("Rated by Priya Manager", None, "counted"),
        (
            "Completed the course Data entry accuracy",
            f"/courses/{course.slug}",
            "counted",
        ),
        (
            "Data entry check, attempt 1",
            f"/attempts/{attempt.id}/result",
            "counted",
        ),
    ]
    assert page.total == 4


def test_the_trail_reads_in_a_fixed_number_of_queries(world, clock, app, count_queries):
    learner, data_entry = world
    manager = factories.user(Role.MANAGER)
    quiz = factories.quiz(2, time_limit_seconds=600)
    build.mapping(data_entry, assessment=quiz)

    def measure():
        assert learner.id and data_entry.id  # loaded again after the commit
        with app.test_request_context(), count_queries() as counter:
            page = trail.level_trail(learner, data_entry, per_page=50)
        assert page.total == len(page.items)
        return counter.count

    submit_quiz(learner, quiz)
    evidence.rate_skill(manager, learner, data_entry, 2, "Seen.")
    db.session.commit()
    few = measure()
    for n in range(4):
        clock.advance(days=1)
        submit_quiz(learner, quiz)
        evidence.rate_skill(manager, learner, data_entry, 2 + n % 2, "Again.")
    db.session.commit()

    assert measure() == few <= 2


def test_recording_costs_the_same_however_many_skills_are_mapped(world, count_queries):
    learner, _ = world

    def measure(skills: int) -> int:
        quiz = factories.quiz(2, time_limit_seconds=600)
        for _ in range(skills):
            build.mapping(build.skill(), assessment=quiz)
        attempt = attempt_services.start_attempt(learner, quiz).attempt
        attempt_services.save_responses(attempt, 1, right_answers(attempt))
        db.session.commit()
        with count_queries() as counter:
            attempt_services.submit_attempt(attempt)
            db.session.flush()
        return counter.count

    assert measure(1) == measure(6)


def test_a_course_completion_after_the_window_keeps_the_rating_history(world, clock):
    learner, data_entry = world
    manager = factories.user(Role.MANAGER)
    evidence.rate_skill(manager, learner, data_entry, 3, "Solid.")
    clock.advance(days=400)
    course = factories.course(modules=1)
    build.mapping(data_entry, course=course)

    progress.complete_module(learner, progress.active_modules(course)[0])

    # The rating is outside the default 365-day window: the newer level 1 rules.
    row = user_skill(learner, data_entry)
    assert (row.level, row.evidence_count) == (1, 2)
    assert row.since == clock() and row.since - timedelta(days=400) > row.since - (
        timedelta(days=401)
    )
