"""Keying test scoring: pure functions from an attempt's snapshot and answers to a result.

No Flask and no database. The attempt engine calls `score(snapshot, responses,
events, elapsed_seconds)` once, at submit or expiry; the snapshot it took at
start holds the answer key. The result is a JSON-ready dict whose names follow
research/data-entry-anchors.md §3 (docs/keying.md defines every one):
speeds (gross/net KPH and WPM), outcome accuracies (field, record, critical,
entry, character), process accuracy from the keystroke log, error counts by
class, a pass band, a validity verdict and per-item detail with a character
diff for the results page.

Decisions, in one place:

* Text is compared by alignment, never by position: optimal string alignment
  (OSA) distance from rapidfuzz, edit operations from rapidfuzz's Levenshtein
  editops with adjacent swaps folded into one transposition (anchors §2.5).
  When the folded script is longer than the OSA distance (rare ties), a small
  pure-Python OSA backtrace gives the exact script instead.
* Surrounding whitespace is never graded: an invisible trailing space is not
  what any SOP asks about. Inside a value, every profile says what it ignores.
* Field-level errors (blank, skipped_entry, extra_entry, format,
  decimal_shift, sign) count once per field and replace that field's
  character counts in `error_counts`; otherwise each character operation
  counts in its class. The diff always shows the characters.
* Unreached work at time-out is not an error: fields after the last one typed,
  entries after the last one keyed and passage text after the last word typed
  lower completion and speed, not accuracy (eSkill/Criteria, Monkeytype).
  Blanks before that point are errors.
* Accuracies are fractions in [0, 1]; a ratio over nothing is 0.0 (nothing
  earns nothing). Names ending in `_pct` are percentages (0–100).
* A result that is not `valid` gets no band; nothing is silently dropped: the
  reason is in `validity_reason` and the flags stay for a trainer to review.
* Missing, unknown or malformed answers count as blank and never raise.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from rapidfuzz.distance import OSA, Levenshtein

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

# Longest value the pure-Python OSA fallback will take on (it is O(n·m));
# longer texts keep the rapidfuzz script, which is at most a few ops longer.
FALLBACK_MAX_CELLS = 40_000


# --------------------------------------------------------------------------
# Reading the snapshot and responses defensively
# --------------------------------------------------------------------------


def _typed_text(value: Any) -> str:
    """A learner's answer: only strings count, trimmed; anything else is blank."""
    return value.strip() if isinstance(value, str) else ""


def _expected_text(value: Any) -> str:
    """An answer-key value; numbers from TOML/JSON content are read as their text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)
    return ""


def _name(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    """The dict members of a list (content lists may hold junk; skip it)."""
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def _strings(value: Any) -> list[str]:
    """The non-empty string members of a list, trimmed."""
    if not isinstance(value, list | tuple | set | frozenset):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


def _seconds(value: Any) -> float:
    """Elapsed seconds as a finite, non-negative float."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return 0.0
    try:
        seconds = float(value)
    except (ValueError, OverflowError):  # sNaN, or an int beyond float range
        return 0.0
    return seconds if math.isfinite(seconds) and seconds > 0 else 0.0


def _ratio(part: float, whole: float) -> float:
    """part / whole clamped to [0, 1]; 0.0 over nothing."""
    if whole <= 0:
        return 0.0
    return min(max(part / whole, 0.0), 1.0)


# --------------------------------------------------------------------------
# Character alignment
# --------------------------------------------------------------------------

# Edit operations use rapidfuzz's tags plus our own "transpose"; the diff and
# the error classes use the names the results page shows.
DIFF_OP = {
    "replace": "substitute",
    "delete": "omit",
    "insert": "insert",
    "transpose": "transpose",
}
OP_CLASS = {
    "replace": "substitution",
    "delete": "omission",
    "insert": "insertion",
    "transpose": "transposition",
}
# The same classes keyed by diff op, for diffs built elsewhere.
DIFF_OP_CLASS = {DIFF_OP[tag]: cls for tag, cls in OP_CLASS.items()}
# Both names per tag in one lookup (hot loop in `align`).
_TAG_INFO = {tag: (DIFF_OP[tag], OP_CLASS[tag]) for tag in DIFF_OP}

Op = tuple[str, int, int]  # (tag, expected index, typed index)
Diff = list[dict[str, str]]
Keys = str | list[str]


class Alignment(NamedTuple):
    """Character-level comparison of one expected and one typed value."""

    distance: int  # OSA distance: errors counting a swap as one
    counts: dict[str, int]  # error class → number of character operations
    diff: Diff  # [{"op", "expected", "typed"}] covering both strings in order


# NamedTuple's generated __new__ adds a Python frame; on the per-field hot
# path building the tuple directly is measurably cheaper (see the benchmark).
_new_tuple = tuple.__new__


def _fold_swaps(editops: list[Op], e: Keys, t: Keys) -> list[Op]:
    """Fold adjacent swaps in Levenshtein editops into one "transpose" each.

    Levenshtein spells a swap `ab`→`ba` in one of three ways (two replaces,
    insert-then-delete, delete-then-insert); each costs 2 there and 1 in OSA.
    """
    ops: list[Op] = []
    k, n = 0, len(editops)
    while k < n:
        tag, i, j = editops[k]
        if k + 1 < n:
            tag2, i2, j2 = editops[k + 1]
            if (
                (
                    (
                        tag == "replace"
                        and tag2 == "replace"
                        and i2 == i + 1
                        and j2 == j + 1
                    )
                    or (
                        tag == "insert"
                        and tag2 == "delete"
                        and i2 == i + 1
                        and j2 == j + 2
                    )
                    or (
                        tag == "delete"
                        and tag2 == "insert"
                        and i2 == i + 2
                        and j2 == j + 1
                    )
                )
                and e[i] == t[j + 1]
                and e[i + 1] == t[j]
                and e[i] != e[i + 1]
            ):
                ops.append(("transpose", i, j))
                k += 2
                continue
        ops.append((tag, i, j))
        k += 1
    return ops


