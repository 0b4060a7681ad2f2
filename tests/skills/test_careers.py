"""Gap and readiness (lms.skills.careers): hand-worked cases and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lms.skills.careers import gaps, readiness

levels_st = st.dictionaries(st.integers(1, 30), st.integers(0, 5), max_size=12)


def test_gaps_come_largest_first_and_never_negative():
    rows = gaps({1: 3, 2: 4, 3: 2}, {1: 3, 2: 1, 3: 4})
    assert [(r.skill_id, r.gap) for r in rows] == [(2, 3), (1, 0), (3, 0)]
    assert rows[1].met and rows[2].met


def test_readiness_is_the_share_of_the_requirement_met():
    # required 3 + 4 + 2 = 9; met min(3,3) + min(1,4) + min(4,2) = 3 + 1 + 2 = 6
    assert readiness({1: 3, 2: 4, 3: 2}, {1: 3, 2: 1, 3: 4}) == 66.7
    assert readiness({}, {}) == 100.0
    assert readiness({1: 3}, {}) == 0.0


@given(levels_st, levels_st)
def test_readiness_stays_within_0_and_100(requirements, levels):
    assert 0.0 <= readiness(requirements, levels) <= 100.0


@given(levels_st)
def test_meeting_every_requirement_is_100_percent(requirements):
    assert readiness(requirements, dict(requirements)) == 100.0
    assert all(row.met for row in gaps(requirements, requirements))


@given(levels_st, levels_st, st.integers(1, 30))
def test_a_higher_level_never_lowers_readiness(requirements, levels, skill):
    raised = {**levels, skill: min(levels.get(skill, 0) + 1, 5)}
    assert readiness(requirements, raised) >= readiness(requirements, levels)
