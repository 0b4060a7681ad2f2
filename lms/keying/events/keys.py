"""What the key events show beside the text: key-less input, held keys, Num Lock off.

The page logs a `key` event for every keydown in a test input before the
`input` event it causes, marks auto-repeat keydowns (a held key) with
`repeat: true`, and keeps keypad keys that type nothing (Num Lock off sends
End, ArrowDown, ... from the keypad, with a `Numpad*` code or location 3).

* Key-less input: every inserted character should follow a keydown in the
  same input that types a character. A whole value inserted at once, or
  characters with input events and no keys, did not come from the keyboard
  (a script, a form filler, a page without our capture).
* Held keys: auto-repeated character keydowns are not keystrokes a person
  made one by one; heavy use is evidence for a trainer.
* Num Lock off: in a 10-key test the keypad's navigation keys are keystrokes
  that typed nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

from lms.keying.events.reading import Event, checked, name_text, time_ms

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


def _is_keypad(event: Event) -> bool:
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
        and _is_keypad(event)
    )


def numlock_off_keys(events: Any) -> Counter[str]:
    """How often each navigation key came from the keypad: key name → count."""
    return Counter(e["key"] for e in checked(events) if is_numlock_off_key(e))


def types_character(event: Event) -> bool:
    """A keydown that types a character: a one-character key, or Enter (a new
    line in a passage)."""
    key = event.get("key")
    return isinstance(key, str) and (len(key) == 1 or key == "Enter")


def auto_repeats(events: Any) -> list[Event]:
    """Auto-repeated keydowns that typed characters (a character key held down)."""
    return [
        e
        for e in checked(events)
        if e["type"] == "key" and e.get("repeat") is True and types_character(e)
    ]


class KeylessText(NamedTuple):
    """Text that went into one input with no keydown behind it."""

    item: str
    field: str
    arrived: str  # the characters, in the order they arrived
    inserts: int  # how many insert events brought them
    t: float | None  # client time of the first


def keyless_text(events: Any) -> list[KeylessText]:
    """Inserted text with no character keydown behind it, in order.

    Each one-character insert uses up one earlier character keydown in the
    same input; an insert with no keydown left, and every insert of more
    than one character (nobody types a whole value with one key), is
    key-less. Key-less inserts in a row into one input are reported together.
    """
    pending: Counter[tuple[str, str]] = Counter()
    found: list[KeylessText] = []
    joined = False  # the last insert was key-less: the next may join it
    for event in checked(events):
        name = (name_text(event.get("item")), name_text(event.get("field")))
        if event["type"] == "key":
            pending[name] += types_character(event)
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
        if joined and last is not None and (last.item, last.field) == name:
            found[-1] = last._replace(
                arrived=last.arrived + data, inserts=last.inserts + 1
            )
        else:
            found.append(KeylessText(*name, data, 1, time_ms(event)))
        joined = True
    return found


def keyless_count(found: Iterable[KeylessText]) -> int:
    """Characters that arrived key-less."""
    return sum(len(text.arrived) for text in found)
