"""The "course completed" announcement: progress tells registered listeners when
a learner's enrolment becomes complete, inside the same transaction.

Courses are a lower layer than the domains that care (skills evidence, for
example), so they register here at start-up with `on_completed` instead of
courses importing them. Listeners get `(enrolment, course)` once, when
`completed_at` is first set, and must only flush: the request commits, so a
listener's failure rolls the completion back rather than half-recording it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Listener = Callable[[Any, Any], None]
_listeners: list[Listener] = []


def on_completed(listener: Listener) -> Listener:
    """Register `listener(enrolment, course)`; usable as a decorator. Idempotent."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def remove_listener(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def announce(enrolment: Any, course: Any) -> None:
    """Tell every listener; called by lms.courses.progress only."""
    for listener in tuple(_listeners):
        listener(enrolment, course)
