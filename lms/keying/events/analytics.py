"""Derived metrics kept after the raw keystroke log expires (anchors §6.2).

Keystroke timing is a behavioural biometric: raw logs are kept for a limited
window, these numbers for good.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

from lms.keying.events.reading import (
    DIGIT_KEYS,
    Event,
    checked,
    is_counted_key,
    key_intervals,
    name_text,
)

# Intervals longer than this are pauses (reading the source, thinking), not
# typing rhythm; they are left out of the consistency figure.
PAUSE_MS = 2000.0


def kogasa(cv: float) -> float:
    """Monkeytype's consistency score: 100 for perfectly even, towards 0 for erratic."""
    return 100.0 * (1.0 - math.tanh(cv + cv**3 / 3 + cv**5 / 5))


def mean_of(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def coefficient_of_variation(values: list[float]) -> float | None:
    """Population standard deviation / mean, in floats (statistics.pstdev
    works in exact fractions and is far slower on a long log)."""
    if len(values) < 2:
        return None
    mean = mean_of(values)
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
        elif kind == "blur" and name_text(event.get("item")) == "":
            focus_losses += 1
    intervals = key_intervals(events)
    typing = [i for i in intervals if i <= PAUSE_MS]
    cv = coefficient_of_variation(typing)
    return {
        "K_raw": counted if key_count else None,
        "backspaces": backspaces,
        "inserts": inserted,
        "paste_attempts": pastes,
        "focus_losses": focus_losses,
        "numpad_pct": 100.0 * numpad / digits if digits else None,
        "iki_mean_ms": mean_of(intervals) if intervals else None,
        "iki_median_ms": statistics.median(intervals) if intervals else None,
        "consistency": kogasa(cv) if cv is not None else None,
    }
