"""Integrity flags for a trainer to review: paste, focus loss, timing, replay.

Each flag is {"code", "message", "evidence"}; none invalidates anything by
itself (scoring decides validity). Evidence lists are capped so a flood of
events cannot bloat a result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from lms.keying.events.analytics import coefficient_of_variation
from lms.keying.events.keys import (
    auto_repeats,
    keyless_count,
    keyless_text,
    numlock_off_keys,
)
from lms.keying.events.reading import (
    Event,
    checked,
    dicts,
    name_text,
    time_ms,
)
from lms.keying.events.replaying import replay
from lms.keying.events.scan import scan

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
# Evidence lists are capped so a flood of events cannot bloat a result.
EVIDENCE_LIMIT = 20
# Key-less text shown as evidence is cut to this many characters per input.
ARRIVED_LIMIT = 60
# Held-key characters from this many on are worth a trainer's look (holding
# Backspace to clear a box is not counted: it types nothing).
AUTO_REPEAT_FLAG_AT = 10
# Kinds whose answers are typed into text inputs.
TYPED_KINDS = ("record_entry", "ten_key", "transcription")


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
        names = [name_text(f.get("name")) for f in dicts(snapshot.get("fields"))]
        for record in dicts(snapshot.get("records")):
            rid = name_text(record.get("id"))
            typed = responses.get(rid)
            typed = typed if isinstance(typed, Mapping) else {}
            for name in names:
                yield rid, name, _text(typed.get(name))
    elif kind in ("ten_key", "transcription"):
        key = "entries" if kind == "ten_key" else "passages"
        for item in dicts(snapshot.get(key)):
            iid = name_text(item.get("id"))
            yield iid, "", _text(responses.get(iid))


def _paste_flag(events: list[Event]) -> dict[str, Any] | None:
    pastes = scan(events).pastes
    if not pastes:
        return None
    return _flag(
        "paste_attempt",
        f"{len(pastes)} paste or drop attempt(s) in test inputs (blocked).",
        {
            "count": len(pastes),
            "t": [time_ms(e) for e in pastes[:EVIDENCE_LIMIT]],
            "inputs": [
                [name_text(e.get("item")), name_text(e.get("field"))]
                for e in pastes[:EVIDENCE_LIMIT]
            ],
        },
    )


def _focus_flag(events: list[Event]) -> dict[str, Any] | None:
    losses = scan(events).window_blurs
    if not losses:
        return None
    return _flag(
        "focus_loss",
        f"The test window lost focus {len(losses)} time(s).",
        {"count": len(losses), "t": [time_ms(e) for e in losses[:EVIDENCE_LIMIT]]},
    )


def timing_stats(events: Any) -> dict[str, Any]:
    """Inter-key interval statistics used by the timing checks."""
    found = scan(events)
    intervals = found.intervals
    n = len(intervals)
    fast = sum(1 for i in intervals if i < FAST_INTERVAL_MS)
    return {
        "intervals": n,
        "fast_share": fast / n if n else 0.0,
        "median_ms": found.median_interval(),
        "cv": coefficient_of_variation(intervals),
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
    if not scan(events).has_input:
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


def _keyless_flag(events: list[Event]) -> dict[str, Any] | None:
    found = keyless_text(events)
    if not found:
        return None
    count = keyless_count(found)
    return _flag(
        "keyless_input",
        f"{count} character(s) arrived without a key pressed for them: whole "
        "values inserted at once, or text with no keystrokes behind it.",
        {
            "count": count,
            "inputs": [
                {
                    "item": text.item,
                    "field": text.field,
                    "arrived": text.arrived[:ARRIVED_LIMIT],
                    "t": text.t,
                }
                for text in found[:EVIDENCE_LIMIT]
            ],
        },
    )


def _auto_repeat_flag(events: list[Event]) -> dict[str, Any] | None:
    held = auto_repeats(events)
    if len(held) < AUTO_REPEAT_FLAG_AT:
        return None
    inputs: list[list[str]] = []
    for event in held:
        name = [name_text(event.get("item")), name_text(event.get("field"))]
        if name not in inputs and len(inputs) < EVIDENCE_LIMIT:
            inputs.append(name)
    keys = Counter(event["key"] for event in held)
    return _flag(
        "auto_repeat",
        f"{len(held)} character(s) came from holding a key down (auto-repeat); "
        "held keys add nothing to speed.",
        {
            "count": len(held),
            "keys": dict(keys.most_common(EVIDENCE_LIMIT)),
            "inputs": inputs,
        },
    )


def _numlock_flag(events: list[Event]) -> dict[str, Any] | None:
    keys = numlock_off_keys(events)
    if not keys:
        return None
    count = sum(keys.values())
    return _flag(
        "numlock_off",
        f"Num Lock was off: the numeric keypad sent {count} navigation key(s) "
        f"({', '.join(keys)}) instead of digits; each counts as a wrong "
        "keystroke. Turn Num Lock on before keying.",
        {"count": count, "keys": dict(keys)},
    )


def integrity_flags(
    snapshot: Mapping[str, Any],
    responses: Any,
    events: Any,
    *,
    timing: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Flags for a trainer to review: paste_attempt, focus_loss,
    implausible_timing, replay_mismatch, keyless_input and auto_repeat (typed
    kinds), numlock_off (10-key). Each is {"code", "message", "evidence"};
    scoring decides what they mean for validity (replay_mismatch and
    keyless_input leave the speed unverified). `timing` is
    `timing_stats(events)` when the caller already has it."""
    if not isinstance(snapshot, Mapping):
        snapshot = {}
    log = checked(events)
    kind = snapshot.get("kind")
    typed = kind in TYPED_KINDS
    candidates = (
        _paste_flag(log),
        _focus_flag(log),
        _timing_flag(timing if timing is not None else timing_stats(log)),
        _replay_flag(snapshot, responses, log),
        _keyless_flag(log) if typed else None,
        _auto_repeat_flag(log) if typed else None,
        _numlock_flag(log) if kind == "ten_key" else None,
    )
    return [flag for flag in candidates if flag is not None]
