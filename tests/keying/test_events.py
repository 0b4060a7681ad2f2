"""Keystroke events: replay, deadline cut, process accuracy, analytics, integrity flags."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.keying import events as keylog
from lms.keying.scoring import score


def key(
    t: float, k: str, code: str | None = None, item: str = "e1", field: str = ""
) -> dict:
    event = {"t": t, "item": item, "field": field, "type": "key", "key": k}
    if code is not None:
        event["code"] = code
    return event


def ins(
    data: str,
    pos: int | None = None,
    item: str = "r1",
    field: str = "name",
    t: float = 0,
):
    event = {
        "t": t,
        "item": item,
        "field": field,
        "type": "input",
        "op": "insert",
        "data": data,
    }
    if pos is not None:
        event["pos"] = pos
    return event


def dele(
    pos: int | None = None, n: int | None = None, item: str = "r1", field: str = "name"
):
    event = {"t": 0, "item": item, "field": field, "type": "input", "op": "delete"}
    if pos is not None:
        event["pos"] = pos
    if n is not None:
        event["len"] = n
    return event


def typing(text: str, item: str, field: str = "") -> list[dict]:
    """Input events that type `text` left to right."""
    return [ins(char, k, item=item, field=field) for k, char in enumerate(text)]


def keyed(text: str, item: str, field: str = "") -> list[dict]:
    """The keydown and the input event of every character of `text`, at a
    person's uneven pace."""
    events = []
    for k, event in enumerate(typing(text, item, field)):
        t = 150 * k + 40 * (k % 3)
        events += [key(t, event["data"], item=item, field=field), event | {"t": t}]
    return events


# --------------------------------------------------------------------------
# Replay and deadline
# --------------------------------------------------------------------------


def test_replay_applies_inserts_and_deletes_in_order():
    events = [
        ins("A", 0),
        ins("s", 1),
        ins("h", 2),
        ins("x", 3),  # mistake ...
        dele(3, 1),  # ... Backspace
        ins("a", 3),
        ins(" Rao"),  # no pos: at the end
        ins("Z"),
        dele(),  # no pos/len: the last character
    ]
    assert keylog.replay(events) == {"r1": {"name": "Asha Rao"}}


def test_replay_keeps_inputs_apart_and_clamps_positions():
    events = [
        ins("12", item="r1", field="id"),
        ins("x", 99, item="r2", field="id"),  # caret past the end: append
        ins("0", -5, item="r1", field="id"),  # before the start: prepend
        dele(0, 50, item="r2", field="id"),  # more than there is: clears it
    ]
    assert keylog.replay(events) == {"r1": {"id": "012"}, "r2": {"id": ""}}


def test_replay_skips_malformed_events():
    events = [
        "not an event",
        None,
        {"type": "teleport", "item": "r1", "field": "name", "data": "x"},
        {"type": "input", "item": "r1", "field": "name", "op": "insert", "data": 5},
        {
            "type": "input",
            "item": "r1",
            "field": "name",
            "op": "insert",
            "data": "ok",
            "pos": "0",
        },
        {"type": "input", "item": "r1", "field": "name", "op": "explode"},
    ]
    # The insert with a string pos still inserts (at the end); nothing raises.
    assert keylog.replay(events) == {"r1": {"name": "ok"}}
    assert keylog.replay("junk") == {}
    assert keylog.replay(None) == {}


def test_paste_changes_nothing_in_the_replay():
    events = [
        ins("12"),
        {"t": 5, "item": "r1", "field": "name", "type": "paste", "data": "99"},
    ]
    assert keylog.replay(events) == {"r1": {"name": "12"}}


def test_ignore_after_keeps_events_up_to_the_deadline():
    events = [
        ins("a", t=0),
        ins("b", t=300_000),
        ins("c", t=300_001),  # after a 5-minute limit
        {
            "type": "input",
            "item": "r1",
            "field": "name",
            "op": "insert",
            "data": "d",
        },  # no t
        {"t": float("nan"), "type": "key", "key": "e"},
        {"t": True, "type": "key", "key": "f"},
    ]
    kept = keylog.ignore_after(events, 300_000)
    assert [e.get("data") for e in kept] == ["a", "b"]
    assert keylog.replay(kept) == {"r1": {"name": "ab"}}


# --------------------------------------------------------------------------
# Keystroke (process) accuracy
# --------------------------------------------------------------------------


