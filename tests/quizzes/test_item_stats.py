"""Tests for item statistics, checked against small data sets worked out by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.quizzes.grading import normalize_question
from lms.quizzes.item_stats import item_statistics


def rows_for(
    qid: str,
    totals: list[float],
    points: list[float],
    max_points: float = 1,
    responses=None,
):
    responses = responses or [None] * len(totals)
    return [
        {
            "attempt_total": total,
            "items": {qid: {"points": p, "max_points": max_points, "response": r}},
        }
        for total, p, r in zip(totals, points, responses, strict=True)
    ]


def test_point_biserial_and_upper_lower_index_by_hand():
    # totals 10, 8, 6, 4, 2; item right for the 1st, 2nd and 4th attempt.
    # rest = total − item = 9, 7, 6, 3, 2 (mean 5.4); item mean 0.6
    # Sxy = 0.4·3.6 + 0.4·1.6 − 0.6·0.6 + 0.4·(−2.4) − 0.6·(−3.4) = 2.8
    # Sxx = 3·0.16 + 2·0.36 = 1.2;  Syy = 12.96 + 2.56 + 0.36 + 5.76 + 11.56 = 33.2
    stats = item_statistics(rows_for("q1", [10, 8, 6, 4, 2], [1, 1, 0, 1, 0]))["q1"]
    assert stats["n"] == 5
    assert stats["reliable"] is False  # figures computed, but 5 is too few to trust
    assert stats["facility"] == pytest.approx(0.6)
    assert stats["sd"] == pytest.approx(math.sqrt(1.2 / 5))
    assert stats["mean_points"] == pytest.approx(0.6)
    assert stats["discrimination"] == pytest.approx(2.8 / math.sqrt(1.2 * 33.2))
    # 27 % of 5 rounds to 1: top attempt (total 10) got it, bottom (total 2) did not.
    assert stats["discrimination_index"] == pytest.approx(1.0)
    assert stats["flags"] == ["few_responses"]


def test_negative_discrimination_is_flagged():
    # Only the two weakest attempts get it right: rest = 10, 8, 5, 4, 1 (mean 5.6).
    # Sxy = −0.4·4.4 − 0.4·2.4 + 0.6·(−0.6) − 0.4·(−1.6) + 0.6·(−4.6) = −5.2
    # Syy = 19.36 + 5.76 + 0.36 + 2.56 + 21.16 = 49.2
    stats = item_statistics(rows_for("q2", [10, 8, 6, 4, 2], [0, 0, 1, 0, 1]))["q2"]
    assert stats["facility"] == pytest.approx(0.4)
    assert stats["discrimination"] == pytest.approx(-5.2 / math.sqrt(1.2 * 49.2))
    assert stats["discrimination_index"] == pytest.approx(-1.0)
    # Five attempts are too few to call it a bad key; the same pattern six
    # times over (30 attempts) is.
    assert stats["flags"] == ["few_responses"]
    many = item_statistics(rows_for("q2", [10, 8, 6, 4, 2] * 6, [0, 0, 1, 0, 1] * 6))
    assert many["q2"]["flags"] == ["negative_discrimination"]


def test_upper_and_lower_groups_are_27_percent_of_attempts():
    # n = 10 → groups of round(2.7) = 3.
    totals = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    points = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0]
    stats = item_statistics(rows_for("q", totals, points))["q"]
    # Upper (10, 9, 8): 1, 1, 0 → 2/3. Lower (3, 2, 1): 0, 1, 0 → 1/3.
    assert stats["discrimination_index"] == pytest.approx(1 / 3)


def test_partial_credit_counts_as_a_fraction_of_max_points():
    stats = item_statistics(
        rows_for("q", [4, 3, 2, 1, 0], [2, 1, 1, 0.5, 0], max_points=2)
    )["q"]
    assert stats["facility"] == pytest.approx((1 + 0.5 + 0.5 + 0.25 + 0) / 5)
    assert stats["mean_points"] == pytest.approx(4.5 / 5)


def test_zero_variance_items_have_no_correlation_and_no_division_error():
    everyone = item_statistics(rows_for("easy", [5, 4, 3, 2, 1], [1] * 5))["easy"]
    assert everyone["facility"] == 1.0
    assert everyone["sd"] == 0.0
    assert everyone["discrimination"] is None
    assert everyone["discrimination_index"] == 0.0
    assert "too_easy" in everyone["flags"]

    nobody = item_statistics(rows_for("hard", [5, 4, 3, 2, 1], [0] * 5))["hard"]
    assert nobody["facility"] == 0.0
    assert nobody["discrimination"] is None
    assert "too_hard" in nobody["flags"]


def test_constant_rest_score_leaves_the_correlation_undefined():
    # rest = total − item = 4 for every attempt.
    stats = item_statistics(rows_for("q", [4, 5, 4, 5, 5], [0, 1, 0, 1, 1]))["q"]
    assert stats["discrimination"] is None
    assert stats["discrimination_index"] == pytest.approx(1.0)
    assert "negative_discrimination" not in stats["flags"]


def test_facility_thresholds_are_inclusive():
    easy = item_statistics(rows_for("q", list(range(20)), [1] * 19 + [0]))["q"]
    assert easy["facility"] == pytest.approx(0.95)
    assert "too_easy" in easy["flags"]
    hard = item_statistics(rows_for("q", list(range(20)), [0] * 19 + [1]))["q"]
    assert hard["facility"] == pytest.approx(0.05)
    assert "too_hard" in hard["flags"]
    middle = item_statistics(rows_for("q", list(range(20)), [1] * 18 + [0, 0]))["q"]
    assert not {"too_easy", "too_hard"} & set(middle["flags"])


def test_negative_discrimination_needs_enough_responses_to_be_flagged():
    """Eight attempts where the strong miss an item are chance, not a bad key;
    the same pattern over 32 attempts is flagged."""
    totals, right = [8, 7, 6, 5, 4, 3, 2, 1], [0, 0, 1, 0, 1, 1, 1, 1]
    few = item_statistics(rows_for("q", totals, right))["q"]
    many = item_statistics(rows_for("q", totals * 4, right * 4))["q"]
    assert few["discrimination"] < 0 and many["discrimination"] < 0
    assert few["flags"] == ["few_responses"]
    assert many["flags"] == ["negative_discrimination"]
    assert many["reliable"] is True


def test_few_responses_are_shown_but_marked_unreliable():
    stats = item_statistics(rows_for("q", [3, 2, 1], [1, 0, 1]))["q"]
    assert stats["n"] == 3
    assert stats["reliable"] is False
    assert stats["facility"] == pytest.approx(2 / 3)
    assert "few_responses" in stats["flags"]

    single = item_statistics(rows_for("q", [3], [1]))["q"]
    assert single["discrimination"] is None
    assert single["discrimination_index"] is None
    assert single["flags"] == ["few_responses", "too_easy"]


def test_questions_only_counted_where_they_were_shown():
    rows = [
        {
            "attempt_total": 2,
            "items": {"a": {"points": 1, "max_points": 1, "response": "x"}},
        },
        {
            "attempt_total": 1,
            "items": {
                "a": {"points": 0, "max_points": 1, "response": "y"},
                "b": {"points": 1, "max_points": 1, "response": "z"},
            },
        },
    ]
    stats = item_statistics(rows)
    assert list(stats) == ["a", "b"]
    assert (stats["a"]["n"], stats["b"]["n"]) == (2, 1)


def test_entries_without_max_points_are_left_out():
    rows = rows_for("q", [1, 2], [0, 1]) + rows_for("q", [3], [0], max_points=0)
    assert item_statistics(rows)["q"]["n"] == 2


SINGLE = {
    "id": "s",
    "type": "single",
    "prompt": "p",
    "choices": [
        {"text": "right", "correct": True},
        {"text": "wrong"},
        {"text": "never"},
    ],
}
MULTIPLE = {
    "id": "m",
    "type": "multiple",
    "prompt": "p",
    "choices": [
        {"text": "a", "correct": True},
        {"text": "b", "correct": True},
        {"text": "c"},
    ],
}


def ids(q):
    return {c["text"]: c["id"] for c in normalize_question(q)["choices"]}


def test_choice_counts_with_questions_list_every_choice_in_file_order():
    s, m = ids(SINGLE), ids(MULTIPLE)
    rows = []
    for total, (single, multiple) in enumerate(
        [
            (s["right"], [m["a"], m["b"]]),
            (s["right"], [m["a"], m["a"]]),  # a repeated id counts once
            (s["wrong"], [m["c"]]),
            (None, []),
            ("", None),
        ]
    ):
        rows.append(
            {
                "attempt_total": float(total),
                "items": {
                    "s": {"points": 0, "max_points": 1, "response": single},
                    "m": {"points": 0, "max_points": 1, "response": multiple},
                },
            }
        )
    stats = item_statistics(rows, questions=[SINGLE, MULTIPLE])
    assert list(stats["s"]["choice_counts"].items()) == [
        (s["right"], 2),
        (s["wrong"], 1),
        (s["never"], 0),
    ]
    assert stats["s"]["no_response"] == 2
    assert stats["m"]["choice_counts"] == {m["a"]: 2, m["b"]: 1, m["c"]: 1}
    assert stats["m"]["no_response"] == 2


def test_choice_counts_without_questions_count_what_was_given():
    responses = ["c2", "c1", ["c1", "c3"], True, False, None]
    rows = rows_for("q", [1, 2, 3, 4, 5, 6], [0] * 6, responses=responses)
    stats = item_statistics(rows)["q"]
    assert stats["choice_counts"] == {"c1": 2, "c2": 1, "c3": 1, "false": 1, "true": 1}
    assert stats["no_response"] == 1


def test_free_text_questions_get_no_choice_counts_but_count_blanks():
    numeric = {"id": "n", "type": "numeric", "prompt": "p", "answer": 5}
    rows = rows_for("n", [1, 2, 3], [1, 0, 0], responses=["5", 7, ""])
    stats = item_statistics(rows, questions=[numeric])["n"]
    assert stats["choice_counts"] == {}
    assert stats["no_response"] == 1


def test_truefalse_counts_with_questions():
    tf = {"id": "t", "type": "truefalse", "prompt": "p", "answer": True}
    rows = rows_for("t", [1, 2, 3], [1, 0, 1], responses=[True, False, True])
    assert item_statistics(rows, questions=[tf])["t"]["choice_counts"] == {
        "true": 2,
        "false": 1,
    }


def test_a_question_nobody_saw_is_listed_with_empty_stats():
    stats = item_statistics([], questions=[SINGLE])["s"]
    assert stats["n"] == 0
    assert stats["facility"] is None
    assert stats["discrimination"] is None
    assert stats["flags"] == ["few_responses"]
    assert stats["choice_counts"] == dict.fromkeys(ids(SINGLE).values(), 0)


@pytest.mark.parametrize(
    "rows",
    [
        [{"attempt_total": "5", "items": {}}],
        [{"attempt_total": float("nan"), "items": {}}],
        [{"attempt_total": 1}],
        [{"attempt_total": 1, "items": {"q": 1}}],
        [{"attempt_total": 1, "items": {"q": {"points": True, "max_points": 1}}}],
        [{"attempt_total": 1, "items": {"q": {"points": 1}}}],
    ],
)
def test_malformed_rows_raise_value_error(rows):
    with pytest.raises(ValueError):
        item_statistics(rows)


item_entry = st.fixed_dictionaries(
    {"max_points": st.sampled_from([1, 2, 5])},
).flatmap(
    lambda e: st.fixed_dictionaries(
        {
            "max_points": st.just(e["max_points"]),
            "points": st.floats(0, e["max_points"]),
            "response": st.none()
            | st.text(max_size=3)
            | st.lists(st.text(max_size=3), max_size=3),
        }
    )
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "attempt_total": st.floats(-50, 50),
                "items": st.dictionaries(
                    st.sampled_from(["a", "b", "c"]), item_entry, max_size=3
                ),
            }
        ),
        max_size=30,
    )
)
def test_statistics_stay_in_range_for_any_valid_rows(rows):
    for stats in item_statistics(rows).values():
        if stats["n"]:
            assert 0 <= stats["facility"] <= 1
        for key in ("discrimination", "discrimination_index"):
            assert stats[key] is None or -1 <= stats[key] <= 1
        assert stats["reliable"] is (stats["n"] >= 30)
