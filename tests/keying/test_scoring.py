"""Hand-worked examples for lms.keying.scoring: every error class and every metric.

The expected numbers are worked out by hand in the comments, so a failure
says which rule changed, not just that a number moved.
"""

from __future__ import annotations

import pytest

from lms.keying import scoring
from lms.keying.scoring import (
    align,
    compare_entry,
    compare_field,
    osa_ops,
    score,
)

# --------------------------------------------------------------------------
# Character alignment
# --------------------------------------------------------------------------


def ops_of(diff: list[dict[str, str]]) -> list[str]:
    return [segment["op"] for segment in diff]


def test_swapped_digits_are_one_transposition():
    result = align("2048", "2084")
    assert result.distance == 1
    assert result.counts == {"transposition": 1}
    assert result.diff == [
        {"op": "equal", "expected": "20", "typed": "20"},
        {"op": "transpose", "expected": "48", "typed": "84"},
    ]


@pytest.mark.parametrize(
    ("expected", "typed"),
    [
        ("ab", "ba"),  # Levenshtein: insert then delete
        ("1234", "1324"),  # insert, equal, delete
        ("x2048y", "x2084y"),  # swap in the middle
    ],
)
def test_every_levenshtein_spelling_of_a_swap_folds_to_one(expected, typed):
    result = align(expected, typed)
    assert result.distance == 1
    assert result.counts == {"transposition": 1}


def test_one_omitted_character_does_not_make_the_rest_wrong():
    # Positionally every character after "t" would differ; aligned, one is missing.
    result = align("ACME Corporation", "ACME Corporaton")
    assert result.distance == 1
    assert result.counts == {"omission": 1}
    assert result.diff == [
        {"op": "equal", "expected": "ACME Corporat", "typed": "ACME Corporat"},
        {"op": "omit", "expected": "i", "typed": ""},
        {"op": "equal", "expected": "on", "typed": "on"},
    ]


def test_insertion_and_substitution():
    assert align("1250", "12550").counts == {"insertion": 1}
    result = align("PO-118204", "PO-118294")
    assert result.counts == {"substitution": 1}
    assert ops_of(result.diff) == ["equal", "substitute", "equal"]


def test_research_example_two_swaps_and_an_omission():
    # data-entry-anchors §2.5: 48→84, or→ro, and the 0 of 1,250 left out = 3.
    result = align("INV-20481 ACME Corp 1,250.00", "INV-20841 ACME Crop 1,25.00")
    assert result.distance == 3
    assert result.counts == {"transposition": 2, "omission": 1}


def test_runs_of_the_same_operation_merge_into_one_segment():
    # "00" left out: two omissions, one segment a page can mark.
    result = align("1250.00", "1250.")
    assert result.counts == {"omission": 2}
    assert result.diff[-1] == {"op": "omit", "expected": "00", "typed": ""}


def test_overlapping_swaps_fall_back_to_the_exact_osa_script():
    # Levenshtein needs 3 edits here; OSA sees two swaps: 60→06 and 01→10.
    result = align("6001", "0610")
    assert result.distance == 2
    assert result.counts == {"transposition": 2}
    assert [op for op, _, _ in osa_ops("6001", "0610")] == ["transpose", "transpose"]


def test_whole_value_missing_or_extra():
    assert align("abc", "").counts == {"omission": 3}
    assert align("", "xy").counts == {"insertion": 2}
    assert align("", "") == (0, {}, [])


# --------------------------------------------------------------------------
# Comparator profiles
# --------------------------------------------------------------------------


def test_exact_profile_counts_every_character():
    verdict = compare_field("5", "05", "exact")
    assert verdict.status == "error"
    assert verdict.alignment.counts == {"insertion": 1}


def test_equal_strings_are_exact_under_every_profile():
    for profile in scoring.PROFILES:
        assert (
            compare_field("12/03/2026", "12/03/2026", profile, "%d/%m/%Y").status
            == "exact"
        )


def test_blank_is_a_field_level_error():
    verdict = compare_field("Asha Rao", "", "normalized")
    assert verdict.status == "blank"
    assert verdict.classes == ("blank",)
    assert verdict.alignment.distance == 8  # every character of the key is missing


