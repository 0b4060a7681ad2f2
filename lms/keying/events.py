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
import re
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

# Transcription: how many expected words past the aligned position a typed
# word may be matched to (a skipped line is about a dozen words), and how many
# typed words an unsettled stretch may hold before it is settled where it
# stands. Both only bound the work per word; ordinary typing never nears them.
MAX_SKIP_WORDS = 16
MAX_UNSETTLED_WORDS = 32
# Typed words in a row that must match the passage, on the best alignment,
# before the alignment up to them is taken as settled.
SETTLE_WORDS = 2

# The state after a typed word: (first typed word of the unsettled stretch,
# passage word aligned with its start, DP row over the passage words from
# there (None when settled), best position in the row, candidate positions
# for the next word in order of preference).
_State = tuple[int, int, list[int] | None, int, tuple[int, ...]]
_SETTLED_CANDIDATES = (0, 1)


# What the amount profile ignores (lms.keying.scoring.parse_amount).
_SEPARATORS = re.compile(r"[\s,]")


def _is_separator(char: str) -> bool:
    """A character the amount profile ignores: a comma or any whitespace."""
    return char == "," or char.isspace()


class _PositionalJudge:
    """Each inserted character against the expected character at its position."""

    __slots__ = ("expected",)

    def __init__(self, expected: str) -> None:
        self.expected = expected

    def judge(self, value: str, pos: int, data: str) -> int:
        expected = self.expected
        size = len(expected)
        correct = 0
        for offset, char in enumerate(data, start=pos):
            correct += offset < size and expected[offset] == char
        return correct


class _AmountJudge:
    """An amount field: positions counted with separators left out on both sides.

    `125000.00` typed for `125,000.00` lines up digit for digit, as the amount
    profile compares them. A separator typed is right where the expected value
    has one (any separator: `125 000` for `125,000` is fine), wrong elsewhere.
    """

    __slots__ = ("digits", "separated")

    def __init__(self, expected: str) -> None:
        digits: list[str] = []
        separated = set()
        for char in expected:
            if _is_separator(char):
                separated.add(len(digits))
            else:
                digits.append(char)
        self.digits = "".join(digits)
        self.separated = frozenset(separated)

    def judge(self, value: str, pos: int, data: str) -> int:
        index = len(_SEPARATORS.sub("", value[:pos]))
        digits, size = self.digits, len(self.digits)
        correct = 0
        for char in data:
            if _is_separator(char):
                correct += index in self.separated
            else:
                correct += index < size and digits[index] == char
                index += 1
        return correct


