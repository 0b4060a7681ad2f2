"""Keystroke events of a keying attempt: schema, replay, integrity flags, analytics.

Pure functions, no Flask and no database. The browser records what happens in
the test's inputs and sends it in chunks with each autosave; the attempt
engine stores the chunks, cuts them at the deadline (`ignore_after`), keeps
the derived numbers for good (`reduce_events`) and lets the raw log expire.
Scoring (`lms.keying.scoring`) reads K_raw, keystroke accuracy and numpad use
from here; trainers see `integrity_flags`.

One event is a dict (docs/keying.md has the full table)::

    {"t": 1234,            # ms since attempt start, client clock: analytics only
     "item": "r1",         # record / entry / passage id; "" = the page itself
     "field": "amount",    # field name in a record, "" for entries and passages
     "type": "key",        # key | input | paste | drop | blur | focus
     "key": "7", "code": "Numpad7",     # type "key": KeyboardEvent.key / .code
     "op": "insert", "pos": 3,          # type "input": insert | delete at pos
     "data": "7", "len": 1}             # inserted text / number of deleted chars

Rules that make the log safe to read:

* The list order is the order things happened. `t` comes from a clock the
  learner controls, so it is used for timing statistics only, never to
  reorder events or decide what the final value is.
* Anything malformed (not a dict, unknown type, wrong value types) is skipped
  and never raises: a tampered or buggy client must not break scoring.
* A selection replaced by typing is sent as a delete followed by an insert.
* Paste and drop are blocked in the browser; the events record the attempt
  and change nothing, so a value that really was pasted shows up as a replay
  mismatch.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

Event = Mapping[str, Any]
Values = dict[str, dict[str, str]]

EVENT_TYPES = frozenset({"key", "input", "paste", "drop", "blur", "focus"})

# Keys that produce or remove a character or end a field: what K_raw counts.
EDITING_KEYS = frozenset({"Backspace", "Delete", "Enter", "Tab"})
DIGIT_KEYS = frozenset("0123456789")

# Intervals longer than this are pauses (reading the source, thinking), not
# typing rhythm; they are left out of the consistency figure.
PAUSE_MS = 2000.0
# Humans do not sustain key-to-key intervals this short (key rollover gives a
# few); most intervals below it means the keys were generated.
FAST_INTERVAL_MS = 15.0
# keybr's "too fast" bound: a median above 25 keys a second (300 WPM).
MIN_MEDIAN_INTERVAL_MS = 40.0
# Machine-like regularity: spread of intervals under 5 % of their mean.
MIN_INTERVAL_CV = 0.05
# Timing checks need enough intervals to mean anything.
MIN_INTERVALS_FOR_TIMING = 10
MIN_INTERVALS_FOR_REGULARITY = 20
MAX_TIME_MS = 1e12
# Evidence lists are capped so a flood of events cannot bloat a result.
EVIDENCE_LIMIT = 20


# --------------------------------------------------------------------------
# Reading events defensively
# --------------------------------------------------------------------------


class EventLog(list):
    """Events already checked by `checked()`: the well-formed dicts, in order.

    Scoring reads the log several times; checking it once and passing this
    list on keeps the later passes from checking every event again.
    """

    intervals: list[float] | None = None  # cached by key_intervals()


def checked(events: Any) -> EventLog:
    """The well-formed events in order; anything that is not one is skipped."""
    if isinstance(events, EventLog):
        return events
    if not isinstance(events, list | tuple):
        return EventLog()
    return EventLog(
        event
        for event in events
        if isinstance(event, dict)
        and isinstance(kind := event.get("type"), str)
        and kind in EVENT_TYPES
    )


def iter_events(events: Any) -> Iterator[Event]:
    """Yield the well-formed events in order; skip anything that is not one."""
    return iter(checked(events))


def _name(value: Any) -> str:
    """An item or field name as text: ids may arrive as numbers from scripts."""
    if value.__class__ is str or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _time_ms(event: Event) -> float | None:
    """The event's client time in ms, or None when it is missing or absurd.

    Anything beyond MAX_TIME_MS (about 31 years) is not a time an attempt can
    have; refusing it keeps the interval statistics finite.
    """
    t = event.get("t")
    if t.__class__ is not float:  # the usual case from JSON skips the checks
        if isinstance(t, bool) or not isinstance(t, int | float):
            return None
        try:
            t = float(t)
        except OverflowError:
            return None
    return t if -MAX_TIME_MS <= t <= MAX_TIME_MS else None


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def _int(value: Any, default: int) -> int:
    if value.__class__ is int:  # the usual case; bool is a subclass, not int itself
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return value


def is_counted_key(event: Event) -> bool:
    """True for a key event that types or edits a character (K_raw counts it).

    Modifier and navigation keys (Shift, ArrowLeft, ...) are not keystrokes
    of the work; a single-character `key` or Backspace/Delete/Enter/Tab is.
    """
    key = event.get("key")
    if isinstance(key, str):
        return len(key) == 1 or key in EDITING_KEYS
    code = event.get("code")
    return isinstance(code, str) and code.startswith(("Digit", "Numpad", "Key"))


def _key_times(events: Any) -> list[float]:
    return [
        t
        for event in checked(events)
        if event["type"] == "key"
        and is_counted_key(event)
        and (t := _time_ms(event)) is not None
    ]


def key_intervals(events: Any) -> list[float]:
    """Inter-key intervals (ms) between consecutive counted key events.

    Pairs whose client times go backwards are skipped rather than trusted.
    Kept on the checked log, which is never changed, so scoring's several
    readers compute them once.
    """
    log = checked(events)
    intervals = getattr(log, "intervals", None)
    if intervals is None:
        times = _key_times(log)
        intervals = [b - a for a, b in zip(times, times[1:], strict=False) if b >= a]
        log.intervals = intervals
    return intervals


# --------------------------------------------------------------------------
# Replay
# --------------------------------------------------------------------------


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
        pos = min(max(_int(event.get("pos"), len(value)), 0), len(value))
        return value[:pos] + data + value[pos:]
    if op == "delete":
        count = max(_int(event.get("len"), 1), 0)
        pos = min(max(_int(event.get("pos"), len(value) - count), 0), len(value))
        return value[:pos] + value[pos + count :]
    return value


def replay(events: Any) -> Values:
    """Rebuild every input's final value from the input events: {item: {field: value}}."""
    values: Values = {}
    for event in checked(events):
        if event["type"] != "input":
            continue
        fields = values.setdefault(_name(event.get("item")), {})
        field = _name(event.get("field"))
        fields[field] = apply_input(fields.get(field, ""), event)
    return values