def test_normalized_ignores_case_width_and_space_runs():
    assert (
        compare_field(
            "Morgan & Kelly  Furniture", "morgan & KELLY furniture", "normalized"
        ).status
        == "normalized_match"
    )
    # Full-width letters fold to ASCII under NFKC.
    assert (
        compare_field("ABC 123", "ＡＢＣ １２３", "normalized").status
        == "normalized_match"
    )


def test_normalized_error_ignores_case_inside_the_diff():
    # "Textile" for "Textiles" in lower case: one omission, not 3 case errors.
    verdict = compare_field("Dugar Textiles", "dugar textile", "normalized")
    assert verdict.status == "error"
    assert verdict.alignment.counts == {"omission": 1}
    assert verdict.alignment.diff[0] == {
        "op": "equal",
        "expected": "Dugar Textile",
        "typed": "dugar textile",
    }


def test_identifier_ignores_spaces_hyphens_and_case():
    assert compare_field("INV-2026-012915", "inv 2026 012915", "identifier").status == (
        "normalized_match"
    )
    verdict = compare_field("29MLACM9452W1ZC", "29mlacm9542w1zc", "identifier")
    assert verdict.alignment.counts == {"transposition": 1}


def test_amount_equal_values_are_accepted():
    assert compare_field("1,250.00", "1250", "amount").status == "normalized_match"
    assert (
        compare_field("1,25,000.00", "125000.00", "amount").status == "normalized_match"
    )


@pytest.mark.parametrize(
    ("expected", "typed", "classes"),
    [
        ("1,250.00", "125.00", ("decimal_shift",)),  # same digits 125, ÷10
        ("1,250.00", "12.50", ("decimal_shift",)),  # ÷100
        ("-412.50", "412.50", ("sign",)),  # same size, sign lost
        ("1,250.00", "-12.50", ("decimal_shift", "sign")),
        ("1,250.00", "1,205.00", ()),  # a swap, not a shift: digits differ
    ],
)
def test_amount_names_decimal_shift_and_sign(expected, typed, classes):
    verdict = compare_field(expected, typed, "amount")
    assert verdict.status == "error"
    assert verdict.classes == classes


def test_amount_swap_is_counted_as_a_transposition():
    verdict = compare_field("1,250.00", "1,205.00", "amount")
    assert scoring._error_counts(verdict) == {"transposition": 1}


def test_date_parses_with_the_declared_format():
    assert compare_field("03/04/2024", "3/4/2024", "date", "%d/%m/%Y").status == (
        "normalized_match"
    )


def test_date_in_another_format_is_a_format_error():
    verdict = compare_field("03/04/2024", "2024-04-03", "date", "%d/%m/%Y")
    assert verdict.classes == ("format",)
    assert scoring._error_counts(verdict) == {"format": 1}


def test_date_that_means_another_day_is_a_character_error():
    # 04/03 for 03/04 parses fine under %d/%m/%Y but is 4 March: two digits wrong.
    verdict = compare_field("03/04/2024", "04/03/2024", "date", "%d/%m/%Y")
    assert verdict.classes == ()
    assert verdict.alignment.counts == {"substitution": 2}


def test_date_with_a_broken_format_compares_exactly():
    verdict = compare_field("03/04/2024", "3/4/2024", "date", "%Q%")
    assert verdict.status == "error"


def test_unknown_profile_compares_exactly():
    assert compare_field("abc", "ABC", "no-such-profile").status == "error"


def test_ten_key_string_compare_calls_missing_decimals_a_format_error():
    verdict = compare_entry("1250.00", "1250", numeric=False)
    assert verdict.classes == ("format",)


def test_ten_key_numeric_compare_accepts_equal_values():
    assert compare_entry("1250.00", "1250", numeric=True).status == "normalized_match"
    assert compare_entry("1250.00", "125.00", numeric=True).classes == (
        "decimal_shift",
    )


# --------------------------------------------------------------------------
# Record entry: one worked example for every metric
# --------------------------------------------------------------------------

FIELDS = [
    {"name": "id", "label": "Customer ID", "profile": "identifier", "critical": True},
    {"name": "name", "label": "Name", "profile": "normalized", "critical": False},
    {"name": "amount", "label": "Credit limit", "profile": "amount", "critical": True},
]
NAMES = ["id", "name", "amount"]


def record_snapshot(rows: list[tuple[str, ...]], **extra) -> dict:
    return {
        "kind": "record_entry",
        "fields": FIELDS,
        "records": [
            {"id": f"r{k + 1}", "values": dict(zip(NAMES, row, strict=True))}
            for k, row in enumerate(rows)
        ],
        "correction_policy": "allowed",
        **extra,
    }


