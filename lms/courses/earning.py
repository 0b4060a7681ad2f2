"""Earned module completion: what a course asks of a learner before "Mark as
complete" counts, and where a learner stands against it.

The one owner of these course options — their defaults, allowed values and
meaning — for the course files (lms/content/courses.py), the course editor
(lms/courses/forms.py, authoring.py) and the learner pages (progress.py):

* ``min_reading_percent`` (whole number 0–100, default 0 = no minimum): the
  share of a module's estimated reading time that must pass, on the server's
  clock, between the learner first opening the module and marking it
  complete. Reading time is estimated from the module's words at
  `WORDS_PER_MINUTE`; whenever a minimum applies it is at least
  `FLOOR_SECONDS`, so a very short module still asks for a real look. The
  minimum follows each module's length, so one course setting fits modules of
  any size.
* ``require_reaching_end`` (true/false, default false): the module page must
  have reported that the learner scrolled to the end of its text.

The clock starts at the first opening and never restarts (a reload or a second
tab keeps it). Rows written before a course asked for anything, and demo rows,
count as earned: only a new "Mark as complete" is checked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from lms.options import Spec, allowed_values, problems
from lms.templating import format_duration

WORDS_PER_MINUTE = 200
FLOOR_SECONDS = 30
WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


SPECS: dict[str, Spec] = {
    "min_reading_percent": Spec("integer", 0, 0, 100),
    "require_reaching_end": Spec("boolean", False),
}


@dataclass(frozen=True)
class CompletionRules:
    """A course's options for earning a module's completion (see the module docstring)."""

    min_reading_percent: int = 0
    require_reaching_end: bool = False

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any] | None) -> CompletionRules:
        """Read a stored dict: missing or disallowed values take the default."""
        return cls(**allowed_values(SPECS, stored))

    @classmethod
    def problems(cls, given: Mapping[str, Any]) -> dict[str, str]:
        """Every option in `given` whose value is not allowed, with the reason."""
        return problems(SPECS, given, "is not a course completion option")

    def to_stored(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def asks_anything(self) -> bool:
        return self.min_reading_percent > 0 or self.require_reaching_end

    def min_reading_seconds(self, body_md: str) -> int:
        """Seconds a learner must give a module with this text (0 = no minimum)."""
        if self.min_reading_percent <= 0:
            return 0
        estimate = word_count(body_md) * 60 / WORDS_PER_MINUTE
        share = estimate * self.min_reading_percent / 100
        return max(FLOOR_SECONDS, math.ceil(share))


def word_count(text: str) -> int:
    """Words in a module's text; Markdown punctuation (#, |, *, ---) is not a word."""
    return len(WORD_RE.findall(text or ""))


# --- where a learner stands ---------------------------------------------------------

MESSAGES = {
    "wait_and_end": "You can mark this complete in {time}, once you have read to "
    "the end — keep reading.",
    "wait": "You can mark this complete in {time} — keep reading.",
    "end": "Read to the end of this module to mark it complete.",
    "ready": "You can mark this module complete now.",
}


@dataclass(frozen=True)
class ReadingState:
    """One learner on one module, measured on the server's clock."""

    required_seconds: int
    elapsed_seconds: float
    needs_end: bool  # the course asks for the end and it was not reported yet

    @property
    def remaining_seconds(self) -> int:
        return max(0, math.ceil(self.required_seconds - self.elapsed_seconds))

    @property
    def earned(self) -> bool:
        return self.remaining_seconds == 0 and not self.needs_end

    @property
    def message_key(self) -> str:
        if self.remaining_seconds and self.needs_end:
            return "wait_and_end"
        if self.remaining_seconds:
            return "wait"
        return "end" if self.needs_end else "ready"

    @property
    def message(self) -> str:
        return MESSAGES[self.message_key].format(
            time=format_duration(self.remaining_seconds)
        )


def reading_state(
    rules: CompletionRules,
    body_md: str,
    *,
    first_opened_at: datetime | None,
    end_reached_at: datetime | None,
    now: datetime,
) -> ReadingState:
    """Where a learner stands; never opened means no time spent yet."""
    elapsed = (now - first_opened_at).total_seconds() if first_opened_at else 0.0
    return ReadingState(
        required_seconds=rules.min_reading_seconds(body_md),
        elapsed_seconds=max(0.0, elapsed),
        needs_end=rules.require_reaching_end and end_reached_at is None,
    )
