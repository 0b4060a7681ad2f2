"""The "attempt finalised" announcement: the engine tells registered listeners
when an attempt's result becomes final or changes, inside the same transaction.

Reasons: ``submitted`` (by the learner), ``expired`` (time ran out: submitted
as saved, or abandoned under that policy — the attempt's state says which) and
``regraded`` (a trainer changed points). Listeners (skills evidence, for
example) register once at start-up with `on_finalised` and must only flush:
the request or CLI command commits, so a listener's failure rolls the whole
finalisation back rather than leaving a half-recorded result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SUBMITTED = "submitted"
EXPIRED = "expired"
REGRADED = "regraded"
REASONS = (SUBMITTED, EXPIRED, REGRADED)

Listener = Callable[[Any, str], None]
_listeners: list[Listener] = []


def on_finalised(listener: Listener) -> Listener:
    """Register `listener(attempt, reason)`; usable as a decorator. Idempotent."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def remove_listener(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def announce(attempt: Any, reason: str) -> None:
    """Tell every listener; called by the engine only."""
    for listener in tuple(_listeners):
        listener(attempt, reason)
