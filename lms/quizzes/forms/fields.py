"""Small helpers the quiz forms share: choices, numbers as typed, coercions."""

from __future__ import annotations

from wtforms import SelectChoice
from wtforms.validators import NumberRange


def options(pairs) -> list[SelectChoice]:
    """WTForms 3.3 deprecates (value, label) tuples as choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


def not_negative(label: str) -> NumberRange:
    return NumberRange(min=0, message=f"{label} cannot be negative.")


def whole_or_float(value: float | None) -> int | float | None:
    """2.0 is stored as 2: content and settings read back as typed."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)