def record_responses(rows: list[tuple[str, ...]]) -> dict:
    return {
        f"r{k + 1}": dict(zip(NAMES, row, strict=True)) for k, row in enumerate(rows)
    }


EXPECTED_ROWS = [
    ("CUS-1001", "Asha Rao", "1,250.00"),
    ("CUS-1002", "Vikram Shah", "980.50"),
    ("CUS-1003", "Meera Iyer", "15.00"),
    ("CUS-1004", "Ravi Kumar", "72.40"),
]
TYPED_ROWS = [
    ("cus1001", "Asha Rao", "1250.00"),  # all accepted (two normalized matches)
    ("CUS-1020", "Vikram  shah", "98.05"),  # transposition, accepted, decimal shift
    ("CUS-1003", "", "-15.00"),  # exact, blank, sign
    ("CUS-1004", "Ravi Kuma", ""),  # exact, omission, unreached (nothing after it)
]


@pytest.fixture
def worked_record_result() -> dict:
    return score(record_snapshot(EXPECTED_ROWS), record_responses(TYPED_ROWS), [], 60.0)


def test_record_entry_speeds(worked_record_result):
    r = worked_record_result
    # K_final: each typed field's characters + 1 terminator.
    #   r1: cus1001 7+1, Asha Rao 8+1, 1250.00 7+1                 = 25
    #   r2: CUS-1020 8+1, "Vikram  shah" 12+1, 98.05 5+1           = 28
    #   r3: CUS-1003 8+1, (blank) 0, -15.00 6+1                    = 16
    #   r4: CUS-1004 8+1, Ravi Kuma 9+1                            = 19
    assert r["K_final"] == 88
    # K_correct: accepted fields only, each in its comparison form (what the
    # profile ignores earns no speed) + 1 terminator: r1 25; r2 name
    # "Vikram shah" 11+1 (the second space is ignored); r3 and r4 ids
    # CUS1003 / CUS1004 7+1 each (the identifier ignores the hyphen) = 53.
    assert r["K_correct"] == 53
    assert r["T_s"] == 60.0
    assert r["gross_kph"] == pytest.approx(88 * 3600 / 60)  # 5280
    assert r["net_kph"] == pytest.approx(53 * 3600 / 60)  # 3180
    assert r["gross_wpm"] == pytest.approx(5280 / 300)  # 17.6
    assert r["net_wpm"] == pytest.approx(3180 / 300)  # 10.6


def test_record_entry_accuracies(worked_record_result):
    r = worked_record_result
    # Reached: 11 of 12 fields (r4's amount comes after the last typed field).
    # Accepted: r1 ×3, r2 name, r3 id, r4 id = 6.
    assert r["field_accuracy"] == pytest.approx(6 / 11)
    assert r["accuracy"] == r["field_accuracy"]
    # Four records attempted; only r1 has no field error.
    assert r["record_accuracy"] == pytest.approx(1 / 4)
    # Critical reached: ids r1–r4 (r2 wrong) + amounts r1–r3 (r2, r3 wrong) = 4/7.
    assert r["critical_accuracy"] == pytest.approx(4 / 7)
    # Σ OSA distance: r2 id 1 + r2 amount 2 (98|0.→.0|5|0 omitted) + r3 name 10
    #   (blank) + r3 amount 1 (the "-") + r4 name 1 = 15.
    # Σ max(len expected, len typed): r1 8+8+8, r2 8+12+6, r3 8+10+6, r4 8+10 = 92.
    assert r["char_accuracy"] == pytest.approx(1 - 15 / 92)
    assert r["completion_pct"] == pytest.approx(100 * 11 / 12)
    assert r["keystroke_accuracy"] is None  # no events
    assert r["entry_accuracy"] is None  # a 10-key metric


def test_record_entry_error_counts(worked_record_result):
    counts = worked_record_result["error_counts"]
    assert {k: v for k, v in counts.items() if v} == {
        "transposition": 1,
        "decimal_shift": 1,  # its character ops are not counted again
        "blank": 1,
        "sign": 1,
        "omission": 1,
    }
    assert set(counts) == set(scoring.ERROR_CLASSES)


