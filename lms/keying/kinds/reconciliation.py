"""Reconciliation: compare two lists (ledger and statement) or record pairs and
flag every difference. Planted discrepancies and `differs` lists are the key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lms.keying.content_file.reconciliation import (
    RECONCILIATION_KEYS,
    read_reconciliation,
)
from lms.keying.kinds.common import (
    KeyingKind,
    _dicts,
    _mapping,
    _text,
    _with_ids,
    humanize,
)

# What a learner flags in list reconciliation.
MISSING_IN_STATEMENT = "missing_in_statement"
EXTRA_IN_STATEMENT = "extra_in_statement"
FIELD_MISMATCH = "field_mismatch"
FLAG_TYPES = (MISSING_IN_STATEMENT, EXTRA_IN_STATEMENT, FIELD_MISMATCH)
MAX_FLAGS_PER_SET = 1000


def _row(row: Mapping[str, Any], columns: Sequence[str]) -> dict[str, str]:
    return {c: _text(row.get(c)) for c in columns}


def _list_set_item(s: Mapping[str, Any]) -> dict[str, Any]:
    columns = [_text(c) for c in s.get("columns") or () if _text(c)]
    key = _text(s.get("key")) or (columns[0] if columns else "")
    flag_fields = [c for c in columns if c != key]
    return {
        "id": _text(s.get("id")),
        "type": "list_set",
        "title": _text(s.get("title")),
        "columns": [{"name": c, "label": humanize(c)} for c in columns],
        "key": key,
        # Every non-key column can be flagged: offering only the ones that
        # differ would give the answer away.
        "flag_fields": [{"name": c, "label": humanize(c)} for c in flag_fields],
        "ledger": [_row(r, columns) for r in _dicts(s.get("ledger"))],
        "statement": [_row(r, columns) for r in _dicts(s.get("statement"))],
    }


def _pair_set_item(s: Mapping[str, Any]) -> dict[str, Any]:
    fields = [_text(f) for f in s.get("fields") or () if _text(f)]
    return {
        "id": _text(s.get("id")),
        "type": "pair_set",
        "title": _text(s.get("title")),
        "fields": [{"name": f, "label": humanize(f)} for f in fields],
        "pairs": [
            {
                "id": _text(p.get("id")),
                "left": _row(_mapping(p.get("left")), fields),
                "right": _row(_mapping(p.get("right")), fields),
            }
            for p in _dicts(s.get("pairs"))
        ],
    }


def _list_flags_problem(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, list):
        return "send a list of {ref, type, field} flags"
    if len(value) > MAX_FLAGS_PER_SET:
        return f"send at most {MAX_FLAGS_PER_SET} flags"
    for flag in value:
        if not isinstance(flag, Mapping) or not isinstance(flag.get("ref"), str):
            return "each flag needs a ref"
        if flag.get("type") not in FLAG_TYPES:
            return f"a flag type is one of {', '.join(FLAG_TYPES)}"
        field = flag.get("field")
        if field is not None and not isinstance(field, str):
            return "a flag's field is a column name or null"
    return None


def _pair_answers_problem(value: Any, pairs: set[str], fields: set[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        return "send an object of pair id → list of differing fields"
    for pid, answer in value.items():
        if pid not in pairs:
            return f"there is no pair {pid!r} in this set"
        if answer is None:
            continue
        if not isinstance(answer, list) or not all(
            isinstance(f, str) and f in fields for f in answer
        ):
            return f"{pid}: send a list of this set's field names ([] = no difference)"
    return None


class ReconciliationKind(KeyingKind):
    name = "reconciliation"
    label = "Reconciliation"
    plural_label = "Reconciliation tests"
    content_keys = RECONCILIATION_KEYS
    content_reader = read_reconciliation
    pool_key = "sets"
    draw_setting = "sets_per_attempt"
    draw_default = 1
    id_prefix = "s"
    item_noun = "Set"
    typed = False
    key_parts = ("expected", "differs", "missed")

    def add_to_snapshot(self, snapshot, content, settings) -> None:
        snapshot["mode"] = content.get("mode") or settings.get("mode") or "list"

    def drawn(self, items, snapshot, rng):
        """Pair mode also shuffles the pairs inside each drawn set."""
        if snapshot["mode"] == "pair":
            for s in items:
                pairs = _with_ids(_dicts(s.get("pairs")), "pair")
                rng.shuffle(pairs)
                s["pairs"] = pairs
        return items

    def learner_items(self, snapshot):
        sets = _dicts(snapshot.get("sets"))
        if snapshot.get("mode") == "pair":
            return [_pair_set_item(s) for s in sets]
        return [_list_set_item(s) for s in sets]

    def item_checks(self, snapshot):
        checks = {}
        for s in _dicts(snapshot.get("sets")):
            if snapshot.get("mode") == "pair":
                pairs = {_text(p.get("id")) for p in _dicts(s.get("pairs"))}
                fields = {_text(f) for f in s.get("fields") or ()}
                checks[_text(s.get("id"))] = lambda v, p=pairs, f=fields: (
                    _pair_answers_problem(v, p, f)
                )
            else:
                checks[_text(s.get("id"))] = _list_flags_problem
        return checks
