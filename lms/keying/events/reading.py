"""Reading a keystroke log defensively: the event schema and what a key event is.

The log comes from a browser the learner controls, so anything malformed
(not a dict, unknown type, wrong value types) is skipped and never raises.
The list order is the order things happened; `t` (client ms) is used for
timing statistics only, never to reorder events or decide a final value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Event = Mapping[str, Any]
Values = dict[str, dict[str, str]]

EVENT_TYPES = frozenset({"key", "input", "paste", "drop", "blur", "focus"})

# Keys that produce or remove a character or end a field: what K_raw counts.
EDITING_KEYS = frozenset({"Backspace", "Delete", "Enter", "Tab"})
DIGIT_KEYS = frozenset("0123456789")

MAX_TIME_MS = 1e12


class EventLog(list):
    """Events already checked by `checked()`: the well-formed dicts, in order.

    Scoring reads the log several times; checking it once and passing this
    list on keeps the later passes from checking every event again. Nobody
    changes it afterwards, so what one walk over it found can be kept on it.
    """

    scanned: Any = None  # lms.keying.events.scan.Scan, once scanned


def checked(events: Any) -> EventLog:
    """The well-formed events in order; anything that is not one is skipped."""
    if isinstance(events, EventLog):
        return events
    if not isinstance(events, list | tuple):
        return EventLog()
    return EventLog(
        [
            event
            for event in events
            if isinstance(event, dict)
            and isinstance(kind := event.get("type"), str)
            and kind in EVENT_TYPES
        ]
    )


def iter_events(events: Any) -> Iterator[Event]:
    """Yield the well-formed events in order; skip anything that is not one."""
    return iter(checked(events))


def name_text(value: Any) -> str:
    """An item or field name as text: ids may arrive as numbers from scripts."""
    if value.__class__ is str or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def time_ms(event: Event) -> float | None:
    """The event's client time in ms, or None when it is missing or absurd.

    Anything beyond MAX_TIME_MS (about 31 years) is not a time an attempt can
    have; refusing it keeps the interval statistics finite.
    """
    t = event.get("t")
    if t.__class__ is int:  # the usual cases from JSON skip the type checks
        return float(t) if -MAX_TIME_MS <= t <= MAX_TIME_MS else None
    if t.__class__ is not float:
        if isinstance(t, bool) or not isinstance(t, int | float):
            return None
        try:
            t = float(t)
        except OverflowError:
            return None
    return t if -MAX_TIME_MS <= t <= MAX_TIME_MS else None


def dicts(value: Any) -> list[Mapping[str, Any]]:
    """The dict members of a list (snapshot content may hold junk; skip it)."""
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def int_or(value: Any, default: int) -> int:
    """An int field of an event, or `default` when it is missing or not an int."""
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


# What the numeric keypad sends instead of digits while Num Lock is off.
NUMLOCK_OFF_KEYS = frozenset(
    {
        "End",
        "ArrowDown",
        "PageDown",
        "ArrowLeft",
        "Clear",
        "ArrowRight",
        "Home",
        "ArrowUp",
        "PageUp",
        "Insert",
        "Delete",
    }
)
KEYPAD_LOCATION = 3  # KeyboardEvent.DOM_KEY_LOCATION_NUMPAD


def is_keypad(event: Event) -> bool:
    """A key of the numeric keypad (by its code, or its location)."""
    code = event.get("code")
    location = event.get("location")
    return (isinstance(code, str) and code.startswith("Numpad")) or (
        location.__class__ is int and location == KEYPAD_LOCATION
    )


def is_numlock_off_key(event: Event) -> bool:
    """A keypad key that sent navigation instead of a digit (Num Lock was off)."""
    key = event.get("key")
    return (
        event.get("type") == "key"
        and isinstance(key, str)
        and key in NUMLOCK_OFF_KEYS
        and is_keypad(event)
    )


def types_character(event: Event) -> bool:
    """A keydown that types a character: a one-character key, or Enter (a new
    line in a passage)."""
    key = event.get("key")
    return isinstance(key, str) and (len(key) == 1 or key == "Enter")
