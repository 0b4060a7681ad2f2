"""The one walk over a keystroke log gives what reading it once per question gave.

Each reference below reads a log the plain way, one pass per figure, as the
readers did before they shared `lms.keying.events.scan`; hypothesis feeds both
the same logs, well formed or not, and every figure must agree.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from lms.keying import events as keylog
from lms.keying.events import keys, reading

# Mostly one input, so that keys, inserts and deletes meet in it.
names = st.sampled_from(["r1"] * 6 + ["r2", "", 7, None, True])
fields = st.sampled_from(["name"] * 6 + ["amount", "", 3, None])
key_names = st.sampled_from(
    ["a", "B", "7", "0", ",", "Backspace", "Delete", "Tab", "Enter", "Shift"]
    + ["End", "ArrowDown", "Clear", 5, None]
)
codes = st.sampled_from(["KeyA", "Digit7", "Numpad7", "Numpad1", "Tab", None, 3])
times = st.one_of(
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=True),
    st.sampled_from([None, "12", True, 10**30]),
)
key_events = st.fixed_dictionaries(
    {"type": st.just("key"), "t": times, "item": names, "field": fields},
    optional={
        "key": key_names,
        "code": codes,
        "repeat": st.sampled_from([True, False, 1]),
        "location": st.sampled_from([0, 3, "3"]),
    },
)
input_events = st.fixed_dictionaries(
    {"type": st.just("input"), "t": times, "item": names, "field": fields},
    optional={
        "op": st.sampled_from(["insert"] * 4 + ["delete", "replace", None]),
        "data": st.one_of(
            st.text("ab7, \t\u3000", min_size=1, max_size=1),
            st.text("ab7, \t\u3000", max_size=3),
            st.sampled_from([None, 4]),
        ),
        "pos": st.one_of(st.integers(-3, 8), st.sampled_from([None, True, "2"])),
        "len": st.one_of(st.integers(-1, 4), st.sampled_from([None, False])),
    },
)
other_events = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["paste", "drop", "blur", "focus", "scroll"]),
        "t": times,
        "item": names,
        "field": fields,
    }
)
logs = st.lists(
    st.one_of(key_events, input_events, other_events, st.sampled_from([None, 3, []])),
    max_size=60,
)


def plain_replay(events):
    values: dict = {}
    for event in keylog.checked(events):
        if event["type"] != "input":
            continue
        inputs = values.setdefault(reading.name_text(event.get("item")), {})
        field = reading.name_text(event.get("field"))
        inputs[field] = keylog.apply_input(inputs.get(field, ""), event)
    return values


def plain_intervals(events):
    times = [
        t
        for event in keylog.checked(events)
        if event["type"] == "key"
        and reading.is_counted_key(event)
        and (t := reading.time_ms(event)) is not None
    ]
    return [b - a for a, b in zip(times, times[1:], strict=False) if b >= a]


def plain_keyless(events):
    pending: Counter = Counter()
    found: list = []
    joined = False
    for event in keylog.checked(events):
        name = (
            reading.name_text(event.get("item")),
            reading.name_text(event.get("field")),
        )
        if event["type"] == "key":
            pending[name] += reading.types_character(event)
            continue
        data = event.get("data")
        if event["type"] != "input" or event.get("op") != "insert":
            continue
        if not isinstance(data, str) or not data:
            continue
        if len(data) == 1 and pending[name]:
            pending[name] -= 1
            joined = False
            continue
        last = found[-1] if found else None
        if joined and last is not None and (last[0], last[1]) == name:
            found[-1] = (*name, last[2] + data, last[3] + 1, last[4])
        else:
            found.append((*name, data, 1, reading.time_ms(event)))
        joined = True
    return found


def plain_counts(events):
    log = keylog.checked(events)
    keys_ = [e for e in log if e["type"] == "key"]
    digits = [
        e
        for e in keys_
        if isinstance(e.get("key"), str)
        and e["key"] in "0123456789"
        and len(e["key"]) == 1
    ]
    return {
        "K_raw": sum(map(reading.is_counted_key, keys_)) if keys_ else None,
        "backspaces": sum(
            1 for e in log if e["type"] == "input" and e.get("op") == "delete"
        ),
        "inserts": sum(
            len(e["data"])
            for e in log
            if e["type"] == "input"
            and e.get("op") == "insert"
            and isinstance(e.get("data"), str)
        ),
        "paste_attempts": sum(1 for e in log if e["type"] in ("paste", "drop")),
        "focus_losses": sum(
            1
            for e in log
            if e["type"] == "blur" and reading.name_text(e.get("item")) == ""
        ),
        "numpad_pct": 100.0
        * sum(1 for e in digits if str(e.get("code")).startswith("Numpad"))
        / len(digits)
        if digits
        else None,
    }


def plain_amount_correct(target, before, data):
    """Amount inputs: positions counted with commas and whitespace left out."""
    digits = re.sub(r"[\s,]", "", target)
    separated = {
        len(re.sub(r"[\s,]", "", target[:k]))
        for k, char in enumerate(target)
        if char == "," or char.isspace()
    }
    index = len(re.sub(r"[\s,]", "", before))
    correct = 0
    for char in data:
        if char == "," or char.isspace():
            correct += index in separated
        else:
            correct += index < len(digits) and digits[index] == char
            index += 1
    return correct


def plain_accuracy(events, expected, amounts=()):
    values: dict = {}
    correct = total = 0
    for event in keylog.checked(events):
        if event["type"] != "input":
            total += reading.is_numlock_off_key(event)
            continue
        name = (
            reading.name_text(event.get("item")),
            reading.name_text(event.get("field")),
        )
        value = values.get(name, "")
        data = event.get("data")
        if event.get("op") != "insert" or not isinstance(data, str):
            values[name] = keylog.apply_input(value, event)
            continue
        pos = min(max(reading.int_or(event.get("pos"), len(value)), 0), len(value))
        target = expected.get(name[0], {}).get(name[1])
        if target is not None and name in amounts:
            total += len(data)
            correct += plain_amount_correct(target, value[:pos], data)
        elif target is not None:
            total += len(data)
            correct += sum(
                k < len(target) and target[k] == c
                for k, c in enumerate(data, start=pos)
            )
        values[name] = value[:pos] + data + value[pos:]
    return correct / total if total else None


def typed(kind, item="r1", field="name", **event):
    return {"type": kind, "t": 0, "item": item, "field": field, **event}


# Logs where the readings depend on the order of keys and inserts in one input.
CRAFTED = [
    [  # key-less text, a keyed character between, key-less text again
        typed("input", op="insert", data="ab", pos=0),
        typed("key", key="c"),
        typed("input", op="insert", data="c"),
        typed("input", op="insert", data="d"),
    ],
    [  # key-less characters in a row join; a delete between does not part them
        typed("input", op="insert", data="a"),
        typed("input", op="delete", pos=0, len=1),
        typed("input", op="insert", data="b"),
        typed("input", op="insert", data="c", item="r2"),
    ],
    [  # an amount typed with separators the expected value has, and others
        typed("input", field="amount", op="insert", data="7"),
        typed("input", field="amount", op="insert", data="\u3000"),
        typed("input", field="amount", op="insert", data="7"),
        typed("input", field="amount", op="insert", data=",7\t", pos=1),
        typed("input", field="amount", op="delete", pos=0, len=2),
        typed("input", field="amount", op="insert", data="7 ,", pos=0),
    ],
    [  # a key in another input does not cover this one's insert
        typed("key", key="a", item="r2"),
        typed("input", op="insert", data="a"),
        typed("key", key="b", repeat=True),
        typed("input", op="insert", data="b", pos=0),
    ],
]


@settings(max_examples=300, deadline=None)
@given(logs)
def test_every_reading_of_one_walk_matches_reading_the_log_again(events):
    assert_readings_match(events)


def test_crafted_logs_read_the_same():
    for events in CRAFTED:
        assert_readings_match(events)


def assert_readings_match(events):
    assert keylog.replay(events) == plain_replay(events)
    intervals = plain_intervals(events)
    assert keylog.key_intervals(events) == intervals
    assert [tuple(k) for k in keys.keyless_text(events)] == plain_keyless(events)
    reduced = keylog.reduce_events(events)
    counts = plain_counts(events)
    assert {k: reduced[k] for k in counts} == counts
    assert reduced["iki_median_ms"] == (
        statistics.median(intervals) if intervals else None
    )
    log = keylog.checked(events)
    assert keys.auto_repeats(events) == [
        e
        for e in log
        if e["type"] == "key" and e.get("repeat") is True and reading.types_character(e)
    ]
    assert keys.numlock_off_keys(events) == Counter(
        e["key"] for e in log if reading.is_numlock_off_key(e)
    )
    expected = {"r1": {"name": "ab7", "amount": "7,7"}, "": {"": "a b"}}
    assert keylog.keystroke_accuracy(
        events, expected, numlock_off_wrong=True
    ) == plain_accuracy(events, expected)
    amounts = {("r1", "amount"), ("", "")}
    assert keylog.keystroke_accuracy(
        events, expected, amount_inputs=amounts, numlock_off_wrong=True
    ) == plain_accuracy(events, expected, amounts)


def test_a_checked_log_is_walked_once():
    log = keylog.checked(
        [{"type": "key", "t": 0, "item": "r1", "field": "f", "key": "a"}]
    )
    assert keylog.scan(log) is keylog.scan(log)
    assert keylog.scan(log) is not keylog.scan(list(log))  # a new list: a new walk