def test_record_entry_items_show_statuses_and_diffs(worked_record_result):
    items = worked_record_result["items"]
    assert [i["status"] for i in items] == ["correct", "error", "error", "error"]
    statuses = [[f["status"] for f in i["fields"]] for i in items]
    assert statuses == [
        ["normalized_match", "exact", "normalized_match"],
        ["error", "normalized_match", "error"],
        ["exact", "blank", "error"],
        ["exact", "error", "unreached"],
    ]
    r2_id = items[1]["fields"][0]
    assert r2_id["diff"] == [
        {"op": "equal", "expected": "CUS10", "typed": "CUS10"},
        {"op": "transpose", "expected": "02", "typed": "20"},
    ]
    assert r2_id["errors"] == {"transposition": 1}
    assert r2_id["critical"] is True and r2_id["label"] == "Customer ID"


def test_record_entry_keystroke_accuracy_reads_amounts_without_separators():
    # Record r1 typed as in TYPED_ROWS, one key per character, all three
    # fields accepted. The amount "1250.00" for "1,250.00" lines up digit
    # for digit with the comma left out, as the amount profile compares it:
    # 7/7. "Asha Rao" is exact: 8/8. The identifier "cus1001" for
    # "CUS-1001" is still judged by position and case (docs/keying.md §11):
    # c u s 1 0 0 1 against C U S - 1 0 0, only the 0 at 5 is right: 1/7.
    # Total (7 + 8 + 1) / (7 + 8 + 7) = 16/22.
    events = []
    for name, typed in zip(NAMES, TYPED_ROWS[0], strict=True):
        events += [
            {
                "t": 0,
                "item": "r1",
                "field": name,
                "type": "input",
                "op": "insert",
                "pos": k,
                "data": c,
            }
            for k, c in enumerate(typed)
        ]
    r = score(
        record_snapshot(EXPECTED_ROWS[:1]),
        record_responses(TYPED_ROWS[:1]),
        events,
        60.0,
    )
    assert r["field_accuracy"] == 1.0
    assert r["keystroke_accuracy"] == pytest.approx(16 / 22)


def test_record_entry_band_and_validity(worked_record_result):
    assert worked_record_result["validity"] == "valid"
    assert worked_record_result["band"] is None  # 3,180 net KPH is below 5,000
    assert worked_record_result["flags"] == []


def test_record_entry_band_needs_critical_fields_right():
    rows = EXPECTED_ROWS
    # 4 records × (8+1, name+1, amount+1): 9+9+9 + 9+12+7 + 9+11+6 + 9+11+6 = 107
    # keystrokes; in 30 s that is 12,840 KPH, above every speed threshold.
    perfect = score(record_snapshot(rows), record_responses(rows), [], 30.0)
    assert perfect["K_final"] == 107
    assert perfect["band"] == "proficient"
    # One wrong critical amount in 12 fields: field accuracy 11/12 ≈ 0.917 is
    # under every default band anyway; give the test a lenient band to show
    # the critical rule alone blocks it.
    typed = [*rows[:3], ("CUS-1004", "Ravi Kumar", "72.04")]
    lenient = {"foundation": {"net_kph": 1000, "accuracy": 0.5}}
    blocked = score(
        record_snapshot(rows, bands=lenient), record_responses(typed), [], 30.0
    )
    assert blocked["critical_accuracy"] < 1
    assert blocked["band"] is None
    explicit = {
        "foundation": {"net_kph": 1000, "accuracy": 0.5, "critical_accuracy": 0.5}
    }
    allowed = score(
        record_snapshot(rows, bands=explicit), record_responses(typed), [], 30.0
    )
    assert allowed["band"] == "foundation"


def test_record_entry_without_critical_fields_has_no_critical_accuracy():
    snapshot = record_snapshot(EXPECTED_ROWS)
    snapshot["fields"] = [dict(f, critical=False) for f in FIELDS]
    result = score(snapshot, record_responses(EXPECTED_ROWS), [], 60.0)
    assert result["critical_accuracy"] is None


def test_nothing_typed_earns_nothing():
    result = score(record_snapshot(EXPECTED_ROWS), {}, [], 60.0)
    assert result["field_accuracy"] == 0.0
    assert result["completion_pct"] == 0.0
    assert result["K_final"] == 0 and result["gross_kph"] == 0.0
    assert all(i["status"] == "unreached" for i in result["items"])


# --------------------------------------------------------------------------
# 10-key
# --------------------------------------------------------------------------