class _PassageJudge:
    """Inserts into one transcription passage, judged against aligned words.

    The typed words before the caret are aligned with the passage words
    (optimal alignment of the typed words with a *start* of the passage:
    substituting, skipping or adding a word costs 1, so the unreached rest of
    the passage costs nothing). A character is judged against the passage
    word the word being typed lines up with: the next word on the best
    alignment, or another word just as cheap to reach (the word after one
    skipped word, or the word an extra typed word was set against) when what
    is typed of the current word so far is its start. Inside that word the position counts, as in
    Monkeytype. A space is right when the word it ends has its passage word's
    length; whitespace after whitespace adds nothing and is not counted wrong.

    Work is incremental: a word is aligned once, when it is completed, and a
    word matching the next passage word costs one comparison. After an error
    a small dynamic-programming row (at most MAX_SKIP_WORDS +
    MAX_UNSETTLED_WORDS + 1 cells) is kept per typed word until SETTLE_WORDS
    words in a row match again. Edits before the caret's word drop the words
    they touch, which are aligned again when retyped.
    """

    __slots__ = ("words", "size", "base", "typed", "bounds", "states")

    def __init__(self, expected: str) -> None:
        self.words = expected.split()
        self.size = len(self.words)
        self.base = ""  # typed text before the current word
        self.typed: list[str] = []  # the completed typed words in `base`
        self.bounds: list[int] = []  # len(base) up to each word's first whitespace
        self.states: list[_State] = []  # the alignment after each typed word

    # -- judging ---------------------------------------------------------

    def judge(self, value: str, pos: int, data: str) -> int:
        prefix = value[:pos]
        self._sync(prefix)
        word = prefix[len(self.base) :]
        correct = 0
        for char in data:
            if char.isspace():
                if word:
                    correct += len(self._target(word, complete=True)) == len(word)
                    self._push(word, len(self.base) + len(word) + 1)
                    self.base += word
                    word = ""
                else:
                    correct += 1
                self.base += char
            else:
                index = len(word)
                word += char
                target = self._target(word)
                correct += index < len(target) and target[index] == char
        return correct

    def _state(self) -> _State:
        return self.states[-1] if self.states else (0, 0, None, 0, _SETTLED_CANDIDATES)

    def _target(self, word: str, *, complete: bool = False) -> str:
        """The passage word `word` (as typed so far) lines up with; "" past the end."""
        _, start, _, best, candidates = self._state()
        words, size = self.words, self.size
        if complete:
            for offset in candidates:
                index = start + offset
                if index < size and words[index] == word:
                    return word
        for offset in candidates:
            index = start + offset
            if index < size and words[index].startswith(word):
                return words[index]
        index = start + best
        return words[index] if index < size else ""

    # -- keeping the typed words in step with the text -------------------

    def _sync(self, prefix: str) -> None:
        """Make `typed` the completed words of `prefix` (the text before the caret)."""
        if not prefix.startswith(self.base):
            keep = len(self.typed)
            while keep and not prefix.startswith(self.base[: self.bounds[keep - 1]]):
                keep -= 1
            base = self.base[: self.bounds[keep - 1]] if keep else ""
            del self.typed[keep:], self.bounds[keep:], self.states[keep:]
            self.base = base
        rest = prefix[len(self.base) :]
        parts = rest.split()
        if not rest or (len(parts) == 1 and len(parts[0]) == len(rest)):
            return  # the common case: no whitespace after `base`
        if not parts:
            self.base = prefix  # only whitespace: no word started yet
            return
        offset = len(self.base)
        done = parts if rest[-1].isspace() else parts[:-1]
        cursor = 0
        for word in done:
            cursor = rest.index(word, cursor) + len(word)
            self._push(word, offset + cursor + 1)
        self.base = prefix if rest[-1].isspace() else prefix[: -len(parts[-1])]

    def _push(self, word: str, bound: int) -> None:
        """Align one more completed typed word and record the state after it."""
        first, start, row, best, _ = self._state()
        count = len(self.typed)
        words, size = self.words, self.size
        self.typed.append(word)
        self.bounds.append(bound)
        if row is None and start < size and words[start] == word:
            state: _State = (count + 1, start + 1, None, 0, _SETTLED_CANDIDATES)
        else:
            state = self._align(word, count, first, start, row, best)
        self.states.append(state)

    def _align(
        self,
        word: str,
        count: int,
        first: int,
        start: int,
        prev: list[int] | None,
        prev_best: int,
    ) -> _State:
        """One DP row for `word`, best position, and whether the stretch settles.

        Row r holds, for each number t of passage words from `start`, the
        fewest word edits aligning the stretch's first r typed words with
        those t passage words. Ties prefer a word matched on the diagonal,
        then the position one on from the previous best (a substitution over
        an added or skipped word).
        """
        words = self.words
        rows = count + 1 - first
        width = min(self.size - start, rows + MAX_SKIP_WORDS) + 1
        above = prev if prev is not None else range(width)
        known = len(above)
        row = [above[0] + 1]
        left = row[0]
        for t in range(1, width):
            cost = left + 1
            if t < known and above[t] + 1 < cost:
                cost = above[t] + 1
            if t <= known:
                diagonal = above[t - 1] + (words[start + t - 1] != word)
                if diagonal < cost:
                    cost = diagonal
            row.append(cost)
            left = cost
        best, best_key = 0, None
        for t, cost in enumerate(row):
            matched = t > 0 and t <= known and cost == above[t - 1]
            matched = matched and words[start + t - 1] == word
            key = (cost, not matched, abs(t - prev_best - 1))
            if best_key is None or key < best_key:
                best, best_key = t, key
        if rows >= MAX_UNSETTLED_WORDS or self._settles(row, best, count, first, start):
            return (count + 1, start + best, None, 0, _SETTLED_CANDIDATES)
        least = row[best]
        candidates = sorted(
            (t for t, cost in enumerate(row) if cost <= least + 1),
            key=lambda t: (row[t], abs(t - best), t),
        )
        return (first, start, row, best, tuple(candidates))

    def _settles(
        self, row: list[int], best: int, count: int, first: int, start: int
    ) -> bool:
        """True when the last SETTLE_WORDS typed words match on the best alignment."""
        back = SETTLE_WORDS
        rows = count + 1 - first
        if rows < back or best < back:
            return False
        typed, words = self.typed, self.words
        for k in range(1, back + 1):
            if typed[count + 1 - k] != words[start + best - k]:
                return False
        if rows == back:
            earlier = best - back  # row 0: t passage words skipped cost t
        else:
            earlier_row = self.states[count - back][2]
            if earlier_row is None or best - back >= len(earlier_row):
                return False
            earlier = earlier_row[best - back]
        return row[best] == earlier


