"""Gap and readiness against a role's requirements (pure).

* A role requires a level per skill. The **gap** for a skill is
  required − current, never below 0; gaps come largest first (then by the
  order the requirements were given), which is the order recommendations
  follow.
* **Readiness** is the share of the requirement met, in percent: the sum over
  required skills of min(current, required) divided by the sum of required
  levels. A person who meets every requirement is 100 % ready; a role that
  requires nothing is 100 % ready; it is always within [0, 100].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    skill_id: int
    required: int
    current: int

    @property
    def gap(self) -> int:
        return max(self.required - self.current, 0)

    @property
    def met(self) -> bool:
        return self.gap == 0


def gaps(requirements: Mapping[int, int], levels: Mapping[int, int]) -> list[Gap]:
    """Every required skill with its gap, largest gap first (stable otherwise)."""
    rows = [
        Gap(skill_id, max(int(required), 0), max(int(levels.get(skill_id, 0)), 0))
        for skill_id, required in requirements.items()
    ]
    return sorted(rows, key=lambda row: -row.gap)


def readiness(requirements: Mapping[int, int], levels: Mapping[int, int]) -> float:
    """Share of the requirement met, 0–100."""
    total = sum(max(int(r), 0) for r in requirements.values())
    if total == 0:
        return 100.0
    met = sum(
        min(max(int(levels.get(skill_id, 0)), 0), max(int(required), 0))
        for skill_id, required in requirements.items()
    )
    return round(100.0 * met / total, 1)