def ten_key_snapshot(values: list[str], compare: str = "string", **extra) -> dict:
    return {
        "kind": "ten_key",
        "entries": [{"id": f"e{k + 1}", "value": v} for k, v in enumerate(values)],
        "compare": compare,
        **extra,
    }


TEN_KEY_VALUES = ["1250.00", "33.10", "4.50", "900", "12", "-7.25", "604.18", "88"]


def test_ten_key_worked_example():
    typed = {
        "e1": "1250.00",  # exact
        "e2": "",  # blank with later entries typed: skipped_entry
        "e3": "45.0",  # 4.50 → 45.0: decimal shift
        "e4": "900",  # exact
        "e5": "21",  # transposition
        "e6": "7.25",  # sign
        "e7": "604.18",  # exact
        # e8 not typed: unreached
    }
    r = score(ten_key_snapshot(TEN_KEY_VALUES), typed, [], 20.0)
    # Reached 7 entries, accepted 3 (e1, e4, e7).
    assert r["entry_accuracy"] == pytest.approx(3 / 7)
    assert r["accuracy"] == r["entry_accuracy"]
    # K_final: (7+1) + (4+1) + (3+1) + (2+1) + (4+1) + (6+1) = 32; K_correct 8+4+7 = 19.
    assert r["K_final"] == 32
    assert r["K_correct"] == 19
    assert r["gross_kph"] == pytest.approx(32 * 3600 / 20)  # 5760
    assert r["net_kph"] == pytest.approx(19 * 3600 / 20)  # 3420
    # OSA: e2 5 (all of 33.10), e3 "4.50"→"45.0" 1 (swap ".5"), e5 1, e6 1 = 8.
    # Σ max lengths: 7 + 5 + 4 + 3 + 2 + 5 + 6 = 32.
    assert r["char_accuracy"] == pytest.approx(1 - 8 / 32)
    assert r["completion_pct"] == pytest.approx(100 * 7 / 8)
    counts = {k: v for k, v in r["error_counts"].items() if v}
    assert counts == {
        "skipped_entry": 1,
        "decimal_shift": 1,
        "transposition": 1,
        "sign": 1,
    }
    assert [i["status"] for i in r["items"]] == [
        "exact",
        "skipped_entry",
        "error",
        "exact",
        "error",
        "error",
        "exact",
        "unreached",
    ]
    assert r["validity"] == "valid"  # 20 s is over the 15 s floor


def test_ten_key_row_slip_is_one_skipped_entry_not_many_wrong_rows():
    # The learner missed 33.10 and keyed every later value one box early.
    typed = {"e1": "1250.00", "e2": "4.50", "e3": "900", "e4": "12", "e5": "-7.25"}
    r = score(ten_key_snapshot(TEN_KEY_VALUES), typed, [], 20.0)
    counts = {k: v for k, v in r["error_counts"].items() if v}
    assert counts == {"skipped_entry": 1}
    # Reached e1..e6 (e6 typed in box e5); accepted 5 of 6.
    assert r["entry_accuracy"] == pytest.approx(5 / 6)
    slipped = next(i for i in r["items"] if i["id"] == "e3")
    assert slipped["typed_in"] == "e2" and slipped["status"] == "exact"


def test_ten_key_extra_entry():
    # An extra 55 keyed between the first two entries; 900 never reached.
    typed = {"e1": "1250.00", "e2": "55", "e3": "33.10", "e4": "4.50"}
    r = score(ten_key_snapshot(TEN_KEY_VALUES[:4]), typed, [], 20.0)
    assert {k: v for k, v in r["error_counts"].items() if v} == {"extra_entry": 1}
    # 3 expected reached + 1 extra judged; 3 accepted.
    assert r["entry_accuracy"] == pytest.approx(3 / 4)
    extra = next(i for i in r["items"] if i["status"] == "extra_entry")
    assert extra["id"] is None and extra["typed_in"] == "e2" and extra["typed"] == "55"


def test_ten_key_format_and_numeric_compare():
    string = score(ten_key_snapshot(["1250.00"]), {"e1": "1250"}, [], 20.0)
    assert string["error_counts"]["format"] == 1
    numeric = score(
        ten_key_snapshot(["1250.00"], compare="numeric"), {"e1": "1250"}, [], 20.0
    )
    assert numeric["entry_accuracy"] == 1.0


