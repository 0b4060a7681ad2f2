"""The assessment-kind interface of the attempt engine, and the registry of kinds.

The engine (this package) runs every timed attempt the same way: start,
snapshot, save, submit, expire, review. What differs between a quiz and a
keying test lives in an `AssessmentKind`: reading its content file, building
the snapshot (answer keys included) from the assessment and the attempt's
seeded random generator, what the learner's browser may see, which answers are
well formed, pure scoring, the summary any viewer may see, the review filtered
by what the viewer may be shown, and rescoring after a manual grade.

`create_app` registers the kinds explicitly (lms/kinds_setup.py); this package
imports no kind and names none. A new kind is one module that subclasses
`AssessmentKind` (plus its templates) and one registration line.

docs/architecture.md walks through adding a kind.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

# Result keys every kind's summary carries when it has them: a learner may
# see these once an attempt is final, whatever the review settings.
SUMMARY_KEYS = (
    "kind",
    "score",
    "max_score",
    "percent",
    "passed",
    "band",
    "validity",
    "validity_reason",
    "needs_manual_grading",
    "elapsed_seconds",
)


@dataclass(frozen=True)
class ReviewOptions:
    """What a viewer may be shown of a final attempt."""

    allowed: bool
    show_correct_answers: bool
    show_feedback: bool
    available_from: datetime | None = None
    show_score: bool = True
    show_correctness: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "available_from": self.available_from.isoformat()
            if self.available_from
            else None,
            "show_correct_answers": self.show_correct_answers,
            "show_feedback": self.show_feedback,
            "show_score": self.show_score,
            "show_correctness": self.show_correctness,
        }


STAFF_REVIEW = ReviewOptions(True, True, True)


@dataclass(frozen=True)
class EventBudget:
    """The most keystroke events one attempt may store: a count, and bytes of JSON."""

    events: int
    bytes: int


# What a kind that keeps events gets unless it sizes its budget to its tests.
DEFAULT_EVENT_BUDGET = EventBudget(events=2_000, bytes=2_000 * 200)


@dataclass(frozen=True)
class ReviewContext:
    """Facts about the attempt's circumstances a kind may need to decide a review."""

    closed: bool  # the assessment's close time has passed
    close_at: datetime | None
    attempts_left: bool  # the learner may still start another attempt


class AssessmentKind:
    """Base class: override what the kind does differently. All methods are pure
    except `rescore`'s caller, which stores what it returns."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""  # one assessment of the kind: "Quiz"
    plural_label: ClassVar[str] = ""  # the catalogue heading: "Quizzes"
    uses_events: ClassVar[bool] = False  # keystroke events are stored and scored
    take_endpoint: ClassVar[str] = ""  # url_for endpoint taking attempt_id
    result_endpoint: ClassVar[str] = ""
    content_keys: ClassVar[tuple[str, ...]] = ()  # TOML keys beyond the common ones

    # --- content files ---------------------------------------------------

    def read_content(self, top, doc, data_files) -> tuple[dict, dict]:
        """(settings, content) from a content file's top table; report problems on
        `top`/`doc` (lms.content's table toolkit)."""
        raise NotImplementedError

    # --- start -----------------------------------------------------------

    def build_snapshot(self, assessment, rng: random.Random) -> dict[str, Any]:
        """Freeze what this attempt is given, keys included; every shuffle and draw
        uses `rng` (seeded per attempt)."""
        raise NotImplementedError

    def learner_items(self, snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
        """What the learner's browser may see of the snapshot: never a key."""
        raise NotImplementedError

    # --- save ------------------------------------------------------------

    def validate_responses(
        self, snapshot: Mapping[str, Any], responses: Mapping[str, Any]
    ) -> list[str]:
        """Every problem with a batch of answers as messages; [] when all are usable."""
        known = {item.get("id") for item in self.learner_items(snapshot)}
        problems = []
        for item_id, value in responses.items():
            if item_id not in known:
                problems.append(f"{item_id}: there is no such item in this attempt")
            elif value is not None and not isinstance(value, str):
                problems.append(f"{item_id}: send text")
        return problems

    def accept_events(
        self, events: list[Any], server_elapsed_ms: float
    ) -> tuple[list[Any], dict[str, Any] | None]:
        """The events of one save worth storing, and a flag when some were refused.

        `server_elapsed_ms` is the server's time since the attempt started when
        the save arrived: a kind whose events carry times refuses those that
        claim more time than that (a log fabricated ahead of the clock).
        """
        return events, None

    def event_budget(self, snapshot: Mapping[str, Any]) -> EventBudget | None:
        """How many keystroke events an attempt of this snapshot may store, in
        proportion to what it asks to be typed; None when the kind keeps none."""
        return DEFAULT_EVENT_BUDGET if self.uses_events else None

    # --- score -----------------------------------------------------------

    def score(
        self,
        snapshot: Mapping[str, Any],
        responses: Mapping[str, Any],
        events: list[Any],
        elapsed_seconds: float,
    ) -> dict[str, Any]:
        """The result (pure). `score`, `max_score`, `percent`, `passed`, `band`,
        `validity` and `flags` are copied to the attempt's columns when present."""
        raise NotImplementedError

    def regrade(
        self,
        snapshot: Mapping[str, Any],
        result: Mapping[str, Any],
        item_id: str,
        points: float,
        override: dict[str, Any],
    ) -> dict[str, Any]:
        """A new result with one item's points set by hand (`override` says who,
        when and why) and the totals recomputed. Raise ValueError with a message
        for the trainer when the grade cannot apply."""
        raise ValueError("Attempts of this kind cannot be graded by hand.")

    def accept(
        self,
        snapshot: Mapping[str, Any],
        result: Mapping[str, Any],
        acceptance: dict[str, Any],
    ) -> dict[str, Any]:
        """The result after a reviewer accepted one whose evidence was missing or
        disagreed (`acceptance` says who, when and why). Raise ValueError with a
        message for the reviewer when there is nothing to accept."""
        raise ValueError("Results of this kind need no acceptance.")

    # --- show ------------------------------------------------------------

    def summary(self, result: Mapping[str, Any]) -> dict[str, Any]:
        """Headline figures any viewer of the attempt may see: nothing per item."""
        return {k: result[k] for k in SUMMARY_KEYS if k in result}

    def review_options(
        self, settings: Mapping[str, Any], context: ReviewContext
    ) -> ReviewOptions:
        """What a learner may see of their own final attempt."""
        return ReviewOptions(True, True, True)

    def review(
        self,
        snapshot: Mapping[str, Any],
        result: Mapping[str, Any],
        responses: Mapping[str, Any],
        options: ReviewOptions,
    ) -> list[dict[str, Any]]:
        """Per-item review, already filtered by `options`."""
        return []


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------

_KINDS: dict[str, AssessmentKind] = {}


class UnknownKind(LookupError):
    pass


def register(kind: AssessmentKind) -> None:
    """Make a kind playable. Registering the same name again replaces it."""
    if not kind.name:
        raise ValueError("an assessment kind needs a name")
    _KINDS[kind.name] = kind


def get(name: str) -> AssessmentKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownKind(name) from None


def is_registered(name: str) -> bool:
    return name in _KINDS


def names() -> tuple[str, ...]:
    return tuple(_KINDS)


def all_kinds() -> tuple[AssessmentKind, ...]:
    return tuple(_KINDS.values())


def names_where(predicate) -> tuple[str, ...]:
    """Kind names whose kind object satisfies `predicate` (for SQL IN filters)."""
    return tuple(name for name, kind in _KINDS.items() if predicate(kind))
