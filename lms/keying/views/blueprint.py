"""The `keying` blueprint, the words its pages use for bands, errors, metrics
and flags, and what every keying page does first: find the attempt and let the
engine close it if its time is over."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, abort

from lms.attempts import services as attempt_services
from lms.attempts.models import Attempt
from lms.errors import NotFoundError
from lms.extensions import db
from lms.keying import policies, services
from lms.keying.kinds import KEYING_KIND_NAMES as KEYING_KINDS
from lms.keying.kinds import KIND_LABELS
from lms.keying.scoring import BAND_LABELS

bp = Blueprint("keying", __name__, url_prefix="/keying")
bp.add_app_template_global(policies.can_review_attempt, "can_review_keying_attempt")
bp.add_app_template_global(policies.can_view_evidence, "can_view_keying_evidence")
# Any list of attempts (the learner's history, the dashboard) shows a keying
# attempt's net speed, accuracy and band the same way.
bp.add_app_template_global(services.headline_of, "keying_headline")

ERROR_LABELS = {
    "substitution": "Substitution",
    "omission": "Omission",
    "insertion": "Insertion",
    "transposition": "Transposition",
    "decimal_shift": "Decimal shift",
    "sign": "Sign",
    "format": "Format",
    "blank": "Blank field",
    "skipped_entry": "Skipped entry",
    "extra_entry": "Extra entry",
    "missed": "Missed difference",
    "wrong_field": "Right row, wrong field",
    "false_alarm": "False alarm",
}
ERROR_HELP = {
    "substitution": "a character keyed in place of another",
    "omission": "a character left out",
    "insertion": "an extra character keyed",
    "transposition": "two neighbouring characters swapped",
    "decimal_shift": "the right digits with the decimal point in the wrong place",
    "sign": "a minus sign missing or added",
    "format": "the right value in the wrong format",
    "blank": "a field left empty before the last one keyed",
    "skipped_entry": "an entry left out",
    "extra_entry": "an entry keyed that is not on the list",
    "missed": "a difference that was not flagged",
    "wrong_field": "the right row flagged for the wrong field",
    "false_alarm": "a flag where there is no difference",
}
METRIC_LABELS = {
    "net_kph": "net KPH",
    "net_wpm": "net WPM",
    "f1": "F1",
    "accuracy": "accuracy",
    "field_accuracy": "field accuracy",
    "entry_accuracy": "entry accuracy",
    "char_accuracy": "character accuracy",
    "critical_accuracy": "critical-field accuracy",
}
FLAG_LABELS = {
    "paste_attempt": "Paste attempt",
    "focus_loss": "Focus loss",
    "implausible_timing": "Implausible timing",
    "implausible_pace": "Rows checked too fast",
    "replay_mismatch": "Replay mismatch",
    "no_keystroke_log": "No keystroke record",
    "keyless_input": "Text without keystrokes",
    "auto_repeat": "Held-down key",
    "numlock_off": "Num Lock off",
    "events_ahead_of_clock": "Keystrokes ahead of the clock",
}


def _truncated(value: float, digits: int) -> float:
    """Cut to `digits` decimals, never rounded up: the band explanation writes
    figures so (lms.keying.scoring.bands), and a tile must not show 5,000 KPH
    beside a sentence saying 4,999 KPH is below the 5,000 a band needs."""
    step = 10**digits
    return math.floor(value * step + 1e-9) / step


@bp.app_template_filter("floor_number")
def floor_number(value: float | None, digits: int = 0) -> str:
    """A speed or count as keying pages show it: 6,928 (never rounded up)."""
    if value is None:
        return "—"
    return f"{_truncated(value, digits):,.{digits}f}"


@bp.app_template_filter("floor_percent")
def floor_percent(value: float | None, digits: int = 1) -> str:
    """A fraction as keying pages show it: 0.96996 → "96.9 %" (never rounded up)."""
    if value is None:
        return "—"
    return f"{_truncated(value * 100, digits):.{digits}f} %"


def labels() -> dict[str, Any]:
    """The label tables every keying template reads."""
    return {
        "BAND_LABELS": BAND_LABELS,
        "ERROR_LABELS": ERROR_LABELS,
        "ERROR_HELP": ERROR_HELP,
        "FLAG_LABELS": FLAG_LABELS,
        "KIND_LABELS": KIND_LABELS,
    }


def keying_attempt_or_404(attempt_id: int, *, with_responses: bool = False) -> Attempt:
    try:
        attempt = attempt_services.get_attempt(
            attempt_id, with_responses=with_responses
        )
    except NotFoundError:
        abort(404)
    if attempt.kind not in KEYING_KINDS:
        abort(404)
    return attempt


def expire_if_due(attempt: Attempt) -> None:
    """Let the engine close an attempt whose time is over (lazy expiry)."""
    if attempt.is_live and attempt_services.expire_if_due(attempt):
        db.session.commit()
