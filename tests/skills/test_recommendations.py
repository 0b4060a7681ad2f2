"""Ranking next steps (pure): largest gap first, a course before its check quiz
before the keying test, nothing that would not move the learner, nothing they
already have, and one entry per step however many gaps it serves."""

from __future__ import annotations

from lms.skills.careers import gaps
from lms.skills.recommendations import (
    Candidate,
    Gap,
    Move,
    Outcome,
    best_outcome,
    rank,
    rule_outcomes,
    sentence,
)

PERCENT = (Outcome("80 % or more", 2), Outcome("95 % or more", 3))
BANDS = (
    Outcome("a foundation band", 2),
    Outcome("a job-ready band", 3),
    Outcome("a proficient band", 4),
)
DONE = (Outcome("completing it", 1),)

RECON, ENTRY, EMAIL = 1, 2, 3


def course(cid, skill, title="Ledger basics", outcomes=DONE, **kw):
    return Candidate(("course", cid), "course", title, skill, outcomes, cid, **kw)


def quiz(aid, skill, title="Check quiz", course_id=None, outcomes=PERCENT, **kw):
    return Candidate(
        ("assessment", aid), "quiz", title, skill, outcomes, course_id, **kw
    )


def keying(aid, skill, title="Keying test", course_id=None, outcomes=BANDS, **kw):
    return Candidate(
        ("assessment", aid), "reconciliation", title, skill, outcomes, course_id, **kw
    )


def keys(ranked):
    return [r.key for r in ranked]


def test_largest_gap_comes_first():
    ordered = gaps({RECON: 3, ENTRY: 4, EMAIL: 2}, {RECON: 1, ENTRY: 1, EMAIL: 1})
    candidates = [quiz(10, EMAIL), quiz(11, RECON), keying(12, ENTRY)]

    ranked = rank(ordered, candidates)

    assert keys(ranked) == [("assessment", 12), ("assessment", 11), ("assessment", 10)]


def test_course_then_its_check_quiz_then_the_keying_test():
    candidates = [
        keying(21, RECON, "Ledger vs bank reconciliation", course_id=5),
        quiz(20, RECON, "Reconciliation check", course_id=5),
        course(
            5, RECON, "Reconciling accounts", outcomes=(Outcome("completing it", 2),)
        ),
    ]

    ranked = rank([Gap(RECON, 3, 1)], candidates)

    assert keys(ranked) == [("course", 5), ("assessment", 20), ("assessment", 21)]


def test_each_course_is_followed_by_its_own_assessments():
    candidates = [
        quiz(31, RECON, "B check", course_id=2),
        quiz(30, RECON, "A check", course_id=1),
        course(2, RECON, "B course", outcomes=(Outcome("completing it", 2),)),
        course(1, RECON, "A course", outcomes=(Outcome("completing it", 2),)),
        keying(32, RECON, "Standalone keying test"),
        quiz(33, RECON, "Standalone quiz"),
    ]

    ranked = rank([Gap(RECON, 3, 0)], candidates)

    assert keys(ranked) == [
        ("course", 1),
        ("assessment", 30),
        ("course", 2),
        ("assessment", 31),
        ("assessment", 33),
        ("assessment", 32),
    ]


def test_the_quoted_result_is_the_lowest_that_reaches_the_requirement():
    ranked = rank([Gap(RECON, 3, 1)], [keying(1, RECON)])

    (move,) = ranked[0].moves
    assert move.outcome == Outcome("a job-ready band", 3)
    assert move.reaches


def test_when_nothing_reaches_the_requirement_the_highest_step_up_is_quoted():
    ranked = rank([Gap(RECON, 5, 1)], [quiz(1, RECON)])

    (move,) = ranked[0].moves
    assert move.outcome == Outcome("95 % or more", 3)
    assert not move.reaches


def test_a_step_that_cannot_move_the_learner_is_left_out():
    ranked = rank([Gap(RECON, 4, 3)], [quiz(1, RECON), course(2, RECON)])

    assert ranked == []


def test_what_the_learner_already_earned_at_that_level_is_left_out():
    candidates = [
        quiz(1, RECON, done_level=3),  # already gave the quoted level 3
        keying(2, RECON, done_level=2),  # gave 2 once; a job-ready band gives 3
        course(3, RECON, completed=True, outcomes=(Outcome("completing it", 3),)),
    ]

    ranked = rank([Gap(RECON, 3, 1)], candidates)

    assert keys(ranked) == [("assessment", 2)]


def test_met_requirements_and_unmapped_skills_give_nothing():
    ranked = rank(
        [Gap(RECON, 2, 2), Gap(ENTRY, 3, 0)], [quiz(1, RECON), quiz(2, EMAIL)]
    )

    assert ranked == []


def test_a_step_serving_two_gaps_is_listed_once_with_both_moves():
    ordered = [Gap(ENTRY, 4, 1), Gap(RECON, 3, 1)]
    candidates = [keying(1, RECON), keying(1, ENTRY), quiz(2, RECON)]

    ranked = rank(ordered, candidates)

    assert keys(ranked) == [("assessment", 1), ("assessment", 2)]
    assert [m.skill_id for m in ranked[0].moves] == [ENTRY, RECON]
    assert [m.outcome.level for m in ranked[0].moves] == [4, 3]


def test_limit_keeps_the_first_steps():
    candidates = [quiz(n, RECON, f"Quiz {n:02d}") for n in range(1, 8)]

    ranked = rank([Gap(RECON, 3, 0)], candidates, limit=3)

    assert keys(ranked) == [("assessment", 1), ("assessment", 2), ("assessment", 3)]


def test_best_outcome_without_outcomes_is_none():
    assert best_outcome((), 0, 3) is None
    assert best_outcome(PERCENT, 3, 4) is None
    assert best_outcome(PERCENT, 0, 2) == Outcome("80 % or more", 2)


def test_the_sentence_says_what_a_step_would_move():
    move = Move(RECON, Outcome("a job-ready band", 3), current=1, required=3)

    text = sentence(move, "Reconciliation", "Senior executive")

    assert text == (
        "a job-ready band gives Reconciliation level 3; you are at 1, "
        "the Senior executive role needs 3"
    )


def test_the_sentence_for_a_skill_not_yet_shown():
    move = Move(RECON, Outcome("80 % or more", 2), current=0, required=3)

    assert "you have no level yet" in sentence(move, "Reconciliation", "Executive")


def test_rule_outcomes_come_from_the_rule():
    percent = {"type": "percent", "levels": [[80, 2], [95, 3]]}
    bands = {"type": "band", "levels": {"job_ready": 3}}

    assert rule_outcomes(percent) == (
        Outcome("a score of at least 80 %", 2),
        Outcome("a score of at least 95 %", 3),
    )
    assert rule_outcomes(bands) == (Outcome("a job-ready band", 3),)


def test_a_broken_rule_offers_nothing():
    assert rule_outcomes({}) == ()
    assert rule_outcomes({"type": "percent", "levels": "lots"}) == ()
