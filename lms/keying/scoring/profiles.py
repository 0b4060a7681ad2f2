"""Comparator profiles: when a typed value counts as the expected one.

Each record-entry field declares a profile (docs/keying.md §3.3) saying what
it ignores: `exact`, `normalized` (case, width, runs of whitespace),
`identifier` (spaces and hyphens, case), `amount` (equal decimal values) and
`date` (the same day in the declared format). 10-key entries have their own
comparison (`compare_entry`: string-exact or numeric). A verdict carries the
status, any field-level error classes (format, sign, decimal_shift, blank)
and the character alignment for the diff.

Surrounding whitespace is never graded: callers pass trimmed values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from lms.keying.scoring.alignment import Alignment, Keys, align


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
    """Character for character (called only when the two differ)."""
    return _rejected(align(expected, typed))


def normalized_form(text: str) -> str:
    """The `normalized` comparison form: every run of whitespace is one space."""
    return " ".join(text.split())


def compare_normalized(expected: str, typed: str, fmt: str | None = None) -> Verdict:
    """Case, width (NFKC) and runs of whitespace are ignored."""
    e, t = normalized_form(expected), normalized_form(typed)
    if _fold(e) == _fold(t):
        return _accepted(expected, typed)
    e_keys, t_keys = _folded_pair(e, t)
    return _rejected(align(e, t, expected_keys=e_keys, typed_keys=t_keys))


_ID_SEPARATORS = re.compile(r"[\s\-]+")


def identifier_form(text: str) -> str:
    """The `identifier` comparison form: spaces and hyphens removed."""
    return _ID_SEPARATORS.sub("", text)


def compare_identifier(expected: str, typed: str, fmt: str | None = None) -> Verdict:
    """Spaces and hyphens removed, case-insensitive; every other character counts."""
    e, t = identifier_form(expected), identifier_form(typed)
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


def amount_form(text: str) -> str:
    """An amount's characters that carry its value: separators, a plus sign and
    leading zeros removed (`+0,001,250.00` → `1250.00`)."""
    bare = _AMOUNT_NOISE.sub("", text)
    sign = "-" if bare.startswith("-") else ""
    return sign + bare.lstrip("+-").lstrip("0")


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


# What each profile ignores, as the form its comparison reads; profiles not
# listed ignore nothing a learner could add (a date must parse as declared).
COMPARISON_FORMS: dict[str, Callable[[str], str]] = {
    "normalized": normalized_form,
    "identifier": identifier_form,
    "amount": amount_form,
}


def credited_length(expected: str, typed: str, profile: str) -> int:
    """The keystrokes an accepted value earns toward net speed.

    Only characters the comparison reads count, and never more of them than
    the expected value has: padding with what a profile ignores (a held space
    bar, hyphens in an identifier, leading zeros or commas in an amount) adds
    nothing, and neither do the ignorable separators of a value typed as
    shown. 10-key entries use `exact` (string) or `amount` (numeric).
    """
    form = COMPARISON_FORMS.get(profile)
    if form is None or (form is amount_form and parse_amount(expected) is None):
        return min(len(typed), len(expected))
    return min(len(form(typed)), len(form(expected)))


def error_counts_of(verdict: Verdict) -> dict[str, int]:
    """A rejected value's contribution to error_counts (see module docstring)."""
    if verdict.classes:
        return dict.fromkeys(verdict.classes, 1)
    return dict(verdict.alignment.counts)


def add_counts(total: dict[str, int], counts: Mapping[str, int]) -> None:
    """Add one value's error counts into a running total."""
    for cls, n in counts.items():
        total[cls] = total.get(cls, 0) + n