def osa_ops(e: Keys, t: Keys) -> list[Op]:
    """Exact OSA edit script by dynamic programming (anchors §2.5 reference).

    Used only when the folded rapidfuzz script is longer than the OSA
    distance (overlapping errors); O(len(e)·len(t)), fine for field values.
    """
    n, m = len(e), len(t)
    d = [list(range(m + 1))] + [[i] + [0] * m for i in range(1, n + 1)]
    for i in range(1, n + 1):
        row, up = d[i], d[i - 1]
        ei = e[i - 1]
        for j in range(1, m + 1):
            best = min(up[j] + 1, row[j - 1] + 1, up[j - 1] + (ei != t[j - 1]))
            if i > 1 and j > 1 and ei == t[j - 2] and e[i - 2] == t[j - 1]:
                best = min(best, d[i - 2][j - 2] + 1)
            row[j] = best
    ops: list[Op] = []
    i, j = n, m
    while i > 0 or j > 0:
        if (
            i > 1
            and j > 1
            and e[i - 1] == t[j - 2]
            and e[i - 2] == t[j - 1]
            and e[i - 1] != e[i - 2]
            and d[i][j] == d[i - 2][j - 2] + 1
        ):
            ops.append(("transpose", i - 2, j - 2))
            i, j = i - 2, j - 2
        elif i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (e[i - 1] != t[j - 1]):
            if e[i - 1] != t[j - 1]:
                ops.append(("replace", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            ops.append(("delete", i - 1, j))
            i -= 1
        else:
            ops.append(("insert", i, j - 1))
            j -= 1
    ops.reverse()
    return ops


def _push(diff: Diff, op: str, expected: str, typed: str) -> None:
    """Append a diff segment, merging runs of the same kind (not swaps)."""
    if diff and op != "transpose":
        last = diff[-1]
        if last["op"] == op:
            last["expected"] += expected
            last["typed"] += typed
            return
    diff.append({"op": op, "expected": expected, "typed": typed})


def align(
    expected: str,
    typed: str,
    *,
    expected_keys: Keys | None = None,
    typed_keys: Keys | None = None,
) -> Alignment:
    """Align typed against expected and classify every difference.

    `expected_keys`/`typed_keys` (one entry per character) let a profile
    compare characters in a folded form (case-insensitive, NFKC) while the
    diff still shows the characters as written. Runs of the same operation
    merge into one diff segment (a swap never does), so a page marks
    "omitted: 00" rather than two separate zeros.
    """
    e: Keys = expected if expected_keys is None else expected_keys
    t: Keys = typed if typed_keys is None else typed_keys
    if not t or not e:
        if not e and not t:
            return _new_tuple(Alignment, (0, {}, []))
        op, cls = ("omit", "omission") if e else ("insert", "insertion")
        size = len(e) or len(t)
        return _new_tuple(
            Alignment,
            (size, {cls: size}, [{"op": op, "expected": expected, "typed": typed}]),
        )
    distance = OSA.distance(e, t)
    if not distance:
        return _new_tuple(
            Alignment, (0, {}, [{"op": "equal", "expected": expected, "typed": typed}])
        )
    ops = Levenshtein.editops(e, t).as_list()
    # Equal lengths mean the Levenshtein script is already OSA-optimal: a
    # foldable swap would make it shorter than the OSA distance.
    if len(ops) != distance:
        ops = _fold_swaps(ops, e, t)
        if len(ops) != distance and len(e) * len(t) <= FALLBACK_MAX_CELLS:
            ops = osa_ops(e, t)

    # One loop without helper calls: it runs for every wrong field.
    counts: dict[str, int] = {}
    diff: Diff = []
    last: dict[str, str] = {}
    last_tag = ""
    ei = tj = 0
    for tag, i, j in ops:
        if i > ei:
            diff.append(
                {"op": "equal", "expected": expected[ei:i], "typed": typed[tj:j]}
            )
            last_tag = ""
        if tag == "replace":
            e_part, t_part, ei, tj = expected[i], typed[j], i + 1, j + 1
        elif tag == "delete":
            e_part, t_part, ei, tj = expected[i], "", i + 1, j
        elif tag == "insert":
            e_part, t_part, ei, tj = "", typed[j], i, j + 1
        else:
            e_part, t_part = expected[i : i + 2], typed[j : j + 2]
            ei, tj = i + 2, j + 2
        op, cls = _TAG_INFO[tag]
        counts[cls] = counts.get(cls, 0) + 1
        if tag == last_tag and tag != "transpose":
            last["expected"] += e_part
            last["typed"] += t_part
        else:
            last = {"op": op, "expected": e_part, "typed": t_part}
            diff.append(last)
            last_tag = tag
    if ei < len(expected) or tj < len(typed):
        diff.append({"op": "equal", "expected": expected[ei:], "typed": typed[tj:]})
    return _new_tuple(Alignment, (distance, counts, diff))


# --------------------------------------------------------------------------
# Comparator profiles
# --------------------------------------------------------------------------


class Verdict(NamedTuple):
    """How one typed value compares with its expected value."""

    status: str  # exact | normalized_match | error | blank
    classes: tuple[str, ...]  # field-level error classes (format, sign, ...)
    alignment: Alignment


def _accepted(expected: str, typed: str) -> Verdict:
    return Verdict(
        "normalized_match",
        (),
        Alignment(0, {}, [{"op": "equal", "expected": expected, "typed": typed}]),
    )


def _rejected(alignment: Alignment, classes: tuple[str, ...] = ()) -> Verdict:
    return Verdict("error", classes, alignment)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _fold_keys(text: str) -> list[str]:
    # Per character, so the diff can still point at the characters as typed.
    return [_fold(char) for char in text]


def _folded_pair(expected: str, typed: str) -> tuple[Keys, Keys]:
    """Case-insensitive comparison keys, one per character of each value.

    ASCII (the usual case) folds with lower(), which keeps the length and
    hands rapidfuzz strings (about twice as fast as lists); anything else
    folds per character, because NFKC + casefold may turn one character into
    several and the diff must still index the characters as written.
    """
    if expected.isascii() and typed.isascii():
        return expected.lower(), typed.lower()
    return _fold_keys(expected), _fold_keys(typed)


def compare_exact(expected: str, typed: str, fmt: str | None = None) -> Verdict:
    return _rejected(align(expected, typed))


def compare_normalized(expected: str, typed: str, fmt: str | None = None) -> Verdict:
    """Case, width (NFKC) and runs of whitespace are ignored."""
    e, t = " ".join(expected.split()), " ".join(typed.split())
    if _fold(e) == _fold(t):
        return _accepted(expected, typed)
    e_keys, t_keys = _folded_pair(e, t)
    return _rejected(align(e, t, expected_keys=e_keys, typed_keys=t_keys))


_ID_SEPARATORS = re.compile(r"[\s\-]+")


def compare_identifier(expected: str, typed: str, fmt: str | None = None) -> Verdict:
    """Spaces and hyphens removed, case-insensitive; every other character counts."""
    e, t = _ID_SEPARATORS.sub("", expected), _ID_SEPARATORS.sub("", typed)
    if _fold(e) == _fold(t):
        return _accepted(expected, typed)
    e_keys, t_keys = _folded_pair(e, t)
    return _rejected(align(e, t, expected_keys=e_keys, typed_keys=t_keys))


_AMOUNT = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?")
_AMOUNT_NOISE = re.compile(r"[\s,]+")


class Amount(NamedTuple):
    value: Decimal
    negative: bool
    significant: str  # the digits without leading/trailing zeros: "125" for 1,250.00


def parse_amount(text: str) -> Amount | None:
    """A plain decimal amount (commas and spaces ignored), or None if it is not one."""
    match = _AMOUNT.fullmatch(_AMOUNT_NOISE.sub("", text))
    if match is None or not (match[2] or match[3]):
        return None
    value = Decimal(match[0])
    significant = (match[2] + (match[3] or "")).strip("0")
    return Amount(value, match[1] == "-" and value != 0, significant)


def number_classes(expected: Amount, typed: Amount) -> tuple[str, ...]:
    """Name a numeric error: sign, decimal_shift (×10ⁿ), both, or neither.

    A shift keeps the significant digits and moves the decimal point
    (1,250.00 → 125.00 or 12.50); a sign error keeps the size.
    """
    if expected.value == typed.value:
        return ()
    classes = []
    if abs(expected.value) != abs(typed.value):
        if not expected.significant or expected.significant != typed.significant:
            return ()
        classes.append("decimal_shift")
    if expected.negative != typed.negative and expected.value and typed.value:
        classes.append("sign")
    return tuple(classes)


def compare_amount(expected: str, typed: str, fmt: str | None = None) -> Verdict:
    """Equal as decimal numbers: 1,250.00 = 1250.00 = 1250; shift and sign named."""
    e_amount, t_amount = parse_amount(expected), parse_amount(typed)
    if e_amount is None:
        # The key is not an amount (a content slip): grade character for character.
        return compare_exact(expected, typed)
    if t_amount is not None and t_amount.value == e_amount.value:
        return _accepted(expected, typed)
    classes = number_classes(e_amount, t_amount) if t_amount else ()
    e, t = _AMOUNT_NOISE.sub("", expected), _AMOUNT_NOISE.sub("", typed)
    return _rejected(align(e, t), classes)


# Other ways people write a date: a typed date in one of these that means the
# expected day is a `format` error, not a wrong date.
ALTERNATIVE_DATE_FORMATS = (
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d-%m-%y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%b %d %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%Y%m%d",
    "%d%m%Y",
)


def parse_date(text: str, fmt: str) -> date | None:
    """The date `text` means in `fmt`, or None (a malformed format never raises)."""
    try:
        return datetime.strptime(text, fmt).date()
    except (ValueError, TypeError, OverflowError, re.error):
        return None


def compare_date(expected: str, typed: str, fmt: str | None = None) -> Verdict:
    """Typed must parse with the declared format and mean the same day."""
    if not isinstance(fmt, str) or not fmt:
        return compare_exact(expected, typed)
    day = parse_date(expected, fmt)
    if day is None:
        return compare_exact(expected, typed)
    typed_day = parse_date(typed, fmt)
    if typed_day == day:
        return _accepted(expected, typed)
    alignment = align(expected, typed)
    if typed_day is None and any(
        parse_date(typed, other) == day
        for other in ALTERNATIVE_DATE_FORMATS
        if other != fmt
    ):
        return _rejected(alignment, ("format",))
    return _rejected(alignment)


PROFILES: dict[str, Callable[[str, str, str | None], Verdict]] = {
    "exact": compare_exact,
    "normalized": compare_normalized,
    "identifier": compare_identifier,
    "amount": compare_amount,
    "date": compare_date,
}

EXACT = "exact"


def compare_field(
    expected: str, typed: str, profile: str, fmt: str | None = None
) -> Verdict:
    """Compare one trimmed typed value with its expected value under a profile.

    Unknown profiles compare exactly. Equal strings never reach a profile:
    every profile accepts them, and skipping the work keeps scoring fast.
    """
    if typed == expected:
        return Verdict(
            EXACT,
            (),
            Alignment(0, {}, [{"op": "equal", "expected": expected, "typed": typed}]),
        )
    if not typed:
        return Verdict(
            "blank",
            ("blank",),
            Alignment(
                len(expected), {}, [{"op": "omit", "expected": expected, "typed": ""}]
            ),
        )
    return PROFILES.get(profile, compare_exact)(expected, typed, fmt)


def compare_entry(expected: str, typed: str, numeric: bool) -> Verdict:
    """Compare a 10-key entry: string-exact by default, so 1250 for 1250.00 is `format`."""
    if typed == expected:
        return Verdict(
            EXACT,
            (),
            Alignment(0, {}, [{"op": "equal", "expected": expected, "typed": typed}]),
        )
    if not typed:
        return Verdict(
            "blank",
            ("blank",),
            Alignment(
                len(expected), {}, [{"op": "omit", "expected": expected, "typed": ""}]
            ),
        )
    e_amount, t_amount = parse_amount(expected), parse_amount(typed)
    if e_amount is not None and t_amount is not None:
        if e_amount.value == t_amount.value:
            if numeric:
                return _accepted(expected, typed)
            return _rejected(align(expected, typed), ("format",))
        return _rejected(align(expected, typed), number_classes(e_amount, t_amount))
    return _rejected(align(expected, typed))


def _error_counts(verdict: Verdict) -> dict[str, int]:
    """A rejected value's contribution to error_counts (see module docstring)."""
    if verdict.classes:
        return dict.fromkeys(verdict.classes, 1)
    return dict(verdict.alignment.counts)


def _add_counts(total: dict[str, int], counts: Mapping[str, int]) -> None:
    for cls, n in counts.items():
        total[cls] = total.get(cls, 0) + n


# --------------------------------------------------------------------------
# Shared result plumbing: speeds, events, validity, bands
# --------------------------------------------------------------------------


def _empty_result(kind: str, seconds: float, classes: Sequence[str]) -> Result:
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


def _set_speeds(result: Result, k_final: int, k_correct: int, seconds: float) -> None:
    """Gross/net KPH from final and accepted keystrokes; WPM = KPH / 300."""
    result["K_final"] = k_final
    result["K_correct"] = k_correct
    result["gross_kph"] = _per_hour(k_final, seconds)
    result["net_kph"] = _per_hour(k_correct, seconds)
    result["gross_wpm"] = result["gross_kph"] / (60 * KEYSTROKES_PER_WORD)
    result["net_wpm"] = result["net_kph"] / (60 * KEYSTROKES_PER_WORD)


def _add_event_metrics(
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


def _finish(
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


# --------------------------------------------------------------------------
# Record entry
# --------------------------------------------------------------------------


class FieldSpec(NamedTuple):
    name: str
    label: str
    profile: str
    critical: bool
    fmt: str | None


def _field_specs(snapshot: Mapping[str, Any]) -> list[FieldSpec]:
    specs = []
    for field in _dicts(snapshot.get("fields")):
        name = _name(field.get("name"))
        label = field.get("label")
        profile = field.get("profile")
        fmt = field.get("format")
        specs.append(
            FieldSpec(
                name,
                label if isinstance(label, str) else name,
                profile if isinstance(profile, str) else EXACT,
                field.get("critical") is True,
                fmt if isinstance(fmt, str) else None,
            )
        )
    return specs


def score_record_entry(
    snapshot: Mapping[str, Any], responses: Any, events: Any, elapsed_seconds: float
) -> Result:
    """Score a record-entry attempt: fields of source records keyed into a form.

    Field accuracy = accepted / reached fields; record accuracy = attempted
    records with no field error / attempted records; critical accuracy is the
    field accuracy of critical fields (None when the form has none).
    """
    events = keylog.checked(events)  # checked once, read several times
    seconds = _seconds(elapsed_seconds)
    result = _empty_result("record_entry", seconds, ERROR_CLASSES)
    specs = _field_specs(snapshot)
    responses = _mapping(responses)

    # Pass 1: the values, and the last field typed (later ones are unreached).
    grid: list[tuple[str, list[tuple[str, str]]]] = []
    last = position = -1
    for record in _dicts(snapshot.get("records")):
        rid = _name(record.get("id"))
        values = _mapping(record.get("values"))
        typed_values = _mapping(responses.get(rid))
        row = []
        for spec in specs:
            typed = _typed_text(typed_values.get(spec.name))
            row.append((_expected_text(values.get(spec.name)), typed))
            position += 1
            if typed:
                last = position
        grid.append((rid, row))

    counts = result["error_counts"]
    reached = accepted = crit_reached = crit_accepted = typed_fields = 0
    distance = length = k_final = k_correct = 0
    records_attempted = records_correct = 0
    items = []
    position = -1
    for rid, row in grid:
        fields = []
        record_reached, record_ok = False, True
        for spec, (expected, typed) in zip(specs, row, strict=True):
            position += 1
            if position > last:
                fields.append(_unreached_field(spec, expected))
                continue
            record_reached = True
            verdict = compare_field(expected, typed, spec.profile, spec.fmt)
            ok = verdict.status == EXACT or verdict.status == "normalized_match"
            reached += 1
            distance += verdict.alignment.distance
            length += max(len(expected), len(typed))
            if typed:
                typed_fields += 1
                k_final += len(typed) + 1  # + Tab/Enter that ends the field
            if spec.critical:
                crit_reached += 1
                crit_accepted += ok
            if ok:
                accepted += 1
                k_correct += len(typed) + 1 if typed else 0
                errors: dict[str, int] = {}
            else:
                record_ok = False
                errors = _error_counts(verdict)
                _add_counts(counts, errors)
            fields.append(
                {
                    "name": spec.name,
                    "label": spec.label,
                    "profile": spec.profile,
                    "critical": spec.critical,
                    "expected": expected,
                    "typed": typed,
                    "status": verdict.status,
                    "errors": errors,
                    "distance": verdict.alignment.distance,
                    "diff": verdict.alignment.diff,
                }
            )
        if record_reached:
            records_attempted += 1
            records_correct += record_ok
        items.append(
            {
                "id": rid,
                "status": ("correct" if record_ok else "error")
                if record_reached
                else "unreached",
                "fields": fields,
            }
        )

    _set_speeds(result, k_final, k_correct, seconds)
    total_fields = len(specs) * len(grid)
    result["field_accuracy"] = _ratio(accepted, reached)
    result["record_accuracy"] = _ratio(records_correct, records_attempted)
    has_critical = any(spec.critical for spec in specs) and bool(grid)
    result["critical_accuracy"] = (
        _ratio(crit_accepted, crit_reached) if has_critical else None
    )
    result["char_accuracy"] = 1.0 - _ratio(distance, length) if length else 0.0
    result["completion_pct"] = 100.0 * _ratio(reached, total_fields)
    result["items"] = items
    expected_values = {
        rid: {
            spec.name: expected for spec, (expected, _) in zip(specs, row, strict=True)
        }
        for rid, row in grid
    }
    amounts: list[tuple[str, str]] = []
    if events:  # amount fields (with an amount as key) ignore separators
        amounts = [
            (rid, spec.name)
            for rid, row in grid
            for spec, (expected, _) in zip(specs, row, strict=True)
            if spec.profile == "amount" and parse_amount(expected) is not None
        ]
    _add_event_metrics(result, events, expected_values, amount_inputs=amounts)
    return _finish(result, snapshot, responses, events, typed_fields)


def _unreached_field(spec: FieldSpec, expected: str) -> dict[str, Any]:
    return {
        "name": spec.name,
        "label": spec.label,
        "profile": spec.profile,
        "critical": spec.critical,
        "expected": expected,
        "typed": "",
        "status": "unreached",
        "errors": {},
        "distance": 0,
        "diff": [{"op": "unreached", "expected": expected, "typed": ""}],
    }


# --------------------------------------------------------------------------
# 10-key
# --------------------------------------------------------------------------


def _entry_key(value: str, numeric: bool) -> Any:
    """What makes two entries 'the same' when lining up the entry lists."""
    if numeric:
        amount = parse_amount(value)
        if amount is not None:
            return amount.value
    return value


def _pair_block(
    expected: Sequence[str], typed: Sequence[str]
) -> list[tuple[int | None, int | None]]:
    """Pair the entries of one unequal stretch of the two lists.

    Equal lengths pair in order (one wrong entry per row). Otherwise a small
    alignment picks which expected entries were skipped (or which typed ones
    are extra) so the pairs are as similar as possible.
    """
    n, m = len(expected), len(typed)
    if n == m or n * m > 2500:
        pairs: list[tuple[int | None, int | None]] = [(k, k) for k in range(min(n, m))]
        pairs += [(k, None) for k in range(m, n)] + [(None, k) for k in range(n, m)]
        return pairs
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 or j == 0:
                cost[i][j] = float(i + j)
                continue
            sub = OSA.normalized_distance(expected[i - 1], typed[j - 1])
            cost[i][j] = min(
                cost[i - 1][j] + 1, cost[i][j - 1] + 1, cost[i - 1][j - 1] + sub
            )
    pairs = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            sub = OSA.normalized_distance(expected[i - 1], typed[j - 1])
            if math.isclose(cost[i][j], cost[i - 1][j - 1] + sub):
                pairs.append((i - 1, j - 1))
                i, j = i - 1, j - 1
                continue
        if i > 0 and (j == 0 or math.isclose(cost[i][j], cost[i - 1][j] + 1)):
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    pairs.reverse()
    return pairs


def _align_entries(
    expected: list[str], typed: list[str], numeric: bool
) -> list[tuple[int | None, int | None]]:
    """Line up expected entries with the typed (non-blank) entries, in order.

    Returns (expected index, typed index) pairs; None on one side means a
    skipped (or unreached) expected entry or an extra typed one. One skipped
    row is then one error, not a wrong answer on every row after it.
    """
    codes: dict[Any, int] = {}
    e_codes = [codes.setdefault(_entry_key(v, numeric), len(codes)) for v in expected]
    t_codes = [codes.setdefault(_entry_key(v, numeric), len(codes)) for v in typed]
    if e_codes == t_codes:
        return [(k, k) for k in range(len(expected))]
    pairs: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(e_codes, t_codes).as_list():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        elif tag == "delete":
            pairs += [(i, None) for i in range(i1, i2)]
        elif tag == "insert":
            pairs += [(None, j) for j in range(j1, j2)]
        else:
            block = _pair_block(expected[i1:i2], typed[j1:j2])
            pairs += [
                (None if a is None else i1 + a, None if b is None else j1 + b)
                for a, b in block
            ]
    return pairs


def score_ten_key(
    snapshot: Mapping[str, Any], responses: Any, events: Any, elapsed_seconds: float
) -> Result:
    """Score a 10-key attempt: numeric entries, each ended with Enter.

    The boxes up to the last one keyed are aligned with the expected list as
    a sequence, so a blank box (or a row slip that leaves one out) is one
    `skipped_entry` and an extra row is one `extra_entry`, not an error on
    every row after it. Entries after the last one keyed are unreached.
    Entry accuracy = accepted entries / (reached expected entries + extra
    entries).
    """
    events = keylog.checked(events)  # checked once, read several times
    seconds = _seconds(elapsed_seconds)
    result = _empty_result("ten_key", seconds, ERROR_CLASSES)
    numeric = snapshot.get("compare") == "numeric"
    responses = _mapping(responses)
    entries = [
        (_name(e.get("id")), _expected_text(e.get("value")))
        for e in _dicts(snapshot.get("entries"))
    ]
    expected = [value for _, value in entries]
    typed_boxes = [(eid, _typed_text(responses.get(eid))) for eid, _ in entries]
    # Boxes after the last one keyed were never reached; blanks before it count.
    while typed_boxes and not typed_boxes[-1][1]:
        typed_boxes.pop()
    typed = [value for _, value in typed_boxes]

    pairs = _align_entries(expected, typed, numeric)
    # Expected entries after the last typed one were never reached.
    while pairs and pairs[-1][1] is None:
        pairs.pop()
    reached_ids = {i for i, _ in pairs if i is not None}

    counts = result["error_counts"]
    items = []
    accepted = judged = distance = length = k_final = k_correct = 0
    for i, j in pairs:
        exp_value = expected[i] if i is not None else ""
        typed_value = typed[j] if j is not None else ""
        box = typed_boxes[j][0] if j is not None else None
        if i is None:
            verdict = Verdict("extra_entry", ("extra_entry",), align("", typed_value))
        elif not typed_value:
            verdict = Verdict("skipped_entry", ("skipped_entry",), align(exp_value, ""))
        else:
            verdict = compare_entry(exp_value, typed_value, numeric)
        ok = verdict.status in (EXACT, "normalized_match")
        judged += 1
        distance += verdict.alignment.distance
        length += max(len(exp_value), len(typed_value))
        if typed_value:
            k_final += len(typed_value) + 1  # + Enter
        if ok:
            accepted += 1
            k_correct += len(typed_value) + 1
            errors: dict[str, int] = {}
        else:
            errors = _error_counts(verdict)
            _add_counts(counts, errors)
        items.append(
            {
                "id": entries[i][0] if i is not None else None,
                "typed_in": box,
                "expected": exp_value,
                "typed": typed_value,
                "status": verdict.status,
                "errors": errors,
                "distance": verdict.alignment.distance,
                "diff": verdict.alignment.diff,
            }
        )
    for k, (eid, value) in enumerate(entries):
        if k not in reached_ids:
            items.append(
                {
                    "id": eid,
                    "typed_in": None,
                    "expected": value,
                    "typed": "",
                    "status": "unreached",
                    "errors": {},
                    "distance": 0,
                    "diff": [{"op": "unreached", "expected": value, "typed": ""}],
                }
            )

    _set_speeds(result, k_final, k_correct, seconds)
    result["entry_accuracy"] = _ratio(accepted, judged)
    result["char_accuracy"] = 1.0 - _ratio(distance, length) if length else 0.0
    result["completion_pct"] = 100.0 * _ratio(len(reached_ids), len(entries))
    result["items"] = items
    expected_values = {eid: {"": value} for eid, value in entries}
    amounts: list[tuple[str, str]] = []
    if events and numeric:  # 1,250.00 is accepted for 1250.00: keys alike
        amounts = [
            (eid, "") for eid, value in entries if parse_amount(value) is not None
        ]
    _add_event_metrics(result, events, expected_values, amount_inputs=amounts)
    return _finish(result, snapshot, responses, events, sum(1 for v in typed if v))


# --------------------------------------------------------------------------
# Transcription
# --------------------------------------------------------------------------


class _Passage(NamedTuple):
    k_final: int
    k_correct: int
    word_errors: int
    distance: int
    length: int
    reached_chars: int
    total_chars: int
    typed_words: int
    counts: dict[str, int]
    item: dict[str, Any]


def _word_codes(expected: list[str], typed: list[str]) -> tuple[list[int], list[int]]:
    codes: dict[str, int] = {}
    return (
        [codes.setdefault(w, len(codes)) for w in expected],
        [codes.setdefault(w, len(codes)) for w in typed],
    )


def _reached_words(expected: list[str], typed: list[str]) -> tuple[list[str], str]:
    """The expected words the learner got to, and the unreached rest as text.

    Words after the last aligned typed word are unreached; a last typed word
    that is the start of its expected word ("informa" for "information")
    counts as a correct partial word, as Monkeytype credits it.
    """
    e_codes, t_codes = _word_codes(expected, typed)
    blocks = Levenshtein.opcodes(e_codes, t_codes).as_list()
    end = len(expected)
    if blocks and blocks[-1][0] == "delete":
        end = blocks[-1][1]
        blocks = blocks[:-1]
    reached = expected[:end]
    tail = " ".join(expected[end:])
    if blocks and blocks[-1][0] == "replace":
        word, last = expected[end - 1], typed[-1]
        if len(last) < len(word) and word.startswith(last):
            reached = [*expected[: end - 1], last]
            return reached, word[len(last) :] + (" " + tail if tail else "")
    return reached, (" " + tail if tail and reached else tail)


def _passage_diff(
    expected: list[str], typed: list[str]
) -> tuple[Diff, dict[str, int], int, int]:
    """Word-first alignment, characters inside changed stretches (anchors §2.5).

    Returns the diff, character error counts, uncorrected word errors (a
    wrong word once, a missing, extra or merged word per word) and K_correct
    (characters of correctly typed words, each with its following space).
    """
    e_codes, t_codes = _word_codes(expected, typed)
    diff: Diff = []
    counts: dict[str, int] = {}
    word_errors = k_correct = 0
    e_started = t_started = False
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(e_codes, t_codes).as_list():
        e_words, t_words = expected[i1:i2], typed[j1:j2]
        e_sep = " " if e_started and e_words else ""
        t_sep = " " if t_started and t_words else ""
        e_text, t_text = " ".join(e_words), " ".join(t_words)
        e_started = e_started or bool(e_words)
        t_started = t_started or bool(t_words)
        if tag == "equal":
            k_correct += sum(len(w) + 1 for w in t_words)
            if e_sep != t_sep:
                # Only the separator differs: a word before was dropped or added.
                sep_op = "omit" if e_sep else "insert"
                _push(diff, sep_op, e_sep, t_sep)
                _add_counts(counts, {DIFF_OP_CLASS[sep_op]: 1})
            else:
                e_text, t_text = e_sep + e_text, t_sep + t_text
            _push(diff, "equal", e_text, t_text)
            continue
        word_errors += max(len(e_words), len(t_words))
        alignment = align(e_sep + e_text, t_sep + t_text)
        _add_counts(counts, alignment.counts)
        for segment in alignment.diff:
            if segment["op"] == "transpose":
                diff.append(segment)
            else:
                _push(diff, segment["op"], segment["expected"], segment["typed"])
    return diff, counts, word_errors, k_correct


def _score_passage(pid: str, title: str, text: str, typed_text: str) -> _Passage:
    expected = text.split()
    typed = typed_text.split()
    total_chars = len(" ".join(expected))
    base = {
        "id": pid,
        "title": title,
        "expected": " ".join(expected),
        "typed": " ".join(typed),
    }
    if not typed:
        item = {
            **base,
            "status": "unreached",
            "word_errors": 0,
            "distance": 0,
            "char_accuracy": None,
            "completion_pct": 0.0,
            "errors": {},
            "diff": [{"op": "unreached", "expected": base["expected"], "typed": ""}]
            if expected
            else [],
        }
        return _Passage(0, 0, 0, 0, 0, 0, total_chars, 0, {}, item)
    reached, tail = _reached_words(expected, typed)
    diff, counts, word_errors, k_correct = _passage_diff(reached, typed)
    if tail:
        diff.append({"op": "unreached", "expected": tail, "typed": ""})
    reached_text, typed_joined = " ".join(reached), " ".join(typed)
    distance = OSA.distance(reached_text, typed_joined)
    length = max(len(reached_text), len(typed_joined))
    k_final = sum(len(w) + 1 for w in typed)
    item = {
        **base,
        "status": "correct" if word_errors == 0 else "error",
        "word_errors": word_errors,
        "distance": distance,
        "char_accuracy": 1.0 - _ratio(distance, length),
        "completion_pct": 100.0 * _ratio(len(reached_text), total_chars),
        "errors": counts,
        "diff": diff,
    }
    return _Passage(
        k_final,
        min(k_correct, k_final),
        word_errors,
        distance,
        length,
        len(reached_text),
        total_chars,
        len(typed),
        counts,
        item,
    )


def score_transcription(
    snapshot: Mapping[str, Any], responses: Any, events: Any, elapsed_seconds: float
) -> Result:
    """Score copy typing: gross WPM = (chars/5)/min, net WPM = gross − word errors/min.

    Words are split on whitespace, so spacing and line breaks are not graded;
    case and punctuation are. net_kph counts correct words' keystrokes only.
    """
    events = keylog.checked(events)  # checked once, read several times
    seconds = _seconds(elapsed_seconds)
    result = _empty_result("transcription", seconds, ERROR_CLASSES)
    responses = _mapping(responses)
    passages = []
    texts = {}
    for passage in _dicts(snapshot.get("passages")):
        pid = _name(passage.get("id"))
        text = _expected_text(passage.get("text"))
        title = passage.get("title")
        texts[pid] = text
        passages.append(
            _score_passage(
                pid,
                title if isinstance(title, str) else "",
                text,
                _typed_text(responses.get(pid)),
            )
        )
    k_final = sum(p.k_final for p in passages)
    k_correct = sum(p.k_correct for p in passages)
    word_errors = sum(p.word_errors for p in passages)
    _set_speeds(result, k_final, k_correct, seconds)
    minutes = seconds / 60
    gross_wpm = result["gross_wpm"]
    net_wpm = max(gross_wpm - word_errors / minutes, 0.0) if minutes > 0 else 0.0
    result["net_wpm"] = net_wpm
    for passage in passages:
        _add_counts(result["error_counts"], passage.counts)
    length = sum(p.length for p in passages)
    result["char_accuracy"] = (
        1.0 - _ratio(sum(p.distance for p in passages), length) if length else 0.0
    )
    result["completion_pct"] = 100.0 * _ratio(
        sum(p.reached_chars for p in passages), sum(p.total_chars for p in passages)
    )
    result["word_errors"] = word_errors
    result["correct_words_wpm"] = result["net_kph"] / (60 * KEYSTROKES_PER_WORD)
    result["items"] = [p.item for p in passages]
    expected_values = {pid: {"": text} for pid, text in texts.items()}
    _add_event_metrics(result, events, expected_values, by_word_items=texts)
    return _finish(
        result, snapshot, responses, events, sum(p.typed_words for p in passages)
    )


# --------------------------------------------------------------------------
# Reconciliation
# --------------------------------------------------------------------------

FIELD_MISMATCH = "field_mismatch"
PARTIAL_CREDIT = 0.5


def _prf(credit: float, flagged: int, expected: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from credited matches.

    Nothing to find and nothing flagged is perfect; flagging nothing when
    there was something to find earns 0 precision (nothing earns nothing).
    """
    if expected == 0 and flagged == 0:
        return 1.0, 1.0, 1.0
    precision = _ratio(credit, flagged) if flagged else 0.0
    recall = _ratio(credit, expected) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _discrepancy(value: Mapping[str, Any]) -> tuple[str, str, str | None]:
    """(ref, type, field) in a comparable form; field only for field mismatches."""
    ref = _expected_text(value.get("ref"))
    kind = _typed_text(value.get("type")).casefold()
    field = _typed_text(value.get("field")).casefold() or None
    return ref.casefold(), kind, field if kind == FIELD_MISMATCH else None


def _display(
    key: tuple[str, str, str | None], source: Mapping[str, Any]
) -> dict[str, Any]:
    field = _typed_text(source.get("field")) or None
    return {
        "ref": _expected_text(source.get("ref")),
        "type": key[1],
        "field": field if key[2] is not None else None,
    }


def _match_discrepancies(
    expected: list[tuple[str, str, str | None]],
    flagged: list[tuple[str, str, str | None]],
) -> tuple[list[str], list[str]]:
    """Status of each expected and each flagged tuple: exact matches first, then
    right ref and type with the wrong field for half credit."""
    e_status = ["missed"] * len(expected)
    f_status = ["false_alarm"] * len(flagged)
    for fi, key in enumerate(flagged):
        for ei, target in enumerate(expected):
            if e_status[ei] == "missed" and target == key:
                e_status[ei], f_status[fi] = "found", "correct"
                break
    for fi, key in enumerate(flagged):
        if f_status[fi] != "false_alarm":
            continue
        for ei, target in enumerate(expected):
            if e_status[ei] == "missed" and target[:2] == key[:2]:
                e_status[ei], f_status[fi] = "partial", "partial"
                break
    return e_status, f_status


def _distinct_discrepancies(
    value: Any,
) -> tuple[list[tuple[str, str, str | None]], list[Mapping[str, Any]]]:
    """Comparable keys and their source dicts; the same tuple twice is one."""
    keys: list[tuple[str, str, str | None]] = []
    sources = []
    for d in _dicts(value):
        key = _discrepancy(d)
        if key not in keys:
            keys.append(key)
            sources.append(d)
    return keys, sources


def _score_list_set(
    s: Mapping[str, Any], answer: Any
) -> tuple[float, int, int, dict[str, int], dict[str, Any]]:
    expected, sources = _distinct_discrepancies(s.get("discrepancies"))
    flagged, flagged_sources = _distinct_discrepancies(answer)
    e_status, f_status = _match_discrepancies(expected, flagged)
    credit = f_status.count("correct") + PARTIAL_CREDIT * f_status.count("partial")
    counts = {
        "missed": e_status.count("missed"),
        "wrong_field": e_status.count("partial"),
        "false_alarm": f_status.count("false_alarm"),
    }
    precision, recall, f1 = _prf(credit, len(flagged), len(expected))
    item = {
        "id": _name(s.get("id")),
        "expected": [
            {**_display(k, src), "status": st}
            for k, src, st in zip(expected, sources, e_status, strict=True)
        ],
        "flagged": [
            {**_display(k, src), "status": st}
            for k, src, st in zip(flagged, flagged_sources, f_status, strict=True)
        ],
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }
    return credit, len(flagged), len(expected), counts, item


def _pair_answer(value: Any) -> set[str] | None:
    """A pair's answer as a set of field names; None when unanswered."""
    if not isinstance(value, list | tuple):
        return None
    return set(_strings(value))


def _score_pair_set(s: Mapping[str, Any], answers: Any) -> dict[str, Any]:
    fields = _strings(s.get("fields"))
    answers = _mapping(answers)
    options = 2 ** len(fields)  # each answer is a subset of the fields
    right = wrong = answered = tp = flagged = expected_flags = 0
    pairs = []
    for pair in _dicts(s.get("pairs")):
        pid = _name(pair.get("id"))
        truth = set(_strings(pair.get("differs")))
        answer = _pair_answer(answers.get(pid))
        expected_flags += len(truth)
        if answer is None:
            status = "unanswered"
        else:
            answered += 1
            flagged += len(answer)
            tp += len(answer & truth)
            status = "correct" if answer == truth else "wrong"
            right += status == "correct"
            wrong += status == "wrong"
        pairs.append(
            {
                "id": pid,
                "differs": sorted(truth),
                "answer": sorted(answer) if answer is not None else None,
                "status": status,
                "missed": sorted(truth - answer)
                if answer is not None
                else sorted(truth),
                "false_alarms": sorted(answer - truth) if answer is not None else [],
            }
        )
    return {
        "id": _name(s.get("id")),
        "options": options,
        "right": right,
        "wrong": wrong,
        "answered": answered,
        "total": len(pairs),
        "tp": tp,
        "flagged": flagged,
        "expected_flags": expected_flags,
        "pairs": pairs,
    }


def score_reconciliation(
    snapshot: Mapping[str, Any], responses: Any, events: Any, elapsed_seconds: float
) -> Result:
    """Score spotting differences: list mode (ledger vs statement) or pair mode.

    List mode: precision/recall/F1 over (ref, type, field) with half credit for
    the right ref and type but the wrong field. Pair mode adds pair accuracy
    (right / answered) and the guessing-corrected score R − W/(k−1), where k
    is the number of possible answers per pair (2^fields); blanks cost nothing.
    """
    events = keylog.checked(events)  # checked once, read several times
    seconds = _seconds(elapsed_seconds)
    result = _empty_result("reconciliation", seconds, RECONCILIATION_ERROR_CLASSES)
    responses = _mapping(responses)
    sets = _dicts(snapshot.get("sets"))
    if snapshot.get("mode") == "pair":
        items_done = _score_pair_mode(result, sets, responses)
    else:
        items_done = _score_list_mode(result, sets, responses)
    return _finish(result, snapshot, responses, events, items_done)


def _score_list_mode(
    result: Result, sets: list[Mapping[str, Any]], responses: Mapping[str, Any]
) -> int:
    credit = 0.0
    flagged = expected = answered_sets = 0
    counts = result["error_counts"]
    for s in sets:
        answer = responses.get(_name(s.get("id")))
        answered_sets += isinstance(answer, list | tuple)
        c, f, e, set_counts, item = _score_list_set(s, answer)
        credit, flagged, expected = credit + c, flagged + f, expected + e
        _add_counts(counts, set_counts)
        result["items"].append(item)
    result["precision"], result["recall"], result["f1"] = _prf(
        credit, flagged, expected
    )
    result["completion_pct"] = 100.0 * _ratio(answered_sets, len(sets))
    return flagged


def _score_pair_mode(
    result: Result, sets: list[Mapping[str, Any]], responses: Mapping[str, Any]
) -> int:
    scored = [_score_pair_set(s, responses.get(_name(s.get("id")))) for s in sets]
    right = sum(s["right"] for s in scored)
    answered = sum(s["answered"] for s in scored)
    total = sum(s["total"] for s in scored)
    tp = sum(s["tp"] for s in scored)
    flagged = sum(s["flagged"] for s in scored)
    expected = sum(s["expected_flags"] for s in scored)
    # Guessing correction per set (k can differ by set); k < 2 cannot be guessed.
    corrected = sum(s["right"] - s["wrong"] / max(s["options"] - 1, 1) for s in scored)
    counts = result["error_counts"]
    counts["missed"] = expected - tp
    counts["false_alarm"] = flagged - tp
    result["precision"], result["recall"], result["f1"] = _prf(tp, flagged, expected)
    result["pair_accuracy"] = _ratio(right, answered)
    result["corrected_score"] = corrected
    result["corrected_score_max"] = total
    result["completion_pct"] = 100.0 * _ratio(answered, total)
    result["items"] = [
        {k: s[k] for k in ("id", "right", "wrong", "answered", "total", "pairs")}
        for s in scored
    ]
    return answered


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------

SCORERS: dict[str, Callable[[Mapping[str, Any], Any, Any, float], Result]] = {
    "record_entry": score_record_entry,
    "ten_key": score_ten_key,
    "transcription": score_transcription,
    "reconciliation": score_reconciliation,
}


def score(
    snapshot: dict[str, Any],
    responses: dict[str, Any],
    events: list[dict[str, Any]],
    elapsed_seconds: float,
) -> Result:
    """Score a keying attempt from its snapshot, saved responses and keystroke log.

    `elapsed_seconds` is the server-side T: min(submitted or expired, deadline)
    − started. Raises ValueError only for a snapshot whose kind is not a
    keying kind (an engine bug, not learner input).
    """
    kind = snapshot.get("kind") if isinstance(snapshot, Mapping) else None
    scorer = SCORERS.get(kind) if isinstance(kind, str) else None
    if scorer is None:
        raise ValueError(f"not a keying test kind: {kind!r}")
    return scorer(snapshot, responses, events, elapsed_seconds)