def test_keystroke_accuracy_counts_corrected_mistakes():
    # Key "1250": 1 ✓, 2 ✓, 6 ✗ (5 expected at 2), Backspace, 5 ✓, 0 ✓ → 4/5.
    events = [
        ins("1", 0),
        ins("2", 1),
        ins("6", 2),
        dele(2, 1),
        ins("5", 2),
        ins("0", 3),
    ]
    expected = {"r1": {"name": "1250"}}
    assert keylog.keystroke_accuracy(events, expected) == pytest.approx(4 / 5)


def test_keystroke_accuracy_ignores_inputs_outside_the_key():
    events = [ins("1", 0, item="other"), ins("1", 0)]
    assert keylog.keystroke_accuracy(events, {"r1": {"name": "1"}}) == 1.0
    assert keylog.keystroke_accuracy([], {"r1": {"name": "1"}}) is None


def test_keystroke_accuracy_by_word_keeps_an_omission_local():
    # "th cat sat" for "the cat sat": the space after "th" is wrong (the word
    # is not finished); every later key is right within its word: 9/10.
    events = typing("th cat sat", "p1")
    expected = {"p1": {"": "the cat sat"}}
    assert keylog.keystroke_accuracy(
        events, expected, by_word_items={"p1"}
    ) == pytest.approx(9 / 10)
    # Positionally the same keys cascade: only "t" and "h" line up, 2/10.
    assert keylog.keystroke_accuracy(events, expected) == pytest.approx(2 / 10)


FOX = "The quick brown fox jumps over the lazy dog."


def by_word(typed: str, passage: str = FOX) -> float | None:
    """Keystroke accuracy of typing `typed` left to right into a passage."""
    return keylog.keystroke_accuracy(
        typing(typed, "p1"), {"p1": {"": passage}}, by_word_items={"p1"}
    )


def test_keystroke_accuracy_by_word_survives_a_skipped_word():
    # "over" left out, everything else typed right: 39 inserts (32 letters,
    # 7 spaces). When "t" is typed after "jumps ", the text so far lines up
    # with the passage only if "over" was skipped ("t" starts "the", not
    # "over"), so "the", its space and every later key are judged against
    # the words they line up with: 39 of 39 right. The omission is an
    # outcome error (word_errors, char_accuracy), not a wrong keystroke.
    # Judged by word count alone, every key from "the" on was compared with
    # the word before it: t, h and the space of "the", all of "lazy " and
    # "dog." were wrong, 27/39 = 0.69 (and far less on a long passage).
    typed = "The quick brown fox jumps the lazy dog."
    assert len(typed) == 39
    assert by_word(typed) == 1.0


def test_keystroke_accuracy_by_word_one_substituted_character():
    # "ovar" for "over": 44 inserts, only the "a" is wrong. Its space comes
    # where the passage has one (a four-letter word), so it is right, and
    # "the" lines up with "the" after the substituted word: 43/44.
    typed = "The quick brown fox jumps ovar the lazy dog."
    assert len(typed) == 44
    assert by_word(typed) == pytest.approx(43 / 44)


def test_keystroke_accuracy_by_word_extra_word():
    # "the the cat sat" for "the cat sat": 15 inserts. The second "the" is
    # judged against "cat" (t, h, e wrong; its space, after three letters
    # where "cat" has three, right); "cat" then lines up with "cat" again,
    # the extra word having cost one alignment step: 4 + 1 + 4 + 3 = 12/15.
    assert by_word("the the cat sat", "the cat sat") == pytest.approx(12 / 15)


def test_keystroke_accuracy_by_word_two_skipped_words_need_one_word_of_evidence():
    # "two three" left out. Skipping two words costs 2 on the alignment,
    # substituting one costs 1, so "four" and its space are judged against
    # "two" (f, o, u wrong; r past its end; the space after four letters
    # where "two" has three): 0/5. Once "four" is typed, "five" costs the
    # same either way and lines up with "five"; after "four five" the skip
    # is settled. 23 inserts, 5 wrong: 18/23.
    passage = "one two three four five six seven"
    assert by_word("one four five six seven", passage) == pytest.approx(18 / 23)


def test_keystroke_accuracy_by_word_follows_edits_before_the_caret():
    # "the dog " (d, o, g wrong for "cat"), four Backspaces back to "the ",
    # then "cat sat": the corrected "dog" still counts (5 of 8 right), and
    # "cat" is judged with "dog" gone: 5 + 7 = 12/15.
    events = [
        *typing("the dog ", "p1"),
        *(dele(k, 1, "p1", "") for k in range(7, 3, -1)),
    ]
    events += [ins(c, 4 + k, "p1", "") for k, c in enumerate("cat sat")]
    assert keylog.replay(events) == {"p1": {"": "the cat sat"}}
    expected = {"p1": {"": "the cat sat"}}
    assert keylog.keystroke_accuracy(
        events, expected, by_word_items={"p1"}
    ) == pytest.approx(12 / 15)


