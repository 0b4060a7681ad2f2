"""Reading an attempt's snapshot and responses defensively.

The snapshot is content the engine froze at start and the responses are
whatever a browser or script saved, so every reader here accepts anything
and turns what is not of the expected shape into "blank" or "nothing":
scoring never raises on learner input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def answer_text(value: Any) -> str:
    """A learner's answer: only strings count, trimmed; anything else is blank."""
    return value.strip() if isinstance(value, str) else ""


def expected_text(value: Any) -> str:
    """An answer-key value; numbers from TOML/JSON content are read as their text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)
    return ""


def name_text(value: Any) -> str:
    """An id or name as text: content may give ids as numbers; anything else is ""."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def mapping(value: Any) -> Mapping[str, Any]:
    """The value if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def dicts(value: Any) -> list[Mapping[str, Any]]:
    """The dict members of a list (content lists may hold junk; skip it)."""
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def strings(value: Any) -> list[str]:
    """The non-empty string members of a list, trimmed."""
    if not isinstance(value, list | tuple | set | frozenset):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


def seconds_of(value: Any) -> float:
    """Elapsed seconds as a finite, non-negative float."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return 0.0
    try:
        seconds = float(value)
    except (ValueError, OverflowError):  # sNaN, or an int beyond float range
        return 0.0
    return seconds if math.isfinite(seconds) and seconds > 0 else 0.0


def ratio(part: float, whole: float) -> float:
    """part / whole clamped to [0, 1]; 0.0 over nothing."""
    if whole <= 0:
        return 0.0
    return min(max(part / whole, 0.0), 1.0)
