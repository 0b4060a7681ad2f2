"""Replaying a keystroke log: input values rebuilt, and the cut at the deadline.

The final value of every input is what its `input` events type, in list
order; a selection replaced by typing arrives as a delete then an insert.
Paste and drop are blocked in the browser and change nothing here, so a
value that really was pasted shows up as a replay mismatch.
"""

from __future__ import annotations

from typing import Any

from lms.keying.events.reading import (
    Event,
    Values,
    checked,
    int_or,
    name_text,
    time_ms,
)


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
        pos = min(max(int_or(event.get("pos"), len(value)), 0), len(value))
        return value[:pos] + data + value[pos:]
    if op == "delete":
        count = max(int_or(event.get("len"), 1), 0)
        pos = min(max(int_or(event.get("pos"), len(value) - count), 0), len(value))
        return value[:pos] + value[pos + count :]
    return value


def replay(events: Any) -> Values:
    """Rebuild every input's final value from the input events: {item: {field: value}}."""
    values: Values = {}
    for event in checked(events):
        if event["type"] != "input":
            continue
        fields = values.setdefault(name_text(event.get("item")), {})
        field = name_text(event.get("field"))
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
        if (t := time_ms(event)) is not None and t <= deadline_ms
    ]
