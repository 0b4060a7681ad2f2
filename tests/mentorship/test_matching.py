"""Ranking suggested mentors (pure): examples and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lms.mentorship.matching import (
    Candidate,
    focus_from_choice,
    focus_from_goal,
    rank,
)
from lms.mentorship.models import DEFAULT_CAPACITY

MENTEE = 1


def names(suggestions):
    return [s.candidate.name for s in suggestions]


def test_focus_from_goal_is_the_unmet_requirements_largest_gap_first():
    requirements = {10: 3, 11: 4, 12: 2}
    levels = {10: 2, 11: 1, 12: 2}

    assert list(focus_from_goal(requirements, levels).items()) == [(11, 4), (10, 3)]


def test_chosen_focus_asks_for_more_than_the_mentee_holds():
    requirements = {10: 3, 11: 2}
    levels = {10: 1, 11: 2, 12: 5}

    # 10: the goal's 3; 11: met, so one above the mentee; 12: capped at 5.
    assert focus_from_choice([10, 11, 12, 13], requirements, levels) == {
        10: 3,
        11: 3,
        12: 5,
        13: 1,
    }


def test_more_skills_covered_ranks_first_then_margin_then_load_then_name():
    focus = {10: 3, 11: 3}
    candidates = [
        Candidate(2, "Both at target", {10: 3, 11: 3}),
        Candidate(3, "Both above", {10: 4, 11: 5}),
        Candidate(4, "One far above", {10: 5}),
        Candidate(5, "Busy but both", {10: 3, 11: 3}, mentees=2),
        Candidate(6, "Also both at target", {10: 3, 11: 3}),
        Candidate(7, "Below target", {10: 2, 11: 2}),
    ]

    ranked = rank(MENTEE, focus, candidates)

    assert names(ranked) == [
        "Both above",
        "Also both at target",
        "Both at target",
        "Busy but both",
        "One far above",
    ]
    assert ranked[0].covered_count == 2 and ranked[0].margin == 3
    assert [(c.skill_id, c.level, c.target) for c in ranked[-1].covered] == [(10, 5, 3)]


def test_the_mentee_the_unavailable_and_the_full_are_never_suggested():
    focus = {10: 2}
    strong = {10: 5}
    candidates = [
        Candidate(MENTEE, "The mentee", strong),
        Candidate(2, "Away", strong, available=False),
        Candidate(3, "Full", strong, capacity=2, mentees=2),
        Candidate(4, "Takes nobody", strong, capacity=0),
        Candidate(5, "Default capacity", strong, mentees=DEFAULT_CAPACITY - 1),
    ]

    assert names(rank(MENTEE, focus, candidates)) == ["Default capacity"]


def test_no_focus_means_no_suggestions():
    assert rank(MENTEE, {}, [Candidate(2, "Anyone", {10: 5})]) == []


# --- properties -------------------------------------------------------------

SKILLS = st.integers(min_value=1, max_value=6)
LEVEL = st.integers(min_value=0, max_value=5)

candidate_st = st.builds(
    Candidate,
    user_id=st.integers(min_value=1, max_value=30),
    name=st.text(alphabet="abcAB ", min_size=1, max_size=6),
    levels=st.dictionaries(SKILLS, LEVEL, max_size=6),
    capacity=st.integers(min_value=0, max_value=10),
    mentees=st.integers(min_value=0, max_value=12),
    available=st.booleans(),
)
focus_st = st.dictionaries(SKILLS, st.integers(min_value=1, max_value=5), max_size=6)


@given(focus=focus_st, candidates=st.lists(candidate_st, max_size=12))
def test_never_the_mentee_never_over_capacity_never_unavailable(focus, candidates):
    for suggestion in rank(MENTEE, focus, candidates):
        c = suggestion.candidate
        assert c.user_id != MENTEE
        assert c.available
        assert c.mentees < c.capacity


@given(focus=focus_st, candidates=st.lists(candidate_st, max_size=12))
def test_every_suggestion_holds_what_it_is_said_to_cover(focus, candidates):
    for suggestion in rank(MENTEE, focus, candidates):
        assert suggestion.covered
        for covered in suggestion.covered:
            assert covered.target == focus[covered.skill_id]
            assert suggestion.candidate.levels[covered.skill_id] >= covered.target


@given(focus=focus_st, candidates=st.lists(candidate_st, max_size=12))
def test_covering_more_never_ranks_below_covering_fewer(focus, candidates):
    counts = [s.covered_count for s in rank(MENTEE, focus, candidates)]
    assert counts == sorted(counts, reverse=True)


@given(focus=focus_st, candidates=st.lists(candidate_st, max_size=12))
def test_no_eligible_candidate_who_covers_a_focus_skill_is_left_out(focus, candidates):
    suggested = {id(s.candidate) for s in rank(MENTEE, focus, candidates)}
    for c in candidates:
        covers = any(c.levels.get(k, 0) >= t for k, t in focus.items())
        eligible = c.user_id != MENTEE and c.available and c.mentees < c.capacity
        assert (id(c) in suggested) == (covers and eligible)