def test_ten_key_default_bands():
    values = ["12345.67"] * 40  # 40 × (8 + Enter) = 360 keystrokes
    typed = {f"e{k + 1}": v for k, v in enumerate(values)}
    # 360 keystrokes in 144 s = 9,000 KPH: job-ready (8,000), not proficient (10,000).
    assert score(ten_key_snapshot(values), typed, [], 144.0)["band"] == "job_ready"
    # 120 s = 10,800 KPH: proficient.
    assert score(ten_key_snapshot(values), typed, [], 120.0)["band"] == "proficient"
    # One wrong entry: 39/40 = 97.5 % → foundation only (98 % needed above).
    typed["e1"] = "12345.76"
    assert score(ten_key_snapshot(values), typed, [], 120.0)["band"] == "foundation"


def test_snapshot_bands_replace_the_defaults():
    values = ["12345.67"] * 40
    typed = {f"e{k + 1}": v for k, v in enumerate(values)}
    strict = {"foundation": {"net_kph": 20000, "accuracy": 0.99}}
    assert (
        score(ten_key_snapshot(values, bands=strict), typed, [], 120.0)["band"] is None
    )


# --------------------------------------------------------------------------
# Transcription
# --------------------------------------------------------------------------

PASSAGE = "The quick brown fox jumps over the lazy dog."


def transcription_snapshot(text: str = PASSAGE) -> dict:
    return {
        "kind": "transcription",
        "passages": [{"id": "p1", "title": "Fox", "text": text}],
    }


def test_transcription_worked_example():
    typed = "The quikc brown fox jumps the lazzy dog."
    r = score(transcription_snapshot(), {"p1": typed}, [], 30.0)
    # Word errors: quick→quikc, "over" missing, lazy→lazzy = 3.
    assert r["word_errors"] == 3
    # K_final: typed words + one space each: 4+6+6+4+6+4+6+5 = 41.
    assert r["K_final"] == 41
    # K_correct: words typed right: The 4, brown fox jumps 16, the 4, dog. 5 = 29.
    assert r["K_correct"] == 29
    # Gross WPM = (41/5) / 0.5 min = 16.4; net = 16.4 − 3/0.5 = 10.4.
    assert r["gross_wpm"] == pytest.approx(16.4)
    assert r["net_wpm"] == pytest.approx(10.4)
    assert r["gross_kph"] == pytest.approx(41 * 3600 / 30)  # 4920
    assert r["net_kph"] == pytest.approx(29 * 3600 / 30)  # 3480
    assert r["correct_words_wpm"] == pytest.approx(3480 / 300)  # 11.6
    # OSA over the passage: 1 swap + " over" 5 omitted + 1 extra z = 7 of 44.
    assert r["char_accuracy"] == pytest.approx(1 - 7 / 44)
    assert r["accuracy"] == r["char_accuracy"]
    assert r["completion_pct"] == pytest.approx(100.0)
    counts = {k: v for k, v in r["error_counts"].items() if v}
    assert counts == {"transposition": 1, "omission": 5, "insertion": 1}
    assert r["items"][0]["diff"] == [
        {"op": "equal", "expected": "The qui", "typed": "The qui"},
        {"op": "transpose", "expected": "ck", "typed": "kc"},
        {"op": "equal", "expected": " brown fox jumps", "typed": " brown fox jumps"},
        {"op": "omit", "expected": " over", "typed": ""},
        {"op": "equal", "expected": " the laz", "typed": " the laz"},
        {"op": "insert", "expected": "", "typed": "z"},
        {"op": "equal", "expected": "y dog.", "typed": "y dog."},
    ]


def test_transcription_keystroke_accuracy_worked_example():
    # The worked example's text typed left to right, no corrections: 40
    # inserts. Wrong: "k" and "c" of "quikc" (against "c" and "k" of
    # "quick"); the second "z" and the "y" of "lazzy" (against "y", then
    # past the end of "lazy") and the space after it (five letters where
    # "lazy" has four). "over" is skipped: "the" lines up with "the", so
    # its keys and all later ones are right. 35/40.
    typed = "The quikc brown fox jumps the lazzy dog."
    events = [
        {
            "t": 150 * k,
            "item": "p1",
            "field": "",
            "type": "input",
            "op": "insert",
            "pos": k,
            "data": c,
        }
        for k, c in enumerate(typed)
    ]
    r = score(transcription_snapshot(), {"p1": typed}, events, 30.0)
    assert r["keystroke_accuracy"] == pytest.approx(35 / 40)


