"""Read a record entry test file: the [[fields]] of the form and the CSV of source
records whose values are the expected answers.

Records are `r001`, `r002`, ...: the 1-based data row of the CSV (blank lines
skipped), so an unchanged file always gives the same ids. Moving rows renumbers
them, which is a content change: the assessment gets a new version and live
attempts keep their snapshot.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from lms.content.files import File, read_csv
from lms.content.tables import Table, did_you_mean
from lms.keying.content_file.common import (
    KEYING_COMMON_KEYS,
    data_file,
    draw,
    read_common_settings,
)

RECORD_ENTRY_KEYS = (
    *KEYING_COMMON_KEYS,
    "records_file",
    "records_per_attempt",
    "fields",
)
BAND_METRICS = ("net_kph", "accuracy")
RECORDS_PER_ATTEMPT = 5
PROFILES = ("exact", "normalized", "amount", "date", "identifier")
FIELD_KEYS = ("name", "label", "profile", "critical", "format")
AMOUNT_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{2,3})*|\d+)(?:\.\d+)?$")


def read_record_entry(
    top: Table, doc: File, data_files: list[Path]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(settings, {"fields": [...], "records": [...]}) of a record_entry file."""
    settings = read_common_settings(top, doc, "record_entry", BAND_METRICS)
    data = data_file(top, doc, "records_file", ".csv", data_files)
    parsed = read_csv(data) if data is not None else None
    header, rows = parsed if parsed else ([], [])
    fields = _read_fields(top, doc, header if parsed else None)
    for spec in fields:
        if data is None or spec["name"] not in header:
            continue
        for line, row in rows:
            _check_expected_value(data, spec, row[spec["name"]], line)
    settings["records_per_attempt"] = draw(
        top, "records_per_attempt", len(rows), "records", default=RECORDS_PER_ATTEMPT
    )
    records = [
        {"id": f"r{number:03d}", "values": row}
        for number, (_line, row) in enumerate(rows, start=1)
    ]
    return settings, {"fields": fields, "records": records}


def _read_fields(
    top: Table, doc: File, header: list[str] | None
) -> list[dict[str, Any]]:
    """The [[fields]] entries; `header` (None when the CSV is unusable) are the
    columns a field must name."""
    raw = top.data.get("fields")
    if not isinstance(raw, list) or not raw:
        top.error("fields", "a record_entry test needs at least one [[fields]] entry")
        return []
    fields = []
    names: set[str] = set()
    for index, entry in enumerate(raw):
        spec = _read_field(top, doc, header, index, entry, names)
        if spec is not None:
            fields.append(spec)
    return fields


def _read_field(
    top: Table,
    doc: File,
    header: list[str] | None,
    index: int,
    entry: Any,
    names: set[str],
) -> dict[str, Any] | None:
    def line_of(key: str) -> int:
        return doc.loc.key(key, "fields", index)

    name = entry.get("name") if isinstance(entry, dict) else None
    label = (
        f"fields.{name}" if isinstance(name, str) and name else f"fields[{index + 1}]"
    )
    if not isinstance(entry, dict):
        doc.error(
            label, "a field must be a table", line=doc.loc.array_line("fields", index)
        )
        return None
    table = Table(entry, doc, label, line_of)
    table.check_keys(FIELD_KEYS)
    name = table.text("name", required=True)
    profile = table.choice("profile", PROFILES, required=True)
    spec: dict[str, Any] = {
        "name": name,
        "label": table.text("label", default=name or ""),
        "profile": profile,
        "critical": table.boolean("critical", default=False),
    }
    if name is not None:
        if name in names:
            table.error("name", f"field {name!r} is declared twice")
        names.add(name)
        if header is not None and name not in header:
            table.error(
                "name",
                f"{name!r} is not a column of {top.data.get('records_file')} "
                f"(columns: {', '.join(header)})" + did_you_mean(name, header),
            )
    _read_format(table, profile, spec)
    return spec if name is not None and profile is not None else None


def _read_format(table: Table, profile: str | None, spec: dict[str, Any]) -> None:
    """A date field's strftime format (required); other profiles take none."""
    fmt = table.text("format")
    if profile == "date":
        if fmt is None:
            table.error("format", 'a date field needs format, e.g. format = "%d/%m/%Y"')
        elif not re.search(r"%[dmyYbBjaA]", fmt):
            table.error("format", f"{fmt!r} has no date directive such as %d, %m or %Y")
        else:
            spec["format"] = fmt
    elif fmt is not None:
        table.error("format", f"only date fields take a format, not {profile} fields")


def _check_expected_value(
    data: File, spec: dict[str, Any], value: str, line: int
) -> None:
    """A record's expected value must be one its field's profile can accept."""
    name, profile = spec["name"], spec["profile"]
    if not value.strip():
        if spec["critical"]:
            data.error(name, "a critical field cannot be empty", line=line)
        return
    if profile == "date" and "format" in spec:
        try:
            datetime.strptime(value.strip(), spec["format"])
        except ValueError:
            data.error(
                name,
                f"{value!r} does not match the format {spec['format']!r}",
                line=line,
            )
    elif profile == "amount" and not AMOUNT_RE.match(value.strip()):
        data.error(
            name, f"{value!r} is not an amount (e.g. 1,250.00 or -412.50)", line=line
        )
