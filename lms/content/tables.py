"""Typed access to TOML tables for the content readers: every problem becomes a
ContentError on the offending key's line.

Also the small value rules the readers share: slugs, "did you mean" hints,
real numbers and finite decimals.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from lms.content.files import File

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80


class Table:
    """Typed access to one TOML table; every problem becomes an error on its key's line."""

    def __init__(
        self,
        data: Mapping[str, Any],
        doc: File,
        prefix: str,
        line_of: Callable[[str], int],
    ) -> None:
        self.data = data
        self.doc = doc
        self.prefix = prefix
        self.line_of = line_of

    def error(self, key: str, message: str) -> None:
        name = f"{self.prefix}.{key}" if self.prefix else key
        self.doc.error(name, message, line=self.line_of(key))

    def check_keys(
        self,
        allowed: Iterable[str],
        *,
        elsewhere: Callable[[str], str] | None = None,
    ) -> None:
        """Report keys not in `allowed`, with a close match or else `elsewhere(key)`
        (e.g. which other kind of file takes that key) as the hint."""
        allowed = tuple(allowed)
        for key in self.data:
            if key in allowed:
                continue
            hint = did_you_mean(key, allowed)
            if not hint and elsewhere is not None:
                hint = elsewhere(key)
            self.error(key, f"unknown key {key!r}{hint}")

    def _missing(self, key: str, required: bool) -> bool:
        if key not in self.data:
            if required:
                self.error(key, "is required")
            return True
        return False

    def text(
        self,
        key: str,
        *,
        required: bool = False,
        default: str | None = None,
        max_len: int | None = None,
        line: int | None = None,
    ) -> str | None:
        if key not in self.data:
            if required:
                name = f"{self.prefix}.{key}" if self.prefix else key
                self.doc.error(name, "is required", line=line or self.line_of(key))
            return default
        value = self.data[key]
        if not isinstance(value, str):
            self.error(key, f"must be text in quotes, not {value!r}")
            return default
        if required and not value.strip():
            self.error(key, "must not be empty")
            return default
        if max_len is not None and len(value) > max_len:
            self.error(key, f"is {len(value)} characters long; the limit is {max_len}")
        return value

    def boolean(self, key: str, *, default: bool | None) -> bool | None:
        if self._missing(key, False):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            self.error(key, f"must be true or false, not {value!r}")
            return default
        return value

    def integer(
        self,
        key: str,
        *,
        default: int | None = None,
        minimum: int = 0,
        maximum: float = math.inf,
    ) -> int | None:
        if self._missing(key, False):
            return default
        value = self.data[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not minimum <= value <= maximum
        ):
            bound = f" and at most {int(maximum)}" if maximum != math.inf else ""
            self.error(
                key,
                f"must be a whole number of {minimum} or more{bound}, not {value!r}",
            )
            return default
        return value

    def number(
        self,
        key: str,
        *,
        default: float | None,
        minimum: float = 0,
        maximum: float = math.inf,
    ) -> int | float | None:
        if self._missing(key, False):
            return default
        value = self.data[key]
        number = real_number(value)
        if number is None or not minimum <= number <= maximum:
            bound = f" and at most {maximum:g}" if maximum != math.inf else ""
            self.error(
                key, f"must be a number of {minimum:g} or more{bound}, not {value!r}"
            )
            return default
        return number

    def choice(
        self,
        key: str,
        options: Iterable[str],
        *,
        default: str | None = None,
        required: bool = False,
    ) -> str | None:
        options = tuple(options)
        if self._missing(key, required):
            return default
        value = self.data[key]
        if value not in options:
            self.error(
                key,
                f"{value!r} is not one of {', '.join(options)}"
                + (did_you_mean(value, options) if isinstance(value, str) else ""),
            )
            return default
        return value

    def slugs(self, key: str) -> list[str]:
        if self._missing(key, False):
            return []
        value = self.data[key]
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            self.error(key, 'must be a list of slugs, e.g. ["data-entry"]')
            return []
        bad = [s for s in value if not SLUG_RE.match(s)]
        if bad:
            self.error(
                key,
                f"{', '.join(repr(s) for s in bad)}: skill slugs use lowercase letters, "
                "digits and single hyphens",
            )
        if len(set(value)) != len(value):
            self.error(key, "lists a skill twice")
        return list(dict.fromkeys(s for s in value if SLUG_RE.match(s)))


def did_you_mean(value: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a close match among `options`, else ''."""
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def real_number(value: object) -> int | float | None:
    """A finite int or float from TOML/JSON (true/false are not numbers), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def finite_decimal(text: str) -> Decimal | None:
    """`text` as a finite Decimal, or None when it is not a number."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