def ignore_after(events: Any, deadline_ms: float) -> list[dict[str, Any]]:
    """The events up to the deadline (client ms since start), in order.

    Events without a usable `t` are dropped as well: nothing shows they were
    made in time. The server separately refuses chunks that claim more time
    than it has seen, so a slowed client clock gains at most the grace period.
    """
    return [
        dict(event)
        for event in checked(events)
        if (t := _time_ms(event)) is not None and t <= deadline_ms
    ]


# --------------------------------------------------------------------------
# Keystroke (process) accuracy
# --------------------------------------------------------------------------


def _word_position(text: str) -> tuple[int, int]:
    """(word index, character index in that word) of a caret after `text`."""
    words = text.split()
    if not words or text[-1].isspace():
        return len(words), 0
    return len(words) - 1, len(words[-1])


def _insert_outcomes(
    value: str, pos: int, data: str, expected: str, by_word: bool
) -> tuple[int, int]:
    """(correct, total) characters of one insert, judged against `expected`.

    Positional: the character must equal the expected one at its position.
    By word (transcription): the position is counted within the current word,
    so one missed character early in a passage does not make every later
    keystroke wrong; a space is right when it ends a complete word.
    """
    correct = 0
    if not by_word:
        for offset, char in enumerate(data):
            p = pos + offset
            correct += p < len(expected) and expected[p] == char
        return correct, len(data)
    expected_words = expected.split()
    word, index = _word_position(value[:pos])
    for char in data:
        if char.isspace():
            if index > 0:
                correct += word < len(expected_words) and index == len(
                    expected_words[word]
                )
                word, index = word + 1, 0
            # A second space in a row adds nothing and is not counted wrong.
            else:
                correct += 1
        else:
            target = expected_words[word] if word < len(expected_words) else ""
            correct += index < len(target) and target[index] == char
            index += 1
    return correct, len(data)


def keystroke_accuracy(
    events: Any,
    expected: Mapping[str, Mapping[str, str]],
    *,
    by_word_items: Iterable[str] = (),
) -> float | None:
    """Correct inserted characters / all inserted characters (Monkeytype `acc`).

    `expected` maps item → field → expected text; inserts into inputs that
    are not in it are ignored. Corrected mistakes still count against this
    figure: it measures the process, not the outcome. None when there were
    no inserts to judge.
    """
    by_word = set(by_word_items)
    values: Values = {}
    correct = total = 0
    for event in checked(events):
        if event["type"] != "input":
            continue
        item, field = _name(event.get("item")), _name(event.get("field"))
        fields = values.setdefault(item, {})
        value = fields.get(field, "")
        data = event.get("data")
        target = expected.get(item, {}).get(field)
        if event.get("op") == "insert" and isinstance(data, str) and target is not None:
            pos = min(max(_int(event.get("pos"), len(value)), 0), len(value))
            ok, n = _insert_outcomes(value, pos, data, target, item in by_word)
            correct += ok
            total += n
        fields[field] = apply_input(value, event)
    return correct / total if total else None