def test_keystroke_accuracy_of_an_amount_ignores_separators():
    # "125000.00" for "125,000.00" (the amount profile accepts it): digit
    # for digit with the comma left out of the key, all 9 keys are right.
    expected = {"r1": {"amount": "125,000.00"}}
    events = typing("125000.00", "r1", "amount")
    assert (
        keylog.keystroke_accuracy(events, expected, amount_inputs={("r1", "amount")})
        == 1.0
    )
    # By plain position everything from the comma's place on is off by one:
    # 1 2 5 ✓, 0 (",") ✗, 0 0 ✓, . ("0") ✗, 0 (".") ✗, 0 ✓ = 6/9.
    assert keylog.keystroke_accuracy(events, expected) == pytest.approx(6 / 9)


@pytest.mark.parametrize(
    ("key_value", "typed", "accuracy"),
    [
        ("125,000.00", "125,000.00", 1.0),  # as shown: the comma is right
        ("125,000.00", "125 000.00", 1.0),  # a space where the key has a comma
        ("125,000.00", "12,5000.00", 9 / 10),  # a comma where the key has none
        ("1,25,000.00", "125,000.00", 1.0),  # a comma where the key has one
        ("1,250.00", "1,205.00", 6 / 8),  # the 0 and the 5 swapped: 2 wrong
    ],
)
def test_keystroke_accuracy_of_amount_separators(key_value, typed, accuracy):
    expected = {"r1": {"amount": key_value}}
    events = typing(typed, "r1", "amount")
    assert keylog.keystroke_accuracy(
        events, expected, amount_inputs={("r1", "amount")}
    ) == pytest.approx(accuracy)


words = st.sampled_from(["the", "cat", "sat", "on", "a", "mat", "at", "cats"])


@settings(max_examples=200, deadline=None)
@given(st.lists(words, min_size=1, max_size=25), st.data())
def test_keystroke_accuracy_by_word_typing_right_or_skipping_one_word(passage, data):
    text = " ".join(passage)
    assert by_word(text, text) == 1.0
    skip = data.draw(st.integers(0, len(passage) - 1))
    typed = " ".join(passage[:skip] + passage[skip + 1 :])
    if typed:
        assert by_word(typed, text) == 1.0


