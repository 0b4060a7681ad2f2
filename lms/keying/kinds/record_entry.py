"""Record entry: copy source records (customer, invoice, claim) into form fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lms.keying.content_file.record_entry import RECORD_ENTRY_KEYS, read_record_entry
from lms.keying.kinds.common import (
    MAX_FIELD_CHARS,
    KeyingKind,
    _dicts,
    _mapping,
    _text,
    _text_problem,
    date_hint,
    humanize,
)


def _record_items(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    fields = []
    for spec in _dicts(snapshot.get("fields")):
        name = _text(spec.get("name"))
        if not name:
            continue
        field = {"name": name, "label": _text(spec.get("label")) or humanize(name)}
        hint = date_hint(spec.get("format")) if spec.get("profile") == "date" else ""
        if hint:
            field["hint"] = hint
        fields.append(field)
    items = []
    for record in _dicts(snapshot.get("records")):
        values = _mapping(record.get("values"))
        items.append(
            {
                "id": _text(record.get("id")),
                "type": "record",
                "fields": [dict(f) for f in fields],
                "source": [
                    {
                        "name": f["name"],
                        "label": f["label"],
                        "value": _text(values.get(f["name"])),
                    }
                    for f in fields
                ],
            }
        )
    return items


def _record_problem(value: Any, fields: set[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        return "send an object of field name → text"
    for name, text in value.items():
        if name not in fields:
            return f"there is no field {name!r} in this record"
        problem = _text_problem(text, MAX_FIELD_CHARS)
        if problem:
            return f"{name}: {problem}"
    return None


class RecordEntryKind(KeyingKind):
    name = "record_entry"
    label = "Record entry"
    plural_label = "Record entry tests"
    content_keys = RECORD_ENTRY_KEYS
    content_reader = read_record_entry
    pool_key = "records"
    draw_setting = "records_per_attempt"
    draw_default = 5
    id_prefix = "r"
    item_noun = "Record"

    def add_to_snapshot(self, snapshot, content, settings) -> None:
        snapshot["fields"] = _dicts(content.get("fields"))

    def learner_items(self, snapshot):
        return _record_items(snapshot)

    def item_checks(self, snapshot):
        names = {_text(f.get("name")) for f in _dicts(snapshot.get("fields"))}
        return {
            _text(record.get("id")): lambda v, n=names: _record_problem(v, n)
            for record in _dicts(snapshot.get("records"))
        }

    def field_names(self, snapshot):
        return {
            _text(f.get("name")): _text(f.get("label"))
            or humanize(_text(f.get("name")))
            for f in _dicts(snapshot.get("fields"))
        }
