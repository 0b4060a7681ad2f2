"""Derived metrics kept after the raw keystroke log expires (anchors §6.2).

Keystroke timing is a behavioural biometric: raw logs are kept for a limited
window, these numbers for good.
"""

from __future__ import annotations

import math
import operator
from typing import Any

from lms.keying.events.scan import scan

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
    deviations = [v - mean for v in values]
    variance = math.fsum(map(operator.mul, deviations, deviations)) / len(values)
    return math.sqrt(variance) / mean


def numpad_pct(events: Any) -> float | None:
    """Percent (0–100) of digit keystrokes made on the numeric keypad; None if none."""
    found = scan(events)
    return 100.0 * found.numpad_digits / found.digit_keys if found.digit_keys else None


def reduce_events(events: Any) -> dict[str, Any]:
    """Numbers worth keeping after the raw log is deleted (anchors §6.2).

    K_raw: counted key events (None without key events); backspaces: delete
    inputs (Backspace, Delete, cut); inserts: characters inserted;
    numpad_pct: 0–100; iki_*: inter-key intervals in ms; consistency: kogasa
    of the intervals' coefficient of variation, pauses over 2 s left out.
    """
    found = scan(events)
    intervals = found.intervals
    typing = [i for i in intervals if i <= PAUSE_MS]
    cv = coefficient_of_variation(typing)
    return {
        "K_raw": found.counted_keys if found.key_events else None,
        "backspaces": found.deletes,
        "inserts": found.inserted_chars,
        "paste_attempts": len(found.pastes),
        "focus_losses": len(found.window_blurs),
        "numpad_pct": numpad_pct(events),
        "iki_mean_ms": mean_of(intervals) if intervals else None,
        "iki_median_ms": found.median_interval(),
        "consistency": kogasa(cv) if cv is not None else None,
    }