edit = st.one_of(
    st.tuples(
        st.just("insert"),
        st.integers(0, 60),
        st.sampled_from(["a", "t", " ", "cat ", "x"]),
    ),
    st.tuples(st.just("delete"), st.integers(0, 60), st.integers(1, 4)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(edit, max_size=60))
def test_keystroke_accuracy_by_word_is_the_same_without_its_cache(edits):
    # Each insert judged by a fresh judge (which aligns the text before the
    # caret from scratch) gives the same total as the incremental one.
    text = "the cat sat on the mat at a cat"
    events, value, fresh = [], "", 0
    for op, pos, arg in edits:
        pos = min(pos, len(value))
        if op == "insert":
            events.append(ins(arg, pos, "p1", ""))
            fresh += keylog._PassageJudge(text).judge(value, pos, arg)
            value = value[:pos] + arg + value[pos:]
        else:
            events.append(dele(pos, arg, "p1", ""))
            value = value[:pos] + value[pos + arg :]
    inserted = sum(len(arg) for op, _, arg in edits if op == "insert")
    result = keylog.keystroke_accuracy(events, {"p1": {"": text}}, by_word_items={"p1"})
    assert result == (fresh / inserted if inserted else None)


# --------------------------------------------------------------------------
# Derived metrics
# --------------------------------------------------------------------------

KEYS = [
    key(0, "1", "Numpad1"),
    key(50, "Shift", "ShiftLeft"),  # not a keystroke of the work
    key(100, "2", "Digit2"),
    key(250, "Backspace", "Backspace"),
    key(400, "3", "Numpad3"),
    key(3400, "Enter", "NumpadEnter"),  # after a 3 s pause
]


def test_reduce_events_worked_example():
    events = [*KEYS, ins("12", item="e1", field=""), dele(item="e1", field="")]
    stats = keylog.reduce_events(events)
    assert stats["K_raw"] == 5  # 1, 2, Backspace, 3, Enter
    assert stats["backspaces"] == 1
    assert stats["inserts"] == 2
    # Digits 1, 2, 3; two on the keypad.
    assert stats["numpad_pct"] == pytest.approx(100 * 2 / 3)
    # Intervals between counted keys: 100, 150, 150, 3000.
    assert stats["iki_mean_ms"] == pytest.approx(3400 / 4)
    assert stats["iki_median_ms"] == pytest.approx(150)
    # Consistency leaves out the 3 s pause: [100, 150, 150], mean 400/3,
    # population sd √(5000/9), so CV = √2/8.
    cv = math.sqrt(2) / 8
    assert stats["consistency"] == pytest.approx(
        100 * (1 - math.tanh(cv + cv**3 / 3 + cv**5 / 5))
    )
    assert stats["paste_attempts"] == 0 and stats["focus_losses"] == 0


def test_reduce_events_without_key_events():
    stats = keylog.reduce_events([ins("1")])
    assert stats["K_raw"] is None
    assert stats["numpad_pct"] is None
    assert stats["iki_mean_ms"] is None and stats["consistency"] is None


def test_kogasa_is_100_for_perfectly_even_typing():
    assert keylog.kogasa(0.0) == 100.0
    assert keylog.kogasa(0.5) < keylog.kogasa(0.1)


# --------------------------------------------------------------------------
# Integrity flags
# --------------------------------------------------------------------------

TEN_KEY = {
    "kind": "ten_key",
    "entries": [{"id": "e1", "value": "1250.00"}],
    "compare": "string",
}


def codes(flags: list[dict]) -> list[str]:
    return [flag["code"] for flag in flags]


def test_paste_attempts_are_flagged_with_times():
    events = [
        {"t": 500, "item": "e1", "field": "", "type": "paste"},
        {"t": 900, "item": "e1", "field": "", "type": "drop"},
    ]
    (flag,) = keylog.integrity_flags(TEN_KEY, {}, events)
    assert flag["code"] == "paste_attempt"
    assert flag["evidence"]["count"] == 2
    assert flag["evidence"]["t"] == [500, 900]
    assert "2 paste" in flag["message"]


def test_focus_loss_counts_page_level_blurs_only():
    events = [
        {"t": 100, "item": "e1", "field": "", "type": "blur"},  # moving between inputs
        {"t": 200, "item": "", "field": "", "type": "blur"},  # left the window
        {"t": 300, "item": "", "field": "", "type": "focus"},
        {"t": 400, "item": "", "field": "", "type": "blur"},
    ]
    (flag,) = keylog.integrity_flags(TEN_KEY, {}, events)
    assert flag["code"] == "focus_loss"
    assert flag["evidence"] == {"count": 2, "t": [200, 400]}


def test_mostly_sub_15ms_intervals_are_implausible():
    events = [key(5 * k, "1") for k in range(12)]  # 11 intervals of 5 ms
    stats = keylog.timing_stats(events)
    assert stats["intervals"] == 11 and stats["fast_share"] == 1.0
    assert keylog.timing_is_implausible(stats)
    assert codes(keylog.integrity_flags(TEN_KEY, {}, events)) == ["implausible_timing"]


def test_fast_median_is_flagged_but_not_invalid():
    events = [key(30 * k + (k % 2) * 5, "1") for k in range(12)]  # 25 / 35 ms
    stats = keylog.timing_stats(events)
    assert not keylog.timing_is_implausible(stats)
    (flag,) = keylog.integrity_flags(TEN_KEY, {}, events)
    assert flag["code"] == "implausible_timing"
    assert "median key interval" in flag["message"]


def test_machine_regular_timing_is_flagged():
    events = [key(120 * k, "1") for k in range(25)]  # exactly 120 ms apart
    (flag,) = keylog.integrity_flags(TEN_KEY, {}, events)
    assert "machine-regular" in flag["message"]


def test_human_timing_is_not_flagged():
    intervals = [180, 95, 240, 130, 160, 310, 120, 200, 150, 175, 90, 260]
    times = [sum(intervals[:k]) for k in range(len(intervals) + 1)]
    assert keylog.integrity_flags(TEN_KEY, {}, [key(t, "1") for t in times]) == []


RECORD = {
    "kind": "record_entry",
    "fields": [
        {"name": "name", "label": "Name", "profile": "normalized", "critical": False},
        {"name": "pin", "label": "PIN", "profile": "exact", "critical": False},
    ],
    "records": [{"id": "r1", "values": {"name": "Asha Rao", "pin": "560034"}}],
}


def test_replay_mismatch_names_the_inputs():
    events = keyed("Asha", "r1", "name")
    responses = {"r1": {"name": "Asha Rao", "pin": "560034"}}
    (flag,) = keylog.integrity_flags(RECORD, responses, events)
    assert flag["code"] == "replay_mismatch"
    assert flag["evidence"]["count"] == 2
    assert flag["evidence"]["inputs"] == [
        {"item": "r1", "field": "name", "replayed": "Asha", "submitted": "Asha Rao"},
        # Typed with no keystrokes behind it at all.
        {"item": "r1", "field": "pin", "replayed": "", "submitted": "560034"},
    ]


def test_replay_that_matches_is_not_flagged():
    events = [*keyed(" Asha Rao", "r1", "name"), *keyed("560034", "r1", "pin")]
    # Surrounding whitespace and line endings are not graded, so not evidence.
    responses = {"r1": {"name": "Asha Rao\r\n", "pin": "560034"}}
    assert keylog.integrity_flags(RECORD, responses, events) == []


def test_no_input_events_means_no_replay_check():
    responses = {"r1": {"name": "Asha Rao", "pin": "560034"}}
    assert keylog.integrity_flags(RECORD, responses, [key(0, "A")]) == []


def test_integrity_flags_tolerate_junk():
    assert keylog.integrity_flags(None, None, None) == []
    # Junk entries: nothing to replay against; the insert had no key behind it.
    flags = keylog.integrity_flags({"kind": "ten_key", "entries": 5}, [], [ins("1")])
    assert [flag["code"] for flag in flags] == ["keyless_input"]


# --------------------------------------------------------------------------
# Through score()
# --------------------------------------------------------------------------


def test_score_reads_process_metrics_from_the_events():
    # Keyed "1250.00" on the keypad with one corrected mistake, 150 ms apart.
    keys = "12600" + "\b\b\b" + "50.00"
    events, value, t = [], "", 0
    for char in keys:
        if char == "\b":
            events.append(key(t, "Backspace", "Backspace"))
            events.append(
                {
                    "t": t,
                    "item": "e1",
                    "field": "",
                    "type": "input",
                    "op": "delete",
                    "pos": len(value) - 1,
                    "len": 1,
                }
            )
            value = value[:-1]
        else:
            code = "NumpadDecimal" if char == "." else f"Numpad{char}"
            events.append(key(t, char, code))
            events.append(ins(char, len(value), item="e1", field=""))
            value += char
        t += 150
    assert value == "1250.00"
    r = score(TEN_KEY, {"e1": "1250.00"}, events, 20.0)
    # Inserts against "1250.00" by position: 1 ✓, 2 ✓, 6 ✗ (5 at 2), 0 ✓ (0 at 3),
    # 0 ✗ (. at 4); after three Backspaces 5 0 . 0 0 are all right: 8/10.
    assert r["keystroke_accuracy"] == pytest.approx(8 / 10)
    # Key events: 10 characters + 3 Backspaces = 13; all 9 digits on the keypad.
    assert r["K_raw"] == 13
    assert r["numpad_pct"] == 100.0
    assert r["analytics"]["backspaces"] == 3
    assert r["flags"] == []
    assert r["validity"] == "valid"


def test_score_marks_generated_keystrokes_invalid():
    values = [str(k) for k in range(12)]
    snapshot = {
        "kind": "ten_key",
        "entries": [{"id": f"e{k}", "value": v} for k, v in enumerate(values)],
        "compare": "string",
    }
    responses = {f"e{k}": v for k, v in enumerate(values)}
    events = [key(3 * k, "1", item=f"e{k}") for k in range(12)]
    r = score(snapshot, responses, events, 60.0)
    assert r["validity"] == "invalid_implausible"
    assert "under 15 ms" in r["validity_reason"]
    assert "implausible_timing" in codes(r["flags"])
    assert r["band"] is None


def test_score_judges_numeric_ten_key_keys_without_separators():
    snapshot = {**TEN_KEY, "compare": "numeric"}
    events = typing("1,250.00", "e1")
    r = score(snapshot, {"e1": "1,250.00"}, events, 20.0)
    assert r["entry_accuracy"] == 1.0  # numeric compare accepts the comma
    # The key has no comma: it is the one wrong key of 8; the digits after
    # it line up with 1250.00 as the comparison does: 7/8.
    assert r["keystroke_accuracy"] == pytest.approx(7 / 8)
    # String compare wants the entry as shown (the comma is a format error),
    # so keys are judged by position: 1 ✓, then "," "2" "5" "0" "." against
    # 2 5 0 . 0 ✗, 0 against 0 ✓, the last 0 past the end ✗ = 2/8.
    r = score(TEN_KEY, {"e1": "1,250.00"}, events, 20.0)
    assert r["keystroke_accuracy"] == pytest.approx(2 / 8)