_UNSET = object()


def _judge_for(
    name: tuple[str, str],
    expected: Mapping[str, Mapping[str, str]],
    by_word: set[str],
    amounts: set[tuple[str, str]],
) -> Any:
    """The judge for one input's inserts, or None when it has no expected text."""
    item, field = name
    fields = expected.get(item)
    target = fields.get(field) if isinstance(fields, Mapping) else None
    if not isinstance(target, str):
        return None
    if item in by_word:
        return _PassageJudge(target)
    if name in amounts:
        return _AmountJudge(target)
    return _PositionalJudge(target)


def keystroke_accuracy(
    events: Any,
    expected: Mapping[str, Mapping[str, str]],
    *,
    by_word_items: Iterable[str] = (),
    amount_inputs: Iterable[tuple[str, str]] = (),
) -> float | None:
    """Correct inserted characters / all inserted characters (Monkeytype `acc`).

    `expected` maps item → field → expected text; inserts into inputs that
    are not in it are ignored. Each inserted character is judged when it is
    typed, against what the text before the caret lines up with:

    * by default, the expected character at the same position;
    * `amount_inputs` ((item, field) pairs): the same with commas and spaces
      left out of both sides (see `_AmountJudge`);
    * `by_word_items` (transcription passages): the expected character in the
      passage word the current word aligns with (see `_PassageJudge`), so a
      skipped, added or misspelt word does not shift every later keystroke.

    Corrected mistakes still count against this figure: it measures the
    process, not the outcome. None when there were no inserts to judge.
    """
    by_word = set(by_word_items)
    amounts = set(amount_inputs)
    values: dict[tuple[str, str], str] = {}
    judges: dict[tuple[str, str], Any] = {}
    correct = total = 0
    for event in checked(events):
        if event["type"] != "input":
            continue
        name = (_name(event.get("item")), _name(event.get("field")))
        value = values.get(name, "")
        data = event.get("data")
        if event.get("op") != "insert" or not isinstance(data, str):
            values[name] = apply_input(value, event)
            continue
        pos = min(max(_int(event.get("pos"), len(value)), 0), len(value))
        judge = judges.get(name, _UNSET)
        if judge is _UNSET:
            judge = judges[name] = _judge_for(name, expected, by_word, amounts)
        if judge is not None:
            correct += judge.judge(value, pos, data)
            total += len(data)
        values[name] = value[:pos] + data + value[pos:]
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
