"""What every keying kind shares on the attempt engine: `KeyingKind`, the base of
the four keying kinds (record entry, 10-key, transcription, reconciliation).

Each kind (one module beside this one) says how it draws its snapshot from the
assessment's pool (`build_snapshot`), what the learner's browser may see
(`learner_items`: the source document to copy, never a comparison profile,
critical flag, planted discrepancy or `differs` list) and which answers are
well formed (`item_checks`). Scoring is shared: the pure scorer
(lms.keying.scoring) on the events made before time ran out.

Draws: `rng.sample` keeps the draw in a random order, so two seeds give
different records in a different order and one seed always gives the same.
Pool items keep their content ids (`r007`, `e123`, `s002`), which carry no
part of the key. Bands are frozen into the snapshot (the test's own, else the
scorer's defaults), so a later change of defaults never rewrites an old result.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from random import Random
from typing import Any, ClassVar

from lms.attempts.kinds import (
    DEFAULT_EVENT_BUDGET,
    AssessmentKind,
    EventBudget,
    ReviewContext,
    ReviewOptions,
)
from lms.keying import events as keylog
from lms.keying import scoring
from lms.keying.events.reading import time_ms

# Settings copied into every keying snapshot when the assessment has them:
# the correction policy and the minimum work a band needs (their defaults live
# in lms.keying.scoring.validity).
COMMON_SETTINGS = (
    "correction_policy",
    "min_attempted_share",
    "min_seconds",
    "min_seconds_per_row",
)
# How far an event's client time may run ahead of the server's clock (timer
# drift and rounding); anything later was not typed yet when it arrived.
EVENT_TIME_ALLOWANCE_MS = 3000
# Longest value one box takes: a 10-key entry or a record field is short.
MAX_FIELD_CHARS = 500
# Keystroke events an attempt may store: each character of the drawn items is a
# key and an input event when typed, and corrections, focus changes and re-reads
# add more, so a generous multiple of the characters, never below the engine's
# default; and bytes of JSON per event on average (one is about 90).
EVENTS_PER_ITEM_CHAR = 8
BYTES_PER_EVENT = 200
# strptime directives shown to learners as the pattern of a date field.
DATE_HINTS = {
    "%d": "DD",
    "%m": "MM",
    "%Y": "YYYY",
    "%y": "YY",
    "%b": "Mon",
    "%B": "Month",
    "%H": "hh",
    "%M": "mm",
}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple):
        return []
    return [dict(v) for v in value if isinstance(v, Mapping)]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


def _characters(value: Any) -> int:
    """How many characters the texts and numbers inside a content value hold."""
    if isinstance(value, Mapping):
        return sum(_characters(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_characters(v) for v in value)
    return len(_text(value))


def _draw(pool: list[dict[str, Any]], size: int, rng: Random) -> list[dict[str, Any]]:
    """`size` items of the pool in a random order (the order is part of the draw)."""
    return [copy.deepcopy(item) for item in rng.sample(pool, size)]


def _with_ids(items: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """Give every pool item a stable id (the loader does; hand-made rows may not)."""
    out = []
    for number, item in enumerate(items, start=1):
        ident = _text(item.get("id")).strip()
        out.append({**item, "id": ident or f"{prefix}{number:03d}"})
    return out


def humanize(name: str) -> str:
    """A column or field name as a label: `pin_code` → `PIN code`."""
    words = name.replace("_", " ").replace("-", " ").split()
    if not words:
        return name
    special = {"pin": "PIN", "id": "ID", "po": "PO", "gst": "GST", "gstin": "GSTIN"}
    out = [special.get(w.lower(), w) for w in words]
    if out[0] == words[0]:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def date_hint(fmt: Any) -> str:
    """A strptime format as the pattern learners are told to type (DD/MM/YYYY)."""
    if not isinstance(fmt, str) or not fmt:
        return ""
    hint = fmt
    for directive, shown in DATE_HINTS.items():
        hint = hint.replace(directive, shown)
    return hint if "%" not in hint else ""


def _text_problem(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return "send text"
    if len(value) > limit:
        return f"values are limited to {limit} characters"
    return None


def _has_typed_values(responses: Any) -> bool:
    if not isinstance(responses, Mapping):
        return False
    for value in responses.values():
        if isinstance(value, str) and value.strip():
            return True
        if isinstance(value, Mapping) and any(
            isinstance(v, str) and v.strip() for v in value.values()
        ):
            return True
    return False


class KeyingKind(AssessmentKind):
    """A keying test: typed or flagged answers scored on the keystroke log."""

    uses_events = True
    take_endpoint = "keying.take"
    result_endpoint = "keying.result"
    pool_key: ClassVar[str] = ""  # the content list drawn from: "records"
    draw_setting: ClassVar[str] = ""  # how many per attempt: "records_per_attempt"
    draw_default: ClassVar[int] = 1
    id_prefix: ClassVar[str] = ""
    typed: ClassVar[bool] = True  # answers are typed text (not flags)
    item_noun: ClassVar[str] = ""  # how a reviewer names one drawn item: "Record"
    # Parts of a review item that reveal the key; hidden unless correct answers
    # may be shown. (Typed items compare with the source document the learner
    # had in front of them, which is no secret.)
    key_parts: ClassVar[tuple[str, ...]] = ()

    # --- content files ---------------------------------------------------

    # The kind's file reader in lms.keying.content_file: (top, doc, data_files)
    # -> (settings, content).
    content_reader: ClassVar[Callable[..., tuple[dict, dict]]]

    def read_content(self, top, doc, data_files):
        return type(self).content_reader(top, doc, data_files)

    # --- snapshot --------------------------------------------------------

    def build_snapshot(self, assessment: Any, rng: Random) -> dict[str, Any]:
        content = _mapping(assessment.content)
        settings = _mapping(assessment.settings)
        pool = _with_ids(_dicts(content.get(self.pool_key)), self.id_prefix)
        snapshot = self.base_snapshot(settings)
        self.add_to_snapshot(snapshot, content, settings)
        snapshot[self.pool_key] = self.drawn(
            _draw(pool, self.draw_size(settings, len(pool)), rng), snapshot, rng
        )
        return snapshot

    def base_snapshot(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        snapshot: dict[str, Any] = {"kind": self.name}
        for key in COMMON_SETTINGS:
            if key in settings:
                snapshot[key] = settings[key]
        bands = settings.get("bands")
        if isinstance(bands, Mapping) and bands:
            snapshot["bands"] = copy.deepcopy(dict(bands))
        else:
            snapshot["bands"] = copy.deepcopy(scoring.DEFAULT_BANDS.get(self.name, {}))
        return snapshot

    def add_to_snapshot(self, snapshot, content, settings) -> None:
        """Kind-specific parts of the snapshot besides the drawn pool items."""

    def drawn(self, items: list[dict[str, Any]], snapshot, rng: Random):
        """The drawn pool items as stored (a kind may reorder inside them)."""
        return items

    def draw_size(self, settings: Mapping[str, Any], pool: int) -> int:
        wanted = settings.get(self.draw_setting, self.draw_default)
        if isinstance(wanted, bool) or not isinstance(wanted, int) or wanted <= 0:
            wanted = self.draw_default
        return min(wanted, pool)

    # --- answers ---------------------------------------------------------

    def item_checks(
        self, snapshot: Mapping[str, Any]
    ) -> dict[str, Callable[[Any], str | None]]:
        """item id → a check returning what is wrong with a value (None = fine)."""
        raise NotImplementedError

    def validate_responses(self, snapshot, responses) -> list[str]:
        checks = self.item_checks(snapshot)
        errors = []
        for item_id, value in responses.items():
            check = checks.get(item_id)
            if check is None:
                errors.append(f"{item_id}: there is no such item in this attempt")
                continue
            problem = check(value)
            if problem:
                errors.append(f"{item_id}: {problem}")
        return errors

    # --- events ----------------------------------------------------------

    def event_budget(self, snapshot: Mapping[str, Any]) -> EventBudget:
        """In proportion to the characters of the drawn items (every text and
        number in them: what is typed, and at most a little more)."""
        chars = _characters(snapshot.get(self.pool_key))
        events = max(DEFAULT_EVENT_BUDGET.events, EVENTS_PER_ITEM_CHAR * chars)
        return EventBudget(events=events, bytes=events * BYTES_PER_EVENT)

    def accept_events(self, events, server_elapsed_ms):
        """Refuse events stamped later than the server has seen the attempt run
        (plus an allowance for timer drift): a whole log cannot be uploaded at
        second 1 claiming minutes of typing."""
        limit = server_elapsed_ms + EVENT_TIME_ALLOWANCE_MS
        kept, ahead = [], []
        for event in events:
            t = time_ms(event) if isinstance(event, Mapping) else None
            (ahead if t is not None and t > limit else kept).append(event)
        if not ahead:
            return events, None
        latest = max(time_ms(e) for e in ahead)
        return kept, {
            "code": "events_ahead_of_clock",
            "message": (
                f"{len(ahead)} keystroke events claimed times up to {latest / 1000:.0f} s "
                f"into the attempt when the server had seen "
                f"{server_elapsed_ms / 1000:.0f} s; they were ignored."
            ),
            "evidence": {
                "ignored": len(ahead),
                "latest_claimed_ms": latest,
                "server_elapsed_ms": round(server_elapsed_ms),
            },
        }

    # --- evidence ----------------------------------------------------------

    def evidence_labels(self, snapshot: Mapping[str, Any]) -> dict[str, dict[str, str]]:
        """Names a reviewer recognises for the item and field ids in the keystroke
        evidence: {"item_names": {"r007": "Record 2"}, "field_names": {...}}."""
        items = {}
        if self.item_noun:
            for number, item in enumerate(_dicts(snapshot.get(self.pool_key)), 1):
                items[_text(item.get("id"))] = f"{self.item_noun} {number}"
        return {"item_names": items, "field_names": self.field_names(snapshot)}

    def field_names(self, snapshot: Mapping[str, Any]) -> dict[str, str]:
        """Field id → label, for kinds whose items have named fields."""
        return {}

    # --- score and show --------------------------------------------------

    def score(self, snapshot, responses, events, elapsed_seconds) -> dict[str, Any]:
        """Score on the events made before time ran out.

        `elapsed_seconds` is the server's min(submitted, deadline) − started, so
        events whose client time is later than that are ignored (a slowed or
        tampered page cannot add keystrokes after the end).
        """
        seconds = elapsed_seconds if isinstance(elapsed_seconds, int | float) else 0
        kept = keylog.ignore_after(events or [], max(float(seconds), 0.0) * 1000.0)
        dropped = len(list(keylog.iter_events(events or []))) - len(kept)
        result = scoring.score(snapshot, responses, kept, elapsed_seconds)
        flag = self.no_log_flag(responses, kept)
        if flag is not None:
            scoring.mark_unverified(result, flag)
        result["events_ignored"] = dropped
        return result

    def no_log_flag(self, responses: Any, events: list) -> Any:
        """Typed answers with no input events at all: nothing shows they were keyed.

        The scorer's replay check only runs when there is a log to replay; a
        client that sends values and no events (scripts, a browser without our
        JavaScript) would otherwise pass unremarked.
        """
        if not self.typed or not _has_typed_values(responses):
            return None
        if any(e.get("type") == "input" for e in events):
            return None
        return {
            "code": "no_keystroke_log",
            "message": "Answers were saved without any keystroke record behind them.",
            "evidence": {"events": len(events)},
        }

    def accept(self, snapshot, result, acceptance):
        return scoring.accept(result, snapshot, acceptance)

    def summary(self, result: Mapping[str, Any]) -> dict[str, Any]:
        """The shared headline keys plus every scalar metric (speeds, accuracies)."""
        summary = super().summary(result)
        summary.update(
            {
                k: v
                for k, v in result.items()
                if isinstance(v, int | float | str | bool) and k not in summary
            }
        )
        return summary

    def review_options(
        self, settings: Mapping[str, Any], context: ReviewContext
    ) -> ReviewOptions:
        review = settings.get("review") or "immediately"
        show_correct = settings.get("show_correct_answers", True) is not False
        if review == "never":
            return ReviewOptions(False, False, False)
        if review == "after_close":
            return ReviewOptions(context.closed, show_correct, True, context.close_at)
        return ReviewOptions(True, show_correct, True)

    def review(self, snapshot, result, responses, options) -> list[dict[str, Any]]:
        """The scored items of a result, as the viewer may review them."""
        items = copy.deepcopy(list(result.get("items") or []))
        if options.show_correct_answers or not self.key_parts:
            return items
        for item in items:
            for key in self.key_parts:
                item.pop(key, None)
            for pair in item.get("pairs") or ():
                for key in self.key_parts:
                    pair.pop(key, None)
        return items
