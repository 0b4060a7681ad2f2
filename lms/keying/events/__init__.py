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

The package, along its seams:

* `reading`: the schema, checking a log once, what a key event is;
* `scan`: one walk over a checked log, kept on it, that the readers below
  take their figures from (key timing, the replay, key-less text, counts);
* `replaying`: input values rebuilt from the log, the cut at the deadline;
* `accuracy`: keystroke (process) accuracy;
* `keys`: what the key events show beside the text (key-less input, held
  keys, Num Lock off);
* `analytics`: derived metrics kept after the raw log expires;
* `integrity`: flags for a trainer to review.

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

from lms.keying.events.accuracy import _PassageJudge, keystroke_accuracy
from lms.keying.events.analytics import PAUSE_MS, kogasa, numpad_pct, reduce_events
from lms.keying.events.integrity import (
    AUTO_REPEAT_FLAG_AT,
    EVIDENCE_LIMIT,
    FAST_INTERVAL_MS,
    MIN_INTERVAL_CV,
    MIN_INTERVALS_FOR_REGULARITY,
    MIN_INTERVALS_FOR_TIMING,
    MIN_MEDIAN_INTERVAL_MS,
    TYPED_KINDS,
    integrity_flags,
    timing_is_implausible,
    timing_stats,
)
from lms.keying.events.keys import (
    NUMLOCK_OFF_KEYS,
    KeylessText,
    auto_repeats,
    is_numlock_off_key,
    keyless_count,
    keyless_text,
    numlock_off_keys,
)
from lms.keying.events.reading import (
    DIGIT_KEYS,
    EDITING_KEYS,
    EVENT_TYPES,
    Event,
    EventLog,
    Values,
    checked,
    is_counted_key,
    iter_events,
)
from lms.keying.events.replaying import apply_input, ignore_after, replay
from lms.keying.events.scan import Scan, key_intervals, scan

__all__ = [
    "AUTO_REPEAT_FLAG_AT",
    "NUMLOCK_OFF_KEYS",
    "TYPED_KINDS",
    "KeylessText",
    "auto_repeats",
    "is_numlock_off_key",
    "keyless_count",
    "keyless_text",
    "numlock_off_keys",
    "DIGIT_KEYS",
    "EDITING_KEYS",
    "EVENT_TYPES",
    "EVIDENCE_LIMIT",
    "FAST_INTERVAL_MS",
    "MIN_INTERVALS_FOR_REGULARITY",
    "MIN_INTERVALS_FOR_TIMING",
    "MIN_INTERVAL_CV",
    "MIN_MEDIAN_INTERVAL_MS",
    "PAUSE_MS",
    "Event",
    "EventLog",
    "Values",
    "_PassageJudge",
    "apply_input",
    "checked",
    "ignore_after",
    "integrity_flags",
    "is_counted_key",
    "iter_events",
    "key_intervals",
    "keystroke_accuracy",
    "kogasa",
    "numpad_pct",
    "reduce_events",
    "replay",
    "Scan",
    "scan",
    "timing_is_implausible",
    "timing_stats",
]
