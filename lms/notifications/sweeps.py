"""The notification sweep: `flask notifications sweep` (cron-able) runs every
registered sweeper with the current time.

Notifications depend only on users, so they cannot know what is due or about
to expire: the domains that do register a sweeper here (see
lms.assignments.reminders). A sweeper tells people through `notify` with
dedupe keys, so running the sweep again never repeats a notification, and
returns how many it added.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Sweeper = Callable[[datetime], int]

_sweepers: dict[str, Sweeper] = {}


def sweeper(name: str) -> Callable[[Sweeper], Sweeper]:
    """Register `fn(now) -> int` under `name` (registering again replaces it)."""

    def register(fn: Sweeper) -> Sweeper:
        _sweepers[name] = fn
        return fn

    return register


def run(now: datetime) -> dict[str, int]:
    """Every sweeper's count of new notifications, by name. Callers commit."""
    return {name: fn(now) for name, fn in sorted(_sweepers.items())}
