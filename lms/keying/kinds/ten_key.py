"""10-key: numeric entries keyed on the keypad, Enter ends each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lms.keying.content_file.ten_key import TEN_KEY_KEYS, read_ten_key
from lms.keying.kinds.common import (
    MAX_FIELD_CHARS,
    KeyingKind,
    _dicts,
    _text,
    _text_problem,
)


def _ten_key_items(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    label = _text(snapshot.get("entry_label")) or "Entry"
    return [
        {
            "id": _text(entry.get("id")),
            "type": "entry",
            "label": label,
            "value": _text(entry.get("value")),
        }
        for entry in _dicts(snapshot.get("entries"))
    ]


class TenKeyKind(KeyingKind):
    name = "ten_key"
    label = "10-key"
    plural_label = "10-key tests"
    content_keys = TEN_KEY_KEYS
    content_reader = read_ten_key
    pool_key = "entries"
    draw_setting = "entries_per_attempt"
    draw_default = 40
    id_prefix = "e"
    item_noun = "Entry"

    def add_to_snapshot(self, snapshot, content, settings) -> None:
        snapshot["compare"] = settings.get("compare", "string")
        snapshot["entry_label"] = _text(settings.get("entry_label")) or "Entry"

    def learner_items(self, snapshot):
        return _ten_key_items(snapshot)

    def item_checks(self, snapshot):
        return {
            _text(entry.get("id")): lambda v: _text_problem(v, MAX_FIELD_CHARS)
            for entry in _dicts(snapshot.get("entries"))
        }
