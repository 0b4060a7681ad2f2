"""The verdict on a scored result: flags, validity, band and its explanation.

Every kind ends with `finish(result, snapshot, responses, events, work)`.
Validity says whether a result may certify the work it shows. Verdicts,
checked in this order (only a `valid` result gets a band):

* `invalid_implausible`: beyond a person. Typed work with no elapsed time,
  gross speed above the human ceiling, or most key intervals under 15 ms.
* `invalid_too_short`: less than the test's minimum work for a band: a share
  of the drawn items attempted (default 50 %) and a minimum time
  proportional to the work: the whole test's keystrokes at the human ceiling
  speed, never under 15 s (Monkeytype's floor) and never over the time the
  test allows. A test may set its own `min_attempted_share` and
  `min_seconds` (snapshot settings).
* `unverified`: scored and reviewable, but the evidence behind the speed is
  missing or disagrees with the answers: no keystroke log (raised by the
  attempt engine, which hands its flag to `mark_unverified`), key-less
  input, a replay mismatch, or reconciliation rows checked faster than they
  can be read. A trainer can review and accept it.

Nothing is dropped: the reason is in `validity_reason`, the evidence in the
flags.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

from lms.keying import events as keylog
from lms.keying.scoring.bands import (
    PRIMARY_ACCURACY,
    band_for,
    bands_for,
    explain_band,
    percent,
)
from lms.keying.scoring.metrics import KEYSTROKES_PER_WORD, Result

# The floor under every time minimum (Monkeytype: a result needs ≥ 15 s).
MIN_VALID_SECONDS = 15.0
# Share of the drawn items a result must have attempted to earn a band.
DEFAULT_MIN_ATTEMPTED_SHARE = 0.5
# Human ceilings. 30,000 KPH is three times a proficient 10-key operator;
# 200 WPM held over a whole passage is world-record territory.
MAX_GROSS_KPH = 30000.0
MAX_GROSS_WPM = 200.0
# Reading a ledger or statement row (or one side of a pair) and comparing it
# takes a person seconds; a script diffing the page's data takes a fraction.
MIN_SECONDS_PER_ROW = 0.5

# Flags that leave the speed uncertified, and how the reason names them.
UNVERIFIED_BECAUSE = {
    "no_keystroke_log": "no keystroke record was received for this attempt",
    "keyless_input": "some answers arrived without the keys being pressed for them",
    "replay_mismatch": "the submitted answers differ from what the keystrokes typed",
    "implausible_pace": "the rows were checked faster than they can be read",
}


class Work(NamedTuple):
    """How much of the drawn test an attempt got through, for the minimums."""

    done: float  # fields typed, entries keyed, passage characters reached, ...
    total: float  # the same, drawn for this attempt
    noun: str  # "fields", "entries", "passage characters", "pairs", "sets"
    verb: str  # "typed", "keyed", "reached", "answered"
    keystrokes: int = 0  # the whole drawn test keyed as shown (typed kinds)
    rows: int = 0  # rows to read and compare (reconciliation)

    @property
    def share(self) -> float:
        return min(self.done / self.total, 1.0) if self.total > 0 else 0.0


def _number(value: Any, low: float, high: float) -> float | None:
    """A setting as a finite float in [low, high], or None if it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        value = float(value)
    except OverflowError:  # an int beyond float range
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def _time_allowed(snapshot: Mapping[str, Any]) -> float | None:
    """The attempt's time limit plus extra time, from the engine's part of the
    snapshot; None when the test is untimed."""
    engine = snapshot.get("engine")
    if not isinstance(engine, Mapping):
        return None
    limit = _number(engine.get("time_limit_seconds"), 1e-9, math.inf)
    if limit is None:
        return None
    return limit + (_number(engine.get("extra_seconds"), 0, math.inf) or 0.0)


def _ceiling_per_second(kind: str) -> float:
    if kind == "transcription":
        return MAX_GROSS_WPM * KEYSTROKES_PER_WORD / 60
    return MAX_GROSS_KPH / 3600


def minimums(kind: str, snapshot: Mapping[str, Any], work: Work) -> tuple[float, float]:
    """(share of items, seconds) a result needs before it can earn a band."""
    share = _number(snapshot.get("min_attempted_share"), 0.0, 1.0)
    if share is None:
        share = DEFAULT_MIN_ATTEMPTED_SHARE
    seconds = _number(snapshot.get("min_seconds"), 0.0, math.inf)
    if seconds is None:
        seconds = max(MIN_VALID_SECONDS, work.keystrokes / _ceiling_per_second(kind))
    allowed = _time_allowed(snapshot)
    return share, seconds if allowed is None else min(seconds, allowed)


def _speed_problem(result: Result) -> str:
    """Why the speed is beyond a human, or "" when it is not."""
    if result["kind"] == "transcription":
        wpm = result["gross_wpm"]
        if wpm is not None and wpm > MAX_GROSS_WPM:
            return f"gross speed {wpm:.0f} WPM is above {MAX_GROSS_WPM:.0f} WPM"
    elif result["gross_kph"] is not None and result["gross_kph"] > MAX_GROSS_KPH:
        kph = result["gross_kph"]
        return f"gross speed {kph:.0f} KPH is above {MAX_GROSS_KPH:.0f} KPH"
    return ""


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


