"""Mapping rules (lms.skills.rules): from a result to a level, and the sentence
a result page shows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.skills import rules
from lms.skills.rules import RuleOutcome, default_rule, outcome, problems, sentence

PERCENT = {"type": "percent", "levels": [[60, 1], [80, 2], [95, 3]]}
BAND = {"type": "band", "levels": {"foundation": 2, "job_ready": 3, "proficient": 4}}


def quiz_result(percent, **extra):
    return {"score": percent, "max_score": 100, "percent": percent} | extra


def keying_result(band, validity="valid"):
    return {"kind": "record_entry", "validity": validity, "band": band}


# --- percent ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "level"),
    [(59.9, None), (60, 1), (79.5, 1), (80, 2), (94, 2), (95, 3), (100, 3)],
)
def test_percent_takes_the_highest_threshold_met(percent, level):
    assert outcome(PERCENT, quiz_result(percent)).level == level


def test_percent_says_why():
    assert outcome(PERCENT, quiz_result(82)) == RuleOutcome(2, "82 %, at least 80 %")
    below = outcome(PERCENT, quiz_result(40))
    assert below.reason == "40 % is below the 60 % the first level needs"
    assert not below.is_evidence


def test_a_quiz_waiting_for_a_trainer_is_no_evidence_yet():
    found = outcome(PERCENT, quiz_result(100, needs_manual_grading=True))
    assert found.level is None and "waiting for a trainer" in found.reason


def test_an_attempt_without_a_result_is_no_evidence():
    assert outcome(PERCENT, None).level is None


# --- band ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("band", "level"), [("foundation", 2), ("job_ready", 3), ("proficient", 4)]
)
def test_band_maps_each_band(band, level):
    assert outcome(BAND, keying_result(band)).level == level


def test_the_reason_names_the_band():
    assert outcome(BAND, keying_result("job_ready")) == RuleOutcome(3, "Job-ready band")


@pytest.mark.parametrize(
    ("validity", "words"),
    [
        ("unverified", "unverified"),
        ("invalid_too_short", "too short"),
        ("invalid_implausible", "beyond what a person can type"),
        ("invalid_something_new", "invalid"),
    ],
)
def test_a_result_that_is_not_valid_is_no_evidence_with_the_reason(validity, words):
    # Even a band on the result would not count: validity decides first.
    found = outcome(BAND, keying_result("proficient", validity))
    assert found.level is None
    assert words in found.reason and "not evidence" in found.reason


def test_no_band_is_no_evidence():
    found = outcome(BAND, keying_result(None))
    assert found == RuleOutcome(None, "no band was reached, so it is not evidence")


def test_a_band_above_the_mapped_ones_earns_the_highest_below_it():
    rule = {"type": "band", "levels": {"job_ready": 3}}
    assert outcome(rule, keying_result("proficient")).level == 3
    assert outcome(rule, keying_result("foundation")).level is None


def test_an_invalid_quiz_like_result_is_no_evidence_under_percent_too():
    assert outcome(PERCENT, quiz_result(100, validity="unverified")).level is None


# --- completion --------------------------------------------------------------------


def test_completion_gives_its_level():
    rule = {"type": "completion", "level": 2}
    assert outcome(rule, None) == RuleOutcome(2, "course completed")


# --- defaults and validation ---------------------------------------------------------


def test_one_default_rule_per_source():
    assert default_rule("quiz") == PERCENT
    assert default_rule("record_entry") == BAND
    assert default_rule("ten_key")["type"] == "band"
    assert default_rule("course") == {"type": "completion", "level": 1}
    assert problems(default_rule("transcription"), "transcription") == []


def test_defaults_are_copies():
    rule = default_rule("quiz")
    rule["levels"][0][1] = 5
    assert default_rule("quiz")["levels"][0] == [60, 1]


@pytest.mark.parametrize(
    ("rule", "source", "words"),
    [
        ({}, None, "Choose how"),
        ({"type": "percent", "levels": []}, None, "at least one"),
        ({"type": "percent", "levels": [[0, 1]]}, None, "above 0"),
        ({"type": "percent", "levels": [[80, 6]]}, None, "level 1–5"),
        ({"type": "percent", "levels": [[80, 2], [80, 3]]}, None, "only once"),
        ({"type": "percent", "levels": [[60, 3], [80, 2]]}, None, "higher level"),
        ({"type": "band", "levels": {"gold": 3}}, None, "no band called"),
        ({"type": "band", "levels": {"job_ready": 4, "proficient": 2}}, None, "lower"),
        ({"type": "completion", "level": 0}, None, "1 to 5"),
        ({"type": "completion", "level": 1}, "quiz", "percent thresholds"),
        (PERCENT, "ten_key", "band"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(rule, source, words):
    found = problems(rule, source)
    assert found and any(words in p for p in found), found


def test_rules_read_as_people_read_them():
    assert (
        rules.describe({"type": "percent", "levels": [[80, 2]]}) == "≥ 80 % → level 2"
    )
    assert rules.describe(BAND) == (
        "Foundation → level 2, Job-ready → level 3, Proficient → level 4"
    )
    assert rules.describe({"type": "completion", "level": 1}) == "completed → level 1"


def test_outcomes_list_every_level_a_rule_can_give():
    assert rules.outcomes(PERCENT) == [
        ("a score of at least 60 %", 1),
        ("a score of at least 80 %", 2),
        ("a score of at least 95 %", 3),
    ]
    assert rules.outcomes(BAND)[1] == ("a job-ready band", 3)
    assert rules.outcomes({"type": "completion", "level": 2}) == [
        ("completing the course", 2)
    ]
    assert rules.outcomes({}) == []


# --- sentences for result pages ---------------------------------------------------------


def test_sentences_say_what_moved_and_why_not():
    moved = sentence("Reconciliation", RuleOutcome(3, "Job-ready band"), 2, 3)
    assert moved == "Moved Reconciliation to level 3 (Job-ready band)."
    unverified = outcome(BAND, keying_result(None, "unverified"))
    assert sentence("Data entry", unverified, 2, 2) == (
        "No change to Data entry: this attempt is unverified, so it is not evidence."
    )
    same = sentence("Data entry", RuleOutcome(2, "82 %, at least 80 %"), 3, 3)
    assert same.startswith("No change to Data entry: level 2 evidence")


# --- properties --------------------------------------------------------------------------


@given(st.floats(0, 100, allow_nan=False))
def test_a_higher_percent_never_earns_a_lower_level(percent):
    low = outcome(PERCENT, quiz_result(percent)).level or 0
    high = outcome(PERCENT, quiz_result(min(percent + 5, 100))).level or 0
    assert high >= low


@given(
    st.sampled_from(["foundation", "job_ready", "proficient", None]),
    st.sampled_from(["unverified", "invalid_too_short", "invalid_implausible"]),
)
def test_an_attempt_that_is_not_valid_never_gives_a_level(band, validity):
    assert outcome(BAND, keying_result(band, validity)).level is None
    assert outcome(PERCENT, quiz_result(100, validity=validity)).level is None
