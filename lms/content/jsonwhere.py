"""Errors inside JSON data files, located by the text span of the list element they
are about (json gives values without positions)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from lms.content.files import File
from lms.content.tables import did_you_mean


class JsonWhere:
    """Errors inside one element of a JSON list, located by searching its text span."""

    def __init__(self, data: File, span: tuple[int, int]) -> None:
        self.data = data
        self.span = span

    def line(self, needle: object = None, after: str | None = None) -> int:
        """The line of `needle` (a JSON string) in the span, after the key `after`."""
        text = self.data.text or ""
        start, end = self.span
        if after is not None:
            found = text.find(json.dumps(after), start, end)
            start = found if found >= 0 else start
        position = start
        if isinstance(needle, str) and needle:
            found = text.find(json.dumps(needle), start, end)
            if found >= 0:
                position = found
        return text.count("\n", 0, position) + 1

    def error(
        self,
        field: str,
        message: str,
        *,
        needle: object = None,
        after: str | None = None,
    ) -> None:
        self.data.error(field, message, line=self.line(needle, after))

    def check_keys(
        self,
        obj: Mapping[str, Any],
        allowed: Iterable[str],
        label: str,
        *,
        needle: object = None,
    ) -> None:
        allowed = tuple(allowed)
        for key in obj:
            if key not in allowed:
                self.error(
                    f"{label}.{key}",
                    f"unknown key {key!r}" + did_you_mean(key, allowed),
                    needle=needle,
                )

    def text(self, obj: Mapping[str, Any], key: str, label: str) -> None:
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(f"{label}.{key}", f"{key} must be non-empty text")


def json_element_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the elements of a top-level JSON array (strings respected)."""
    spans: list[tuple[int, int]] = []
    depth, in_string, escaped, start = 0, False, False, 0
    for i, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth == 2:
                start = i
        elif char in "]}":
            if depth == 2:
                spans.append((start, i + 1))
            depth -= 1
    return spans
