"""How counted evidence becomes a person's current level in one skill (pure).

The framework (`SkillFramework`) picks one method for everyone; docs/skills.md
defines each with a worked example. Levels run 1 Awareness … 5 Expert; 0 means
no counted evidence yet. Only *counted* evidence reaches these functions: the
caller leaves out self-assessments and superseded items.

* ``highest_recent``: the highest level observed in the last `recent_days`
  days (counted back from `now`). When nothing falls inside the window, the
  level of the most recent older item stands: a skill is not forgotten because
  nobody tested it this year, but a recent result always outranks a stale one.
  (Canvas's "Highest Score" is the highest ever; ours forgets old highs once
  newer evidence exists.)
* ``latest``: the level of the most recent item (Canvas's "Most Recent Score").
* ``decaying_average``: Canvas's definition (renamed "Weighted Average" in
  Canvas in 2023): the most recent item weighted `decay` (0.65 by default) plus
  the plain average of every earlier item weighted 1 − decay; one item alone is
  its own level. Rounded half up to a whole level.

"Most recent" orders by `observed_at`; items observed at the same instant keep
the order they were given in (the later one is the newer).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

HIGHEST_RECENT = "highest_recent"
LATEST = "latest"
DECAYING_AVERAGE = "decaying_average"
METHODS = (HIGHEST_RECENT, LATEST, DECAYING_AVERAGE)
METHOD_LABELS = {
    HIGHEST_RECENT: "Highest in the recent window",
    LATEST: "Most recent",
    DECAYING_AVERAGE: "Decaying average",
}

Pairs = Sequence[tuple[int, datetime]]

MIN_LEVEL = 1
MAX_LEVEL = 5
NO_LEVEL = 0


class Observed(Protocol):
    """Anything with a level and when it was observed (a SkillEvidence row too)."""

    level: int
    observed_at: datetime


@dataclass(frozen=True)
class Observation:
    level: int
    observed_at: datetime


@dataclass(frozen=True)
class Method:
    """The framework's method and its numbers."""

    name: str = HIGHEST_RECENT
    recent_days: int = 365
    decay: float = 0.65

    def __post_init__(self) -> None:
        if self.name not in METHODS:
            raise ValueError(f"Unknown level method {self.name!r}.")
        if self.recent_days < 1:
            raise ValueError("The recent window must be at least one day.")
        if not 0 < self.decay < 1:
            raise ValueError("The decay must be between 0 and 1.")

    @classmethod
    def of(cls, framework) -> Method:
        """The method of a SkillFramework row (or defaults when there is none)."""
        if framework is None:
            return cls()
        return cls(framework.method, framework.recent_days, framework.decay)

    def describe(self) -> str:
        """One line for pages: "Highest in the last 365 days"."""
        if self.name == HIGHEST_RECENT:
            return f"Highest in the last {self.recent_days} days"
        if self.name == LATEST:
            return "Most recent evidence"
        return (
            f"Decaying average ({round(self.decay * 100)} % the most recent, "
            f"{round((1 - self.decay) * 100)} % the earlier ones)"
        )


def current_level(items: Iterable[Observed], method: Method, now: datetime) -> int:
    """The level 0–5 the counted `items` give under `method` at `now`."""
    ordered = _oldest_first(items)
    if not ordered:
        return NO_LEVEL
    if method.name == HIGHEST_RECENT:
        return _highest_recent(ordered, method.recent_days, now)
    if method.name == LATEST:
        return ordered[-1][0]
    return _decaying_average(ordered, method.decay)


def _highest_recent(ordered: Pairs, recent_days: int, now: datetime) -> int:
    window_start = now - timedelta(days=recent_days)
    recent = [level for level, at in ordered if at >= window_start]
    if recent:
        return max(recent)
    return ordered[-1][0]


def _decaying_average(ordered: Pairs, decay: float) -> int:
    newest = ordered[-1][0]
    earlier = [level for level, _ in ordered[:-1]]
    if not earlier:
        return newest
    value = decay * newest + (1 - decay) * (sum(earlier) / len(earlier))
    return _clamp(round_half_up(value))


def round_half_up(value: float) -> int:
    """3.5 → 4, 2.5 → 3 (Python's round() would give 2: bankers' rounding)."""
    # The small tolerance keeps 0.65·4 + 0.35·… landing on x.4999999 from rounding down.
    return math.floor(value + 0.5 + 1e-9)


def _oldest_first(items: Iterable[Observed]) -> Pairs:
    """(level, observed_at) pairs, oldest first; stable for equal times."""
    pairs = [(_clamp(int(item.level)), item.observed_at) for item in items]
    indexed = sorted(enumerate(pairs), key=lambda pair: (pair[1][1], pair[0]))
    return [pair for _, pair in indexed]


def _clamp(level: int) -> int:
    return max(MIN_LEVEL, min(MAX_LEVEL, level))
