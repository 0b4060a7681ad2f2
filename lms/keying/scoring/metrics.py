"""Result plumbing shared by every kind: the result's shape, speeds, event metrics.

* Every result has the same keys (docs/keying.md §9); a metric that does not
  apply to the kind is None.
* Speeds come from the server-side elapsed time only; WPM = KPH / 300
  (1 word = 5 keystrokes). Net speed counts only keystrokes that produced
  accepted characters, so it never exceeds the speed of correct work.
* Validity and the band are decided last, by `validity.finish`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lms.keying import events as keylog

Result = dict[str, Any]

KINDS = ("record_entry", "ten_key", "transcription", "reconciliation")

# Every keying error class, always present in `error_counts` (zero when none).
ERROR_CLASSES = (
    "substitution",
    "omission",
    "insertion",
    "transposition",
    "decimal_shift",
    "sign",
    "format",
    "blank",
    "skipped_entry",
    "extra_entry",
)
RECONCILIATION_ERROR_CLASSES = ("missed", "wrong_field", "false_alarm")

KEYSTROKES_PER_WORD = 5


def empty_result(kind: str, seconds: float, classes: Sequence[str]) -> Result:
    """Every result has the same keys; a metric that does not apply is None."""
    return {
        "kind": kind,
        "validity": "valid",
        "validity_reason": "",
        "band": None,
        "passed": False,
        "band_explanation": "",
        "T_s": seconds,
        "K_final": None,
        "K_correct": None,
        "K_raw": None,
        "gross_kph": None,
        "net_kph": None,
        "gross_wpm": None,
        "net_wpm": None,
        "accuracy": None,
        "field_accuracy": None,
        "record_accuracy": None,
        "critical_accuracy": None,
        "entry_accuracy": None,
        "char_accuracy": None,
        "keystroke_accuracy": None,
        "numpad_pct": None,
        "keypad_relevant": kind == "ten_key",
        "numlock_off_keys": None,
        "completion_pct": None,
        "precision": None,
        "recall": None,
        "f1": None,
        "error_counts": dict.fromkeys(classes, 0),
        "flags": [],
        "analytics": None,
        "items": [],
    }


def _per_hour(keystrokes: float, seconds: float) -> float:
    return keystrokes * 3600.0 / seconds if seconds > 0 else 0.0


def set_speeds(result: Result, k_final: int, k_correct: int, seconds: float) -> None:
    """Gross/net KPH from final and accepted keystrokes; WPM = KPH / 300."""
    result["K_final"] = k_final
    result["K_correct"] = k_correct
    result["gross_kph"] = _per_hour(k_final, seconds)
    result["net_kph"] = _per_hour(k_correct, seconds)
    result["gross_wpm"] = result["gross_kph"] / (60 * KEYSTROKES_PER_WORD)
    result["net_wpm"] = result["net_kph"] / (60 * KEYSTROKES_PER_WORD)


def add_event_metrics(
    result: Result,
    events: Any,
    expected: Mapping[str, Mapping[str, str]],
    by_word_items: Iterable[str] = (),
    amount_inputs: Iterable[tuple[str, str]] = (),
) -> None:
    """K_raw, keystroke accuracy, numpad share and the analytics block.

    `amount_inputs` are the (item, field) inputs compared as amounts, whose
    keystrokes are judged with separators ignored as the comparison does.
    10-key also counts the keypad keys sent with Num Lock off, each a wrong
    keystroke.
    """
    if not events:
        return
    ten_key = result["kind"] == "ten_key"
    analytics = keylog.reduce_events(events)
    result["analytics"] = analytics
    result["K_raw"] = analytics["K_raw"]
    result["numpad_pct"] = analytics["numpad_pct"]
    if ten_key:
        result["numlock_off_keys"] = sum(keylog.numlock_off_keys(events).values())
    result["keystroke_accuracy"] = keylog.keystroke_accuracy(
        events,
        expected,
        by_word_items=by_word_items,
        amount_inputs=amount_inputs,
        numlock_off_wrong=ten_key,
    )
