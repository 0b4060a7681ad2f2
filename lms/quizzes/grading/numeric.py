"""Reading a learner's typed number: separators, sign, unit or currency."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_NUMBER_RE = re.compile(
    r"""
    ^(?P<sign1>[+\-\u2212])?\s*
    (?P<prefix>[^\W\d_]+\.?|[^\w\s.,+\-\u2212()])?\s*   # INR, Rs., ₹, $ ...
    (?P<sign2>[+\-\u2212])?\s*
    (?P<int>\d+(?:[, ]\d+)*)?
    (?:\.(?P<frac>\d+))?
    \s*(?P<suffix>\D*)$                              # kg, %, INR, /- ...
    """,
    re.VERBOSE,
)
_GROUPINGS = (
    re.compile(r"\d{1,3}(?:,\d{3})+"),  # 1,250,000
    re.compile(r"\d{1,2}(?:,\d{2})*,\d{3}"),  # 12,50,000 (Indian)
    re.compile(r"\d{1,3}(?: \d{3})+"),  # 1 250 000
)


def parse_numeric_response(response: object) -> Decimal | None:
    """Read a learner's number, or None when it is not one.

    Accepts ints, floats and Decimals (not bools), and text with thousands
    separators in a consistent Western or Indian grouping, spaces, a sign and
    a unit or currency before or after the number. "1250,50" is rejected
    rather than guessed at.
    """
    if isinstance(response, bool):
        return None
    if isinstance(response, int | float | Decimal):
        value = Decimal(str(response))
        return value if value.is_finite() else None
    if not isinstance(response, str):
        return None
    # NFKC turns no-break and thin spaces into plain spaces and full-width digits into ASCII.
    text = unicodedata.normalize("NFKC", response).strip()
    match = _NUMBER_RE.match(text)
    if match is None or (match["int"] is None and match["frac"] is None):
        return None
    if match["sign1"] and match["sign2"]:
        return None
    whole = match["int"] or "0"
    if ("," in whole or " " in whole) and not any(
        g.fullmatch(whole) for g in _GROUPINGS
    ):
        return None
    sign = "-" if (match["sign1"] or match["sign2"] or "") in ("-", "\u2212") else ""
    digits = whole.replace(",", "").replace(" ", "")
    try:
        return Decimal(f"{sign}{digits}.{match['frac'] or '0'}")
    except InvalidOperation:
        return None
