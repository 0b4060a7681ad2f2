"""Pass bands: which band a result reaches, and one sentence saying why.

Bands are configurable per test (the snapshot's `bands`, frozen at start);
these defaults apply when a test has none (anchors §4). A band is reached
when every numeric threshold it names is met; `accuracy` means the kind's
headline accuracy. Record entry also needs every critical field right unless
the band says otherwise. Only a `valid` result gets a band.

`explain_band` writes what held the band back, for the learner:
"Your speed meets Proficient; field accuracy 93.3 % is below the 97 %
Foundation needs; one critical field was wrong."
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

Result = dict[str, Any]

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
BAND_ORDER = ("proficient", "job_ready", "foundation")  # highest first
BAND_LABELS = {
    "foundation": "Foundation",
    "job_ready": "Job-ready",
    "proficient": "Proficient",
}
# The metric each kind's `accuracy` stands for in its bands.
PRIMARY_ACCURACY = {
    "record_entry": "field_accuracy",
    "ten_key": "entry_accuracy",
    "transcription": "char_accuracy",
    "reconciliation": "f1",
}

# How a metric is named and written in an explanation: (name, unit); the
# unit "%" writes a fraction as a percentage.
METRIC_WORDS = {
    "net_kph": ("your speed", "net KPH"),
    "net_wpm": ("your speed", "net WPM"),
    "gross_kph": ("your gross speed", "KPH"),
    "gross_wpm": ("your gross speed", "WPM"),
    "field_accuracy": ("field accuracy", "%"),
    "record_accuracy": ("record accuracy", "%"),
    "critical_accuracy": ("critical-field accuracy", "%"),
    "entry_accuracy": ("entry accuracy", "%"),
    "char_accuracy": ("character accuracy", "%"),
    "keystroke_accuracy": ("keystroke accuracy", "%"),
    "precision": ("precision", "%"),
    "recall": ("recall", "%"),
    "f1": ("F1", "%"),
    "pair_accuracy": ("pair accuracy", "%"),
    "completion_pct": ("completion", "pct"),
}
SPEED_METRICS = ("net_kph", "net_wpm", "gross_kph", "gross_wpm")
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")
NO_BANDS = "this test sets no bands, so compare the result with local norms"


def bands_for(kind: str, snapshot: Mapping[str, Any]) -> Mapping[str, Any]:
    """The test's own bands, else the defaults for its kind."""
    bands = snapshot.get("bands")
    if isinstance(bands, Mapping) and bands:
        return bands
    return DEFAULT_BANDS.get(kind, {})


def _number(value: Any) -> float | None:
    """A finite number, or None (bools, None, text and NaN are not thresholds)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int beyond float range
        return None
    return number if math.isfinite(number) else None


def thresholds_of(kind: str, band: Any) -> dict[str, float]:
    """A band's usable numeric thresholds, with the critical-field rule added."""
    if not isinstance(band, Mapping):
        return {}
    thresholds = {
        metric: number
        for metric, minimum in band.items()
        if isinstance(metric, str) and (number := _number(minimum)) is not None
    }
    if kind == "record_entry" and "critical_accuracy" not in band:
        # "Critical fields must be 100 % correct to pass" (anchors §3.1).
        thresholds["critical_accuracy"] = 1.0
    return thresholds


def _ladder(kind: str, bands: Mapping[str, Any]) -> list[tuple[str, dict[str, float]]]:
    """The test's bands, lowest first, with their thresholds."""
    return [
        (name, thresholds_of(kind, bands[name]))
        for name in reversed(BAND_ORDER)
        if isinstance(bands.get(name), Mapping)
    ]


def _value(result: Result, metric: str) -> float | None:
    return _number(result.get(metric))


def _meets(result: Result, thresholds: Mapping[str, float]) -> bool:
    """Every threshold met; a metric that does not apply (None) is skipped."""
    return all(
        value >= minimum
        for metric, minimum in thresholds.items()
        if (value := _value(result, metric)) is not None
    )


def band_for(result: Result, bands: Mapping[str, Any]) -> str | None:
    """The highest band whose thresholds the result meets, or None."""
    if result["validity"] != "valid":
        return None
    for name, thresholds in reversed(_ladder(result["kind"], bands)):
        if _meets(result, thresholds):
            return name
    return None


# --------------------------------------------------------------------------
# The band explained
# --------------------------------------------------------------------------


def _label(band: str) -> str:
    return BAND_LABELS.get(band, band.replace("_", " ").capitalize())