# --------------------------------------------------------------------------
# Derived metrics kept after the raw log expires
# --------------------------------------------------------------------------


def kogasa(cv: float) -> float:
    """Monkeytype's consistency score: 100 for perfectly even, towards 0 for erratic."""
    return 100.0 * (1.0 - math.tanh(cv + cv**3 / 3 + cv**5 / 5))


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def _coefficient_of_variation(values: list[float]) -> float | None:
    """Population standard deviation / mean, in floats (statistics.pstdev
    works in exact fractions and is far slower on a long log)."""
    if len(values) < 2:
        return None
    mean = _mean(values)
    if mean <= 0:
        return None
    variance = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return math.sqrt(variance) / mean


def _is_numpad(event: Event) -> bool:
    code = event.get("code")
    return isinstance(code, str) and code.startswith("Numpad")


def numpad_pct(events: Any) -> float | None:
    """Percent (0–100) of digit keystrokes made on the numeric keypad; None if none."""
    digits = numpad = 0
    for event in checked(events):
        key = event.get("key")
        if event["type"] == "key" and isinstance(key, str) and key in DIGIT_KEYS:
            digits += 1
            numpad += _is_numpad(event)
    return 100.0 * numpad / digits if digits else None


def reduce_events(events: Any) -> dict[str, Any]:
    """Numbers worth keeping after the raw log is deleted (anchors §6.2).

    K_raw: counted key events (None without key events); backspaces: delete
    inputs (Backspace, Delete, cut); inserts: characters inserted;
    numpad_pct: 0–100; iki_*: inter-key intervals in ms; consistency: kogasa
    of the intervals' coefficient of variation, pauses over 2 s left out.
    """
    key_count = counted = digits = numpad = 0
    backspaces = inserted = pastes = focus_losses = 0
    for event in checked(events):
        kind = event["type"]
        if kind == "key":
            key_count += 1
            counted += is_counted_key(event)
            key = event.get("key")
            if isinstance(key, str) and key in DIGIT_KEYS:
                digits += 1
                numpad += _is_numpad(event)
        elif kind == "input":
            if event.get("op") == "delete":
                backspaces += 1
            elif event.get("op") == "insert" and isinstance(event.get("data"), str):
                inserted += len(event["data"])
        elif kind in ("paste", "drop"):
            pastes += 1
        elif kind == "blur" and _name(event.get("item")) == "":
            focus_losses += 1
    intervals = key_intervals(events)
    typing = [i for i in intervals if i <= PAUSE_MS]
    cv = _coefficient_of_variation(typing)
    return {
        "K_raw": counted if key_count else None,
        "backspaces": backspaces,
        "inserts": inserted,
        "paste_attempts": pastes,
        "focus_losses": focus_losses,
        "numpad_pct": 100.0 * numpad / digits if digits else None,
        "iki_mean_ms": _mean(intervals) if intervals else None,
        "iki_median_ms": statistics.median(intervals) if intervals else None,
        "consistency": kogasa(cv) if cv is not None else None,
    }


# --------------------------------------------------------------------------
# Integrity flags
# --------------------------------------------------------------------------


def _flag(code: str, message: str, evidence: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "message": message, "evidence": evidence}


def _text(value: Any) -> str:
    """A submitted value as compared with the replay: line endings unified, trimmed.

    Surrounding whitespace is not graded, so a difference there is no evidence
    of anything.
    """
    if not isinstance(value, str):
        return ""
    return value.replace("\r\n", "\n").strip()


def _typed_inputs(
    snapshot: Mapping[str, Any], responses: Any
) -> Iterator[tuple[str, str, str]]:
    """(item, field, submitted value) for every input of the snapshot's form."""
    if not isinstance(responses, Mapping):
        responses = {}
    kind = snapshot.get("kind")
    if kind == "record_entry":
        names = [_name(f.get("name")) for f in _dicts(snapshot.get("fields"))]
        for record in _dicts(snapshot.get("records")):
            rid = _name(record.get("id"))
            typed = responses.get(rid)
            typed = typed if isinstance(typed, Mapping) else {}
            for name in names:
                yield rid, name, _text(typed.get(name))
    elif kind in ("ten_key", "transcription"):
        key = "entries" if kind == "ten_key" else "passages"
        for item in _dicts(snapshot.get(key)):
            iid = _name(item.get("id"))
            yield iid, "", _text(responses.get(iid))


