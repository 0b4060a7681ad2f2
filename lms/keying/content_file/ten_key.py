"""Read a 10-key test file: the CSV of values keyed on the numeric keypad.

Entries are `e001`, `e002`, ...: the 1-based data row of the CSV (blank lines
skipped), so an unchanged file always gives the same ids.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lms.content.files import File, read_csv
from lms.content.tables import Table, finite_decimal
from lms.keying.content_file.common import (
    KEYING_COMMON_KEYS,
    data_file,
    draw,
    read_common_settings,
)

TEN_KEY_KEYS = (
    *KEYING_COMMON_KEYS,
    "entries_file",
    "entries_per_attempt",
    "entry_label",
    "compare",
)
BAND_METRICS = ("net_kph", "accuracy")
ENTRIES_PER_ATTEMPT = 40
TEN_KEY_COMPARE = ("string", "numeric")
# A ten-key entry is keyed on the numeric keypad: digits, . - + / * only.
TEN_KEY_VALUE_RE = re.compile(r"^[0-9.+\-/*]+$")


def read_ten_key(
    top: Table, doc: File, data_files: list[Path]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(settings, {"entries": [...]}) of a ten_key file."""
    settings = read_common_settings(top, doc, "ten_key", BAND_METRICS)
    data = data_file(top, doc, "entries_file", ".csv", data_files)
    compare = top.choice("compare", TEN_KEY_COMPARE, default="string")
    entries = _read_entries(data, compare) if data is not None else []
    settings["entries_per_attempt"] = draw(
        top, "entries_per_attempt", len(entries), "entries", default=ENTRIES_PER_ATTEMPT
    )
    settings["entry_label"] = top.text("entry_label", default="Entry")
    settings["compare"] = compare
    return settings, {"entries": entries}


def _read_entries(data: File, compare: str | None) -> list[dict[str, str]]:
    parsed = read_csv(data)
    if parsed is None:
        return []
    header, rows = parsed
    if header != ["value"]:
        data.error(
            "header", "a ten_key entries file has one column, named value", line=1
        )
        return []
    entries = []
    for number, (line, row) in enumerate(rows, start=1):
        value = row["value"].strip()
        if not TEN_KEY_VALUE_RE.match(value):
            data.error(
                "value",
                f"{row['value']!r} cannot be keyed on the numeric keypad "
                "(digits and . - + / * only)",
                line=line,
            )
        elif compare == "numeric" and finite_decimal(value) is None:
            data.error(
                "value",
                f'{value!r} is not a number (compare = "numeric")',
                line=line,
            )
        entries.append({"id": f"e{number:03d}", "value": value})
    return entries
