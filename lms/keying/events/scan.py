"""One walk over a checked keystroke log, kept on the log for every reader.

Scoring reads a submission's log for analytics counts, key timing, the
replayed values, key-less text, held keys, Num Lock keys, paste and focus
evidence and, for process accuracy, the text each insert went into. Walking a
log of a thousand events once per reading made those readings most of a
keying submission's scoring time; `scan(events)` walks it once, and the
readers (`analytics`, `keys`, `replaying`, `accuracy`, `integrity`) take their
figures from it. The key predicates stay in `reading`. Two rules live here
because the walk applies them as it goes: replaying one input event
(`apply_input`) and matching inserts to keydowns (`keys.keyless_text` says
what key-less means).

The result is kept on the `EventLog`, which nobody changes after `checked()`
made it.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from lms.keying.events.reading import (
    DIGIT_KEYS,
    MAX_TIME_MS,
    NUMLOCK_OFF_KEYS,
    Event,
    EventLog,
    Values,
    checked,
    int_or,
    is_counted_key,
    is_numlock_off_key,
    name_text,
    time_ms,
    types_character,
)

Name = tuple[str, str]  # (item, field): one input of the test


def apply_input(value: str, event: Event) -> str:
    """Return `value` after one input event; a malformed event changes nothing.

    insert: `data` goes in at `pos` (default: the end). delete: `len`
    characters (default 1) go from `pos` (default: that many before the end).
    Positions are clamped into the value, as a browser caret would be.
    """
    op = event.get("op")
    if op == "insert":
        data = event.get("data")
        if not isinstance(data, str):
            return value
        pos = _caret(event, value)
        return value[:pos] + data + value[pos:]
    if op == "delete":
        count = max(int_or(event.get("len"), 1), 0)
        pos = min(max(int_or(event.get("pos"), len(value) - count), 0), len(value))
        return value[:pos] + value[pos + count :]
    return value


def _caret(event: Event, value: str) -> int:
    """Where an insert goes: its `pos` clamped into the value, or the end."""
    size = len(value)
    pos = int_or(event.get("pos"), size)
    return 0 if pos < 0 else size if pos > size else pos


class KeylessText(NamedTuple):
    """Text that went into one input with no keydown behind it."""

    item: str
    field: str
    arrived: str  # the characters, in the order they arrived
    inserts: int  # how many insert events brought them
    t: float | None  # client time of the first


# One insert of text as it happened: (the input's whole value just before,
# where the text went in, the text).
Insert = tuple[str, int, str]


@dataclass(slots=True)
class Scan:
    """What one walk over a log found; readers must not change it."""

    key_events: int = 0
    counted_keys: int = 0  # keys that type or edit (K_raw)
    digit_keys: int = 0
    numpad_digits: int = 0
    deletes: int = 0  # delete inputs (Backspace, Delete, cut)
    inserted_chars: int = 0
    has_input: bool = False
    intervals: list[float] = field(default_factory=list)  # between counted keys, ms
    pastes: list[Event] = field(default_factory=list)  # paste and drop
    window_blurs: list[Event] = field(default_factory=list)
    auto_repeats: list[Event] = field(default_factory=list)
    numlock_off: Counter[str] = field(default_factory=Counter)
    values: Values = field(default_factory=dict)  # replayed: {item: {field: value}}
    # Each input's inserts in the order they happened, inputs in order of
    # their first insert.
    inserts: dict[Name, list[Insert]] = field(default_factory=dict)
    keyless: list[KeylessText] = field(default_factory=list)
    _median: float | None = None

    def median_interval(self) -> float | None:
        """The median of `intervals` (None without any), worked out once."""
        if self._median is None and self.intervals:
            self._median = statistics.median(self.intervals)
        return self._median


def scan(events: Any) -> Scan:
    """Everything the readers of a log need, from one walk (kept on the log)."""
    log = checked(events)
    found = log.scanned
    if found is None:
        found = log.scanned = _walk(log)
    return found


def key_intervals(events: Any) -> list[float]:
    """Inter-key intervals (ms) between consecutive counted key events.

    Pairs whose client times go backwards are skipped rather than trusted.
    """
    return scan(events).intervals


def _walk(log: EventLog) -> Scan:
    out = Scan()
    values: dict[Name, str] = {}
    pending: dict[Name, int] = {}  # character keydowns no insert has used yet
    # Typing goes key, insert, key, insert into one input for long stretches:
    # the input being typed into and its last unmatched keydown stay in locals
    # (`current`, `value`, `into`; `carried`) instead of costing dict look-ups
    # of a tuple key for every event. `values` gets a value when its input is
    # left (and at the end), which keeps the inputs in first-typed order.
    current: Name | None = None
    value = ""
    into: list[Insert] | None = None
    carried: Name | None = None  # one keydown not yet counted in `pending`
    key_times: list[float] = []
    inserts = out.inserts
    key_flags = _KEY_FLAGS
    key_events = counted_keys = digit_keys = numpad_digits = deletes = 0
    inserted_chars = 0
    joined = False  # the last insert was key-less: the next may join it
    for event in log:
        kind = event["type"]
        if kind == "key":
            key = event.get("key")
            flags = key_flags.get(key) if key.__class__ is str else None
            counted, types, digit = flags or _key_flags(event)
            key_events += 1
            if counted:
                counted_keys += 1
                t = event.get("t")
                # JSON's usual whole-millisecond time skips time_ms's checks.
                if t.__class__ is int and -MAX_TIME_MS <= t <= MAX_TIME_MS:
                    key_times.append(float(t))
                elif (t := time_ms(event)) is not None:
                    key_times.append(t)
            if digit:
                digit_keys += 1
                code = event.get("code")
                numpad_digits += isinstance(code, str) and code.startswith("Numpad")
            if types:
                name = (event.get("item"), event.get("field"))
                if name[0].__class__ is not str or name[1].__class__ is not str:
                    name = _name(event)
                if carried is not None:
                    pending[carried] = pending.get(carried, 0) + 1
                carried = name
                if event.get("repeat") is True:
                    out.auto_repeats.append(event)
            elif (
                key.__class__ is not str or key in NUMLOCK_OFF_KEYS
            ) and is_numlock_off_key(event):
                out.numlock_off[key] += 1
            continue
        if kind != "input":
            if kind == "paste" or kind == "drop":
                out.pastes.append(event)
            elif kind == "blur" and name_text(event.get("item")) == "":
                out.window_blurs.append(event)
            continue
        name = (event.get("item"), event.get("field"))
        if name[0].__class__ is not str or name[1].__class__ is not str:
            name = _name(event)
        if name != current:
            if current is not None:
                values[current] = value
            current, value, into = name, values.get(name, ""), inserts.get(name)
        data = event.get("data")
        if event.get("op") != "insert" or not isinstance(data, str):
            deletes += event.get("op") == "delete"
            value = apply_input(value, event)
            continue
        pos = event.get("pos")
        if pos.__class__ is not int or not 0 <= pos <= len(value):
            pos = _caret(event, value)
        if into is None:
            into = inserts[name] = []
        into.append((value, pos, data))
        value = value[:pos] + data + value[pos:] if pos < len(value) else value + data
        inserted_chars += len(data)
        if len(data) == 1:
            if carried is not None and carried == name:
                carried = None
                joined = False
                continue
            if pending.get(name):
                pending[name] -= 1
                joined = False
                continue
        if not data:
            continue
        last = out.keyless[-1] if out.keyless else None
        if joined and last is not None and (last.item, last.field) == name:
            out.keyless[-1] = last._replace(
                arrived=last.arrived + data, inserts=last.inserts + 1
            )
        else:
            out.keyless.append(KeylessText(*name, data, 1, time_ms(event)))
        joined = True
    if current is not None:
        values[current] = value
    out.key_events, out.counted_keys = key_events, counted_keys
    out.digit_keys, out.numpad_digits, out.deletes = digit_keys, numpad_digits, deletes
    out.has_input = bool(values)
    out.inserted_chars = inserted_chars
    for (item, field_name), typed in values.items():
        out.values.setdefault(item, {})[field_name] = typed
    out.intervals = [
        b - a for a, b in zip(key_times, key_times[1:], strict=False) if b >= a
    ]
    return out


def _name(event: Event) -> Name:
    return name_text(event.get("item")), name_text(event.get("field"))


# (counts for K_raw, types a character, is a digit) by key name: the same few
# keys come back hundreds of times in a log. Bounded: a log can hold any text.
_KEY_FLAGS: dict[str, tuple[bool, bool, bool]] = {}
_KEY_FLAGS_SIZE = 512


def _key_flags(event: Event) -> tuple[bool, bool, bool]:
    key = event.get("key")
    if key.__class__ is str:
        flags = _KEY_FLAGS.get(key)
        if flags is not None:
            return flags
    flags = (
        is_counted_key(event),
        types_character(event),
        isinstance(key, str) and key in DIGIT_KEYS,
    )
    if key.__class__ is str and len(_KEY_FLAGS) < _KEY_FLAGS_SIZE:
        _KEY_FLAGS[key] = flags
    return flags