def _paste_flag(events: list[Event]) -> dict[str, Any] | None:
    pastes = [e for e in events if e["type"] in ("paste", "drop")]
    if not pastes:
        return None
    return _flag(
        "paste_attempt",
        f"{len(pastes)} paste or drop attempt(s) in test inputs (blocked).",
        {
            "count": len(pastes),
            "t": [_time_ms(e) for e in pastes[:EVIDENCE_LIMIT]],
            "inputs": [
                [_name(e.get("item")), _name(e.get("field"))]
                for e in pastes[:EVIDENCE_LIMIT]
            ],
        },
    )


def _focus_flag(events: list[Event]) -> dict[str, Any] | None:
    losses = [e for e in events if e["type"] == "blur" and _name(e.get("item")) == ""]
    if not losses:
        return None
    return _flag(
        "focus_loss",
        f"The test window lost focus {len(losses)} time(s).",
        {"count": len(losses), "t": [_time_ms(e) for e in losses[:EVIDENCE_LIMIT]]},
    )


def timing_stats(events: Any) -> dict[str, Any]:
    """Inter-key interval statistics used by the timing checks."""
    intervals = key_intervals(events)
    n = len(intervals)
    fast = sum(1 for i in intervals if i < FAST_INTERVAL_MS)
    return {
        "intervals": n,
        "fast_share": fast / n if n else 0.0,
        "median_ms": statistics.median(intervals) if n else None,
        "cv": _coefficient_of_variation(intervals),
    }


def timing_is_implausible(stats: Mapping[str, Any]) -> bool:
    """Hard rule: most inter-key intervals under 15 ms is not human typing."""
    return stats["intervals"] >= MIN_INTERVALS_FOR_TIMING and stats["fast_share"] > 0.5


def _timing_reasons(stats: Mapping[str, Any]) -> list[str]:
    reasons = []
    if stats["intervals"] < MIN_INTERVALS_FOR_TIMING:
        return reasons
    if timing_is_implausible(stats):
        reasons.append(
            f"{stats['fast_share']:.0%} of key intervals are under "
            f"{FAST_INTERVAL_MS:.0f} ms"
        )
    if stats["median_ms"] is not None and stats["median_ms"] < MIN_MEDIAN_INTERVAL_MS:
        reasons.append(
            f"median key interval {stats['median_ms']:.0f} ms is under "
            f"{MIN_MEDIAN_INTERVAL_MS:.0f} ms"
        )
    cv = stats["cv"]
    if (
        cv is not None
        and stats["intervals"] >= MIN_INTERVALS_FOR_REGULARITY
        and cv < MIN_INTERVAL_CV
    ):
        reasons.append(f"key intervals are machine-regular (CV {cv:.3f})")
    return reasons


def _timing_flag(stats: Mapping[str, Any]) -> dict[str, Any] | None:
    reasons = _timing_reasons(stats)
    if not reasons:
        return None
    return _flag(
        "implausible_timing",
        "Keystroke timing does not look like human typing: " + "; ".join(reasons) + ".",
        dict(stats),
    )


def _replay_flag(
    snapshot: Mapping[str, Any], responses: Any, events: list[Event]
) -> dict[str, Any] | None:
    # Without input events there is nothing to replay (events are optional).
    if not any(e["type"] == "input" for e in events):
        return None
    replayed = replay(events)
    mismatches = []
    for item, field, submitted in _typed_inputs(snapshot, responses):
        rebuilt = _text(replayed.get(item, {}).get(field, ""))
        if rebuilt != submitted:
            mismatches.append(
                {
                    "item": item,
                    "field": field,
                    "replayed": rebuilt,
                    "submitted": submitted,
                }
            )
    if not mismatches:
        return None
    return _flag(
        "replay_mismatch",
        f"{len(mismatches)} submitted value(s) differ from what the keystrokes typed.",
        {"count": len(mismatches), "inputs": mismatches[:EVIDENCE_LIMIT]},
    )


def integrity_flags(
    snapshot: Mapping[str, Any],
    responses: Any,
    events: Any,
    *,
    timing: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Flags for a trainer to review: paste_attempt, focus_loss, implausible_timing,
    replay_mismatch. Each is {"code", "message", "evidence"}; none invalidates
    anything by itself. `timing` is `timing_stats(events)` when the caller
    already has it."""
    if not isinstance(snapshot, Mapping):
        snapshot = {}
    log = checked(events)
    candidates = (
        _paste_flag(log),
        _focus_flag(log),
        _timing_flag(timing if timing is not None else timing_stats(log)),
        _replay_flag(snapshot, responses, log),
    )
    return [flag for flag in candidates if flag is not None]
