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
from typing import Any

from lms.keying.events.reading import (  # noqa: F401 (the key predicates' home)
    KEYPAD_LOCATION,
    NUMLOCK_OFF_KEYS,
    Event,
    is_keypad,
    is_numlock_off_key,
    types_character,
)
from lms.keying.events.scan import KeylessText, scan


def numlock_off_keys(events: Any) -> Counter[str]:
    """How often each navigation key came from the keypad: key name → count."""
    return Counter(scan(events).numlock_off)


def auto_repeats(events: Any) -> list[Event]:
    """Auto-repeated keydowns that typed characters (a character key held down)."""
    return list(scan(events).auto_repeats)


def keyless_text(events: Any) -> list[KeylessText]:
    """Inserted text with no character keydown behind it, in order.

    Each one-character insert uses up one earlier character keydown in the
    same input; an insert with no keydown left, and every insert of more
    than one character (nobody types a whole value with one key), is
    key-less. Key-less inserts in a row into one input are reported together.
    (Matched during the one walk over the log, `scan`.)
    """
    return list(scan(events).keyless)


def keyless_count(found: Iterable[KeylessText]) -> int:
    """Characters that arrived key-less."""
    return sum(len(text.arrived) for text in found)
