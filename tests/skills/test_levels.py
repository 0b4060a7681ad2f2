"""Level methods (lms.skills.levels): the worked examples of docs/skills.md and
properties that hold for any evidence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.skills import levels
from lms.skills.levels import (
    DECAYING_AVERAGE,
    HIGHEST_RECENT,
    LATEST,
    Method,
    Observation,
    current_level,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


def obs(level: int, age_days: float) -> Observation:
    return Observation(level, days_ago(age_days))


# --- hand-worked cases -----------------------------------------------------------


def test_no_evidence_is_level_zero_for_every_method():
    for name in levels.METHODS:
        assert current_level([], Method(name), NOW) == 0


def test_highest_recent_takes_the_highest_inside_the_window():
    items = [obs(2, 300), obs(4, 200), obs(3, 10)]
    assert current_level(items, Method(HIGHEST_RECENT, recent_days=365), NOW) == 4


def test_highest_recent_forgets_an_old_high_once_newer_evidence_exists():
    # The level 4 is 400 days old: outside a 365-day window.
    items = [obs(4, 400), obs(2, 30)]
    assert current_level(items, Method(HIGHEST_RECENT, recent_days=365), NOW) == 2


def test_highest_recent_falls_back_to_the_latest_old_item_when_the_window_is_empty():
    items = [obs(4, 800), obs(3, 500)]
    assert current_level(items, Method(HIGHEST_RECENT, recent_days=365), NOW) == 3


def test_the_window_includes_its_first_day():
    assert current_level([obs(5, 30), obs(1, 1)], Method(recent_days=30), NOW) == 5


def test_latest_is_the_most_recent_item_whatever_the_order_given():
    items = [obs(2, 1), obs(5, 90), obs(3, 20)]
    assert current_level(items, Method(LATEST), NOW) == 2


def test_latest_breaks_a_tie_in_time_by_the_order_given():
    same = days_ago(3)
    items = [Observation(4, same), Observation(2, same)]
    assert current_level(items, Method(LATEST), NOW) == 2


def test_decaying_average_matches_the_worked_example():
    # docs/skills.md: 2, 3, then 4 most recently.
    # 0.65 × 4 + 0.35 × (2 + 3) / 2 = 2.6 + 0.875 = 3.475 → 3
    items = [obs(2, 60), obs(3, 30), obs(4, 1)]
    assert current_level(items, Method(DECAYING_AVERAGE, decay=0.65), NOW) == 3


def test_decaying_average_rounds_half_up():
    # 0.5 × 3 + 0.5 × 2 = 2.5 → 3 (bankers' rounding would give 2)
    items = [obs(2, 10), obs(3, 1)]
    assert current_level(items, Method(DECAYING_AVERAGE, decay=0.5), NOW) == 3


def test_decaying_average_of_one_item_is_that_item():
    assert current_level([obs(4, 5)], Method(DECAYING_AVERAGE), NOW) == 4


def test_decaying_average_weights_the_newest_most():
    # 0.65 × 1 + 0.35 × 5 = 2.4 → 2: a poor latest result pulls hard.
    items = [obs(5, 20), obs(5, 10), obs(1, 1)]
    assert current_level(items, Method(DECAYING_AVERAGE), NOW) == 2


@pytest.mark.parametrize(
    ("name", "recent_days", "decay"),
    [("best", 365, 0.65), (HIGHEST_RECENT, 0, 0.65), (DECAYING_AVERAGE, 30, 1.0)],
)
def test_a_method_with_impossible_numbers_is_refused(name, recent_days, decay):
    with pytest.raises(ValueError):
        Method(name, recent_days, decay)


def test_methods_describe_themselves():
    assert Method(HIGHEST_RECENT, 90).describe() == "Highest in the last 90 days"
    assert "65 %" in Method(DECAYING_AVERAGE).describe()


# --- properties ------------------------------------------------------------------

levels_st = st.integers(1, 5)
ages_st = st.floats(0, 1000, allow_nan=False)
items_st = st.lists(st.builds(obs, levels_st, ages_st), max_size=15)
methods_st = st.builds(
    Method,
    st.sampled_from(levels.METHODS),
    st.integers(1, 800),
    st.floats(0.05, 0.95),
)


@given(items_st, methods_st)
def test_the_level_is_always_within_0_and_5(items, method):
    level = current_level(items, method, NOW)
    assert 0 <= level <= 5
    assert (level == 0) == (not items)


@given(items_st, st.integers(1, 800), levels_st, st.floats(0, 1))
def test_adding_recent_evidence_never_lowers_highest_recent(items, days, level, share):
    method = Method(HIGHEST_RECENT, recent_days=days)
    recent = [i for i in items if i.observed_at >= days_ago(days)]
    new = obs(level, share * days)  # somewhere inside the window
    before = current_level(recent, method, NOW)
    assert current_level([*recent, new], method, NOW) >= before
    if recent:
        assert current_level([*items, new], method, NOW) >= current_level(
            items, method, NOW
        )


@given(items_st, levels_st)
def test_latest_equals_the_newest_item(items, level):
    newest = Observation(level, NOW + timedelta(seconds=1))
    assert current_level([*items, newest], Method(LATEST), NOW) == level


@given(items_st)
def test_the_order_items_are_given_in_does_not_matter_across_times(items):
    distinct = {item.observed_at: item for item in items}.values()
    for name in levels.METHODS:
        forward = current_level(list(distinct), Method(name), NOW)
        backward = current_level(list(reversed(list(distinct))), Method(name), NOW)
        assert forward == backward


@given(st.lists(levels_st, min_size=1, max_size=10), st.floats(0.05, 0.95))
def test_decaying_average_stays_between_the_lowest_and_highest_item(values, decay):
    items = [obs(level, 100 - i) for i, level in enumerate(values)]
    level = current_level(items, Method(DECAYING_AVERAGE, decay=decay), NOW)
    assert min(values) <= level <= max(values)