def _implausible(result: Result, timing: Mapping[str, Any] | None) -> bool:
    """invalid_implausible when typed work is beyond a person; True if so."""
    if result["kind"] == "reconciliation":
        return False
    reasons = []
    if result["T_s"] <= 0 and (result["K_final"] or 0) > 0:
        reasons.append("no elapsed time was recorded for typed work")
    speed = _speed_problem(result)
    if speed:
        reasons.append(speed)
    if timing is not None and keylog.timing_is_implausible(timing):
        reasons.append(
            f"{timing['fast_share']:.0%} of key intervals are under "
            f"{keylog.FAST_INTERVAL_MS:.0f} ms"
        )
    if not reasons:
        return False
    result["validity"] = "invalid_implausible"
    result["validity_reason"] = "Implausible for a person: " + "; ".join(reasons) + "."
    if speed:
        _note_speed_flag(result["flags"], speed, result)
    return True


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _too_short(result: Result, snapshot: Mapping[str, Any], work: Work) -> bool:
    """invalid_too_short below the test's minimum work; True if so."""
    share, seconds = minimums(result["kind"], snapshot, work)
    if work.share >= share and result["T_s"] >= seconds:
        return False
    result["validity"] = "invalid_too_short"
    result["validity_reason"] = (
        f"{result['T_s']:.1f} s and {_count(work.done)} of {_count(work.total)} "
        f"{work.noun} {work.verb} ({percent(work.share)}): a result needs at least "
        f"{math.ceil(seconds - 1e-9):.0f} s and {percent(share)} of the "
        f"{work.noun} {work.verb}."
    )
    return True


def _pace_flag(result: Result, snapshot: Mapping[str, Any], work: Work) -> Any:
    """Reconciliation answered faster than its rows can be read, or None."""
    if work.rows <= 0 or work.done <= 0:
        return None
    floor = _number(snapshot.get("min_seconds_per_row"), 0.0, math.inf)
    floor = MIN_SECONDS_PER_ROW if floor is None else floor
    per_row = result["T_s"] / work.rows
    if per_row >= floor:
        return None
    return {
        "code": "implausible_pace",
        "message": (
            f"{work.rows} rows were checked in {result['T_s']:.0f} s "
            f"({per_row:.1f} s a row): faster than rows can be read and compared "
            f"(at least {floor:g} s a row)."
        ),
        "evidence": {
            "rows": work.rows,
            "seconds": result["T_s"],
            "seconds_per_row": per_row,
            "min_seconds_per_row": floor,
        },
    }


def _unverified(result: Result) -> bool:
    """unverified when a valid result's evidence is missing or disagrees."""
    if result["validity"] not in ("valid", "unverified"):
        return False
    present = {f.get("code") for f in result["flags"] if isinstance(f, Mapping)}
    reasons = [text for code, text in UNVERIFIED_BECAUSE.items() if code in present]
    if not reasons:
        return False
    what = "result" if result["kind"] == "reconciliation" else "speed"
    sentence = "; ".join(reasons)
    result["validity"] = "unverified"
    result["validity_reason"] = (
        f"{sentence[:1].upper()}{sentence[1:]}, so the {what} cannot be "
        "certified; a trainer can review and accept it."
    )
    return True


def judge(
    result: Result,
    snapshot: Mapping[str, Any],
    work: Work,
    timing: Mapping[str, Any] | None,
) -> None:
    """Set `validity` and `validity_reason` (the checks in the module docstring)."""
    if result["kind"] == "reconciliation":
        pace = _pace_flag(result, snapshot, work)
        if pace is not None:
            result["flags"].append(pace)
    if not _implausible(result, timing) and not _too_short(result, snapshot, work):
        _unverified(result)


def mark_unverified(result: Result, flag: Mapping[str, Any]) -> Result:
    """Add an evidence flag found outside the scorer and apply what it means.

    The attempt engine calls this with its `no_keystroke_log` flag (it is the
    one that cuts the log at the deadline). A flag in UNVERIFIED_BECAUSE makes
    a valid result `unverified`: no band, not passed, the reason and the
    band explanation rewritten. An invalid result stays invalid. The same
    code twice is one flag.
    """
    code = flag.get("code")
    if not any(
        isinstance(f, Mapping) and f.get("code") == code for f in result["flags"]
    ):
        result["flags"].append(dict(flag))
    if _unverified(result):
        result["band"] = None
        result["passed"] = False
        result["band_explanation"] = explain_band(result, {})
    return result


def finish(
    result: Result,
    snapshot: Mapping[str, Any],
    responses: Any,
    events: Any,
    work: Work,
) -> Result:
    """Flags, validity and band: the same for every kind."""
    kind = result["kind"]
    result["accuracy"] = result[PRIMARY_ACCURACY[kind]]
    log = keylog.checked(events)
    timing = keylog.timing_stats(log) if log else None
    result["flags"] = (
        keylog.integrity_flags(snapshot, responses, log, timing=timing) if log else []
    )
    judge(result, snapshot, work, timing)
    bands = bands_for(kind, snapshot)
    result["band"] = band_for(result, bands)
    result["passed"] = result["band"] is not None
    result["band_explanation"] = explain_band(result, bands)
    return result


def accept(
    result: Mapping[str, Any], snapshot: Mapping[str, Any], acceptance: dict[str, Any]
) -> Result:
    """An unverified result after a trainer reviewed the evidence and accepted it:
    valid, with the band its figures earn, and the acceptance (who, when, why)
    kept beside the flags, which stay as they were."""
    if result.get("validity") != "unverified":
        raise ValueError("Only an unverified result can be accepted.")
    accepted = dict(result)
    accepted["validity"] = "valid"
    accepted["validity_reason"] = None
    accepted["accepted"] = dict(acceptance)
    bands = bands_for(accepted["kind"], snapshot)
    accepted["band"] = band_for(accepted, bands)
    accepted["passed"] = accepted["band"] is not None
    accepted["band_explanation"] = explain_band(accepted, bands)
    return accepted