def test_transcription_spacing_is_not_graded():
    r = score(
        transcription_snapshot(),
        {"p1": "The  quick brown\nfox jumps over the lazy dog. "},
        [],
        30,
    )
    assert r["word_errors"] == 0 and r["char_accuracy"] == 1.0


def test_transcription_stopped_mid_word_is_unreached_not_wrong():
    r = score(transcription_snapshot(), {"p1": "The quick brown fox ju"}, [], 30.0)
    assert r["word_errors"] == 0
    assert r["char_accuracy"] == 1.0
    # Reached "The quick brown fox ju" = 22 of 44 characters.
    assert r["completion_pct"] == pytest.approx(50.0)
    assert r["items"][0]["diff"][-1] == {
        "op": "unreached",
        "expected": "mps over the lazy dog.",
        "typed": "",
    }


def test_transcription_net_wpm_never_below_zero():
    r = score(transcription_snapshot(), {"p1": "x y z w v"}, [], 60.0)
    assert r["net_wpm"] == 0.0
    assert r["net_wpm"] <= r["gross_wpm"]


# --------------------------------------------------------------------------
# Reconciliation
# --------------------------------------------------------------------------


def list_snapshot() -> dict:
    return {
        "kind": "reconciliation",
        "mode": "list",
        "sets": [
            {
                "id": "s1",
                "key": "ref",
                "columns": ["ref", "date", "amount"],
                "ledger": [],
                "statement": [],
                "discrepancies": [
                    {"ref": "R1", "type": "missing_in_statement", "field": None},
                    {"ref": "R2", "type": "field_mismatch", "field": "amount"},
                    {"ref": "R3", "type": "extra_in_statement", "field": None},
                ],
            }
        ],
    }


def test_reconciliation_list_precision_recall_f1_with_partial_credit():
    flags = [
        {"ref": "R1", "type": "missing_in_statement", "field": None},  # 1
        {"ref": "R2", "type": "field_mismatch", "field": "date"},  # right ref+type: 0.5
        {"ref": "r3", "type": "Extra_In_Statement"},  # 1 (case does not matter)
        {"ref": "R9", "type": "extra_in_statement"},  # false alarm
        {
            "ref": "R1",
            "type": "missing_in_statement",
            "field": "",
        },  # duplicate: ignored
    ]
    r = score(list_snapshot(), {"s1": flags}, [], 120.0)
    # Credit 2.5 over 4 distinct flags and 3 planted discrepancies.
    assert r["precision"] == pytest.approx(2.5 / 4)
    assert r["recall"] == pytest.approx(2.5 / 3)
    # F1 = 2PR/(P+R) = 2·(5/8)(5/6) / (5/8 + 5/6) = 5/7.
    assert r["f1"] == pytest.approx(5 / 7)
    assert r["accuracy"] == r["f1"]
    assert r["error_counts"] == {"missed": 0, "wrong_field": 1, "false_alarm": 1}
    item = r["items"][0]
    assert [e["status"] for e in item["expected"]] == ["found", "partial", "found"]
    assert [f["status"] for f in item["flagged"]] == [
        "correct",
        "partial",
        "correct",
        "false_alarm",
    ]
    assert r["completion_pct"] == 100.0
    assert (
        r["gross_kph"] is None and r["band"] is None
    )  # no default reconciliation band


def test_reconciliation_list_nothing_flagged():
    r = score(list_snapshot(), {}, [], 120.0)
    assert (r["precision"], r["recall"], r["f1"]) == (0.0, 0.0, 0.0)
    assert r["error_counts"]["missed"] == 3


def pair_snapshot() -> dict:
    return {
        "kind": "reconciliation",
        "mode": "pair",
        "sets": [
            {
                "id": "s1",
                "fields": ["name", "address", "pin"],
                "pairs": [
                    {"id": "p1", "left": {}, "right": {}, "differs": ["pin"]},
                    {"id": "p2", "left": {}, "right": {}, "differs": []},
                    {
                        "id": "p3",
                        "left": {},
                        "right": {},
                        "differs": ["name", "address"],
                    },
                    {"id": "p4", "left": {}, "right": {}, "differs": ["address"]},
                    {"id": "p5", "left": {}, "right": {}, "differs": []},
                ],
            }
        ],
        "bands": {"foundation": {"f1": 0.5}},
    }


