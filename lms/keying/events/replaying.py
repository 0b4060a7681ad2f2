"""Replaying a keystroke log: input values rebuilt, and the cut at the deadline.

The final value of every input is what its `input` events type, in list
order; a selection replaced by typing arrives as a delete then an insert.
Paste and drop are blocked in the browser and change nothing here, so a
value that really was pasted shows up as a replay mismatch.
"""

from __future__ import annotations

from typing import Any

from lms.keying.events.reading import Values, checked, time_ms
from lms.keying.events.scan import apply_input, scan

__all__ = ["apply_input", "ignore_after", "replay"]


def replay(events: Any) -> Values:
    """Rebuild every input's final value from the input events: {item: {field: value}}.

    Each input event goes through `apply_input` in list order (during the one
    walk over the log, `scan`)."""
    return {item: dict(fields) for item, fields in scan(events).values.items()}


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