def _words(result: Result, metric: str) -> tuple[str, str]:
    if metric == "accuracy":
        metric = PRIMARY_ACCURACY.get(result["kind"], "accuracy")
    return METRIC_WORDS.get(metric, (metric.replace("_", " "), ""))


def percent(fraction: float) -> str:
    """A fraction as a learner reads it, truncated to a tenth: 0.9333 → "93.3 %"."""
    return _written(fraction, "%", down=True)


def _written(value: float, unit: str, *, down: bool) -> str:
    """A metric as a learner reads it; `down` truncates so a value just under
    a threshold never prints as the threshold."""
    if unit == "%":
        value *= 100
    if not math.isfinite(value) or abs(value) >= 1e15:  # a content slip
        text = f"{value:.3g}"
    elif unit in ("%", "pct", "net WPM", "WPM", ""):
        tenths = math.floor(value * 10 + 1e-9) if down else round(value * 10)
        text = f"{tenths / 10:,.1f}".removesuffix(".0")
    else:
        text = f"{math.floor(value + 1e-9) if down else round(value):,}"
    if unit in ("%", "pct"):
        return f"{text} %"
    return f"{text} {unit}".rstrip()


def _critical_wrong(result: Result) -> int:
    return sum(
        1
        for item in result.get("items") or ()
        for field in item.get("fields") or ()
        if field.get("critical") and field.get("status") in ("error", "blank")
    )


def _below(result: Result, metric: str, minimum: float, band: str) -> str:
    if metric == "critical_accuracy" and minimum >= 1.0:
        wrong = _critical_wrong(result)
        if wrong:
            count = NUMBER_WORDS[wrong] if wrong < len(NUMBER_WORDS) else str(wrong)
            return f"{count} critical field{'s were' if wrong > 1 else ' was'} wrong"
    name, unit = _words(result, metric)
    value = _value(result, metric) or 0.0
    return (
        f"{name} {_written(value, unit, down=True)} is below the "
        f"{_written(minimum, unit, down=False)} {_label(band)} needs"
    )


def _met(
    result: Result, metric: str, ladder: list[tuple[str, dict[str, float]]]
) -> str:
    """The highest band this metric alone meets: `your speed meets Proficient`."""
    value = _value(result, metric) or 0.0
    best = next(
        (
            name
            for name, thresholds in reversed(ladder)
            if metric not in thresholds or value >= thresholds[metric]
        ),
        ladder[0][0],
    )
    name, unit = _words(result, metric)
    if metric not in SPEED_METRICS:
        name = f"{name} {_written(value, unit, down=True)}"
    return f"{name} meets {_label(best)}"


def _top(result: Result, band: str, thresholds: Mapping[str, float]) -> str:
    """The highest band reached: every figure that earned it."""
    figures = []
    for metric in thresholds:
        value = _value(result, metric)
        if metric == "critical_accuracy" or value is None:
            continue
        name, unit = _words(result, metric)
        figures.append(f"{name} {_written(value, unit, down=True)}")
    if not figures:
        return f"{_label(band)}: every {_label(band)} threshold is met."
    joined = ", ".join(figures[:-1]) + " and " if len(figures) > 1 else ""
    verb = "meet" if len(figures) > 1 else "meets"
    all_critical_right = _value(result, "critical_accuracy") == 1.0
    critical = ", and every critical field was right" if all_critical_right else ""
    return (
        f"{_label(band)}: {joined}{figures[-1]} {verb} every {_label(band)} "
        f"threshold{critical}."
    )


def explain_band(result: Result, bands: Mapping[str, Any]) -> str:
    """One sentence for the learner: what held the band back, or why there is none."""
    if result["validity"] != "valid":
        reason = result["validity_reason"] or "this attempt could not be scored."
        return "No band: " + reason[:1].lower() + reason[1:]
    ladder = _ladder(result["kind"], bands)
    if not ladder:
        return f"No band: {NO_BANDS}."
    band = result["band"]
    names = [name for name, _ in ladder]
    if band is not None and band == names[-1]:
        return _top(result, band, ladder[-1][1])
    target, thresholds = ladder[names.index(band) + 1 if band in names else 0]
    parts = []
    for metric, minimum in thresholds.items():
        value = _value(result, metric)
        if value is None:
            continue
        if value < minimum:
            parts.append(_below(result, metric, minimum, target))
        elif metric != "critical_accuracy":
            parts.append(_met(result, metric, ladder))
    sentence = "; ".join(parts) or f"{_label(target)} is not reached"
    if band is None:
        return sentence[:1].upper() + sentence[1:] + "."
    return f"{_label(band)}: {sentence}."