def test_reconciliation_pair_mode():
    answers = {"p1": ["pin"], "p2": [], "p3": ["name"], "p4": ["pin"]}  # p5 unanswered
    r = score(pair_snapshot(), {"s1": answers}, [], 120.0)
    # Right: p1, p2. Wrong: p3, p4. Answered 4 of 5.
    assert r["pair_accuracy"] == pytest.approx(2 / 4)
    # k = 2^3 = 8 possible answers per pair: R − W/(k−1) = 2 − 2/7.
    assert r["corrected_score"] == pytest.approx(2 - 2 / 7)
    assert r["corrected_score_max"] == 5
    assert r["completion_pct"] == pytest.approx(80.0)
    # Flags (pair, field): given p1/pin, p3/name, p4/pin; planted p1/pin,
    # p3/name, p3/address, p4/address. True positives 2.
    assert r["precision"] == pytest.approx(2 / 3)
    assert r["recall"] == pytest.approx(2 / 4)
    assert r["f1"] == pytest.approx(4 / 7)  # 2·(2/3)(1/2) / (2/3 + 1/2)
    assert r["error_counts"] == {"missed": 2, "wrong_field": 0, "false_alarm": 1}
    assert r["band"] == "foundation"  # f1 0.571 ≥ 0.5
    statuses = [p["status"] for p in r["items"][0]["pairs"]]
    assert statuses == ["correct", "correct", "wrong", "wrong", "unanswered"]


# --------------------------------------------------------------------------
# Validity
# --------------------------------------------------------------------------


def test_too_short_and_too_few_items_is_invalid():
    r = score(ten_key_snapshot(TEN_KEY_VALUES), {"e1": "1250.00"}, [], 10.0)
    assert r["validity"] == "invalid_too_short"
    assert "15 s" in r["validity_reason"]
    assert r["band"] is None


def test_a_short_test_done_in_full_still_needs_fifteen_seconds():
    values = ["1"] * 10
    typed = {f"e{k + 1}": "1" for k in range(10)}
    # 20 keystrokes: at the 30,000 KPH ceiling 2.4 s of work, so the 15 s
    # floor is the minimum. (Ten items no longer make up for too little time.)
    r = score(ten_key_snapshot(values), typed, [], 14.0)
    assert r["validity"] == "invalid_too_short"
    assert "at least 15 s" in r["validity_reason"]
    assert score(ten_key_snapshot(values), typed, [], 15.0)["validity"] == "valid"


def test_superhuman_speed_is_implausible_and_flagged():
    values = ["12345.67"] * 40
    typed = {f"e{k + 1}": v for k, v in enumerate(values)}
    # 360 keystrokes in 20 s = 64,800 KPH.
    r = score(ten_key_snapshot(values), typed, [], 20.0)
    assert r["validity"] == "invalid_implausible"
    assert "KPH" in r["validity_reason"]
    assert r["band"] is None
    assert [f["code"] for f in r["flags"]] == ["implausible_timing"]
    assert r["flags"][0]["evidence"]["gross_kph"] == pytest.approx(64800)


def test_no_elapsed_time_with_typed_work_is_implausible():
    values = ["1"] * 12
    typed = {f"e{k + 1}": "1" for k in range(12)}
    assert (
        score(ten_key_snapshot(values), typed, [], 0)["validity"]
        == "invalid_implausible"
    )


def test_unknown_kind_is_an_engine_error():
    with pytest.raises(ValueError, match="not a keying test kind"):
        score({"kind": "quiz"}, {}, [], 10.0)


def test_malformed_answers_count_as_blank():
    snapshot = record_snapshot(EXPECTED_ROWS[:1])
    responses = {"r1": {"id": 1001, "name": None, "amount": ["1250"]}, "zz": "junk"}
    r = score(snapshot, responses, [], 60.0)
    # Nothing usable was typed, so nothing was reached: no errors, no credit.
    assert (r["field_accuracy"], r["completion_pct"], r["K_final"]) == (0.0, 0.0, 0)
    assert [f["status"] for f in r["items"][0]["fields"]] == ["unreached"] * 3
    # A number where text belongs is blank, but a blank before a typed field is an error.
    responses = {"r1": {"id": 1001, "name": "Asha Rao", "amount": "1,250.00"}}
    r = score(snapshot, responses, [], 60.0)
    assert [f["status"] for f in r["items"][0]["fields"]] == ["blank", "exact", "exact"]
