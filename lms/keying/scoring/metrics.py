"""Result plumbing shared by every kind: result shape, speeds, validity, bands.

Decisions, in one place:

* Every result has the same keys (docs/keying.md §9); a metric that does not
  apply to the kind is None.
* Speeds come from the server-side elapsed time only; WPM = KPH / 300
  (1 word = 5 keystrokes).
* A result that is not `valid` gets no band; nothing is silently dropped: the
  reason is in `validity_reason` and the flags stay for a trainer to review.
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

# Default pass bands (anchors §4); a test's own [bands] replace them.
# "accuracy" is the kind's headline accuracy (see PRIMARY_ACCURACY).
DEFAULT_BANDS: dict[str, dict[str, dict[str, float]]] = {
    "record_entry": {
        "foundation": {"net_kph": 5000, "accuracy": 0.97},
        "job_ready": {"net_kph": 7000, "accuracy": 0.98},
        "proficient": {"net_kph": 9000, "accuracy": 0.99},
    },
    "ten_key": {
        "foundation": {"net_kph": 6000, "accuracy": 0.97},
        "job_ready": {"net_kph": 8000, "accuracy": 0.98},
        "proficient": {"net_kph": 10000, "accuracy": 0.99},
    },
    "transcription": {
        "foundation": {"net_wpm": 25, "accuracy": 0.95},
        "job_ready": {"net_wpm": 30, "accuracy": 0.97},
        "proficient": {"net_wpm": 45, "accuracy": 0.98},
    },
    # Reconciliation norms are local: calibrate on incumbents (anchors §3.4).
    "reconciliation": {},
}
BAND_ORDER = ("proficient", "job_ready", "foundation")
PRIMARY_ACCURACY = {
    "record_entry": "field_accuracy",
    "ten_key": "entry_accuracy",
    "transcription": "char_accuracy",
    "reconciliation": "f1",
}

# Validity floor (Monkeytype: ≥ 15 s or ≥ 10 words).
MIN_VALID_SECONDS = 15.0
MIN_VALID_ITEMS = 10
# Human ceilings. 30,000 KPH is three times a proficient 10-key operator;
# 200 WPM held over a whole passage is world-record territory.
MAX_GROSS_KPH = 30000.0
MAX_GROSS_WPM = 200.0

KEYSTROKES_PER_WORD = 5


def empty_result(kind: str, seconds: float, classes: Sequence[str]) -> Result:
    """Every result has the same keys; a metric that does not apply is None."""
    return {
        "kind": kind,
        "validity": "valid",
        "validity_reason": "",
        "band": None,
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
    """
    if not events:
        return
    analytics = keylog.reduce_events(events)
    result["analytics"] = analytics
    result["K_raw"] = analytics["K_raw"]
    result["numpad_pct"] = analytics["numpad_pct"]
    result["keystroke_accuracy"] = keylog.keystroke_accuracy(
        events, expected, by_word_items=by_word_items, amount_inputs=amount_inputs
    )


def _speed_problem(result: Result) -> str:
    """Why the speed is beyond a human, or "" when it is not."""
    if result["kind"] == "transcription":
        if result["gross_wpm"] is not None and result["gross_wpm"] > MAX_GROSS_WPM:
            return f"gross speed {result['gross_wpm']:.0f} WPM is above {MAX_GROSS_WPM:.0f} WPM"
    elif result["gross_kph"] is not None and result["gross_kph"] > MAX_GROSS_KPH:
        return f"gross speed {result['gross_kph']:.0f} KPH is above {MAX_GROSS_KPH:.0f} KPH"
    return ""


def _set_validity(
    result: Result, items_done: int, timing: Mapping[str, Any] | None
) -> None:
    """Validity floor (too short) first, then plausibility of speed and timing."""
    seconds = result["T_s"]
    if seconds < MIN_VALID_SECONDS and items_done < MIN_VALID_ITEMS:
        result["validity"] = "invalid_too_short"
        result["validity_reason"] = (
            f"{seconds:.1f} s and {items_done} item(s): a result needs at least "
            f"{MIN_VALID_SECONDS:.0f} s or {MIN_VALID_ITEMS} items."
        )
        return
    typing = result["kind"] != "reconciliation"
    reasons = []
    if typing and seconds <= 0:
        reasons.append("no elapsed time was recorded for typed work")
    speed = _speed_problem(result) if typing else ""
    if speed:
        reasons.append(speed)
    if timing is not None and keylog.timing_is_implausible(timing):
        reasons.append(
            f"{timing['fast_share']:.0%} of key intervals are under "
            f"{keylog.FAST_INTERVAL_MS:.0f} ms"
        )
    if reasons:
        result["validity"] = "invalid_implausible"
        result["validity_reason"] = (
            "Implausible for a person: " + "; ".join(reasons) + "."
        )
        if speed:
            _note_speed_flag(result["flags"], speed, result)


def _note_speed_flag(flags: list[dict[str, Any]], speed: str, result: Result) -> None:
    """Put the speed evidence on the implausible_timing flag (one flag per code)."""
    evidence = {"gross_kph": result["gross_kph"], "gross_wpm": result["gross_wpm"]}
    for flag in flags:
        if flag["code"] == "implausible_timing":
            flag["evidence"].update(evidence)
            flag["message"] += f" Also: {speed}."
            return
    flags.append(
        {
            "code": "implausible_timing",
            "message": f"Speed is beyond a person: {speed}.",
            "evidence": evidence,
        }
    )


def _bands(kind: str, snapshot: Mapping[str, Any]) -> Mapping[str, Any]:
    bands = snapshot.get("bands")
    if isinstance(bands, Mapping) and bands:
        return bands
    return DEFAULT_BANDS.get(kind, {})


def _meets(result: Result, thresholds: Mapping[str, Any]) -> bool:
    """Every numeric threshold met; a metric that does not apply (None) is skipped."""
    for metric, minimum in thresholds.items():
        if isinstance(minimum, bool) or not isinstance(minimum, int | float):
            continue
        value = result.get(metric)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if value < minimum:
            return False
    return True


def band_for(result: Result, bands: Mapping[str, Any]) -> str | None:
    """The highest band whose thresholds the result meets, or None."""
    if result["validity"] != "valid":
        return None
    for name in BAND_ORDER:
        thresholds = bands.get(name)
        if not isinstance(thresholds, Mapping):
            continue
        if result["kind"] == "record_entry" and "critical_accuracy" not in thresholds:
            # "Critical fields must be 100 % correct to pass" (anchors §3.1).
            thresholds = {**thresholds, "critical_accuracy": 1.0}
        if _meets(result, thresholds):
            return name
    return None


def finish(
    result: Result,
    snapshot: Mapping[str, Any],
    responses: Any,
    events: Any,
    items_done: int,
) -> Result:
    """Flags, validity and band: the same for every kind."""
    result["accuracy"] = result[PRIMARY_ACCURACY[result["kind"]]]
    log = keylog.checked(events)
    timing = keylog.timing_stats(log) if log else None
    result["flags"] = (
        keylog.integrity_flags(snapshot, responses, log, timing=timing) if log else []
    )
    _set_validity(result, items_done, timing)
    result["band"] = band_for(result, _bands(result["kind"], snapshot))
    return result
