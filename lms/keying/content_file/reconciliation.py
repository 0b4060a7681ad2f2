"""Read a reconciliation test file: the JSON sets a learner checks, each with its
answer key.

`mode = "list"`: each set has a ledger and a statement (rows keyed by `key`) and
`discrepancies`, the answer key, which must list exactly the differences the
rows have. `mode = "pair"`: each set has `pairs` of left/right records and each
pair's `differs`, the fields that really differ.

Sets are `s001`, ... in file order unless the JSON gives an `id`; pairs keep
their JSON `id`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lms.content.files import File
from lms.content.jsonwhere import JsonWhere, json_element_spans
from lms.content.tables import Table
from lms.keying.content_file.common import (
    KEYING_COMMON_KEYS,
    data_file,
    draw,
    read_common_settings,
)

RECONCILIATION_KEYS = (*KEYING_COMMON_KEYS, "mode", "sets_file", "sets_per_attempt")
BAND_METRICS = ("f1",)
SETS_PER_ATTEMPT = 1
RECONCILIATION_MODES = ("list", "pair")
DISCREPANCY_TYPES = ("missing_in_statement", "extra_in_statement", "field_mismatch")
LIST_SET_KEYS = (
    "id",
    "title",
    "columns",
    "key",
    "ledger",
    "statement",
    "discrepancies",
)
PAIR_SET_KEYS = ("id", "title", "fields", "pairs")
PAIR_KEYS = ("id", "left", "right", "differs")
DISCREPANCY_KEYS = ("ref", "type", "field")


Rows = dict[str, dict[str, Any]]  # a side's rows by their key value
Discrepancy = tuple[str, str, str | None]  # (ref, type, field)


def read_reconciliation(
    top: Table, doc: File, data_files: list[Path]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(settings, {"mode": ..., "sets": [...]}) of a reconciliation file."""
    settings = read_common_settings(top, doc, "reconciliation", BAND_METRICS)
    mode = top.choice("mode", RECONCILIATION_MODES, required=True)
    data = data_file(top, doc, "sets_file", ".json", data_files)
    sets = _read_sets(data, mode) if data is not None else []
    settings["mode"] = mode
    settings["sets_per_attempt"] = draw(
        top, "sets_per_attempt", len(sets), "sets", default=SETS_PER_ATTEMPT
    )
    return settings, {"mode": mode, "sets": sets}


def _read_sets(data: File, mode: str | None) -> list[dict[str, Any]]:
    raw = data.read_json()
    if raw is None:
        return []
    if not isinstance(raw, list) or not raw:
        data.error("sets", "the file must hold a JSON list of sets", line=1)
        return []
    if mode is None:
        return []
    spans = json_element_spans(data.text or "")
    ids: set[str] = set()
    sets = []
    for index, entry in enumerate(raw):
        span = spans[index] if index < len(spans) else (0, len(data.text or ""))
        where = JsonWhere(data, span)
        label = f"sets[{index + 1}]"
        if not isinstance(entry, dict):
            where.error(label, "a set must be a JSON object")
            continue
        checker = _check_list_set if mode == "list" else _check_pair_set
        checker(entry, where, label)
        set_id = entry.get("id", f"s{index + 1:03d}")
        if not isinstance(set_id, str) or not set_id.strip():
            where.error(f"{label}.id", "a set id must be non-empty text")
        elif set_id in ids:
            where.error(f"{label}.id", f"set id {set_id!r} is used twice")
        ids.add(str(set_id))
        sets.append({**entry, "id": set_id})
    return sets


def _distinct_names(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, str) and v for v in value)
        and len(set(value)) == len(value)
    )


# --- list mode ---------------------------------------------------------------


def _check_list_set(entry: dict[str, Any], where: JsonWhere, label: str) -> None:
    where.check_keys(entry, LIST_SET_KEYS, label)
    where.text(entry, "title", label)
    columns = entry.get("columns")
    if not _distinct_names(columns):
        where.error(
            f"{label}.columns", "columns must be a list of distinct column names"
        )
        return
    key = entry.get("key")
    if key not in columns:
        where.error(
            f"{label}.key", f"key must name one of the columns ({', '.join(columns)})"
        )
        return
    ledger = _side_rows(entry, where, label, "ledger", columns, key)
    statement = _side_rows(entry, where, label, "statement", columns, key)
    discrepancies = entry.get("discrepancies")
    if not isinstance(discrepancies, list):
        where.error(
            f"{label}.discrepancies", "discrepancies must be a list (the answer key)"
        )
        return
    declared = _declared_discrepancies(
        discrepancies, where, label, ledger, statement, columns, key
    )
    actual = _actual_discrepancies(ledger, statement, columns, key)
    for ref, kind, fld in sorted(actual - declared, key=str):
        where.error(
            f"{label}.discrepancies",
            f"the answer key misses {kind} for {ref!r}" + (f" ({fld})" if fld else ""),
            needle=ref,
            after="ledger" if kind == "missing_in_statement" else "statement",
        )


def _side_rows(
    entry: dict[str, Any],
    where: JsonWhere,
    label: str,
    side: str,
    columns: list[str],
    key: str,
) -> Rows:
    """The usable rows of the ledger or the statement, by their key value."""
    rows = entry.get(side)
    by_ref: Rows = {}
    if not isinstance(rows, list):
        where.error(f"{label}.{side}", f"{side} must be a list of rows")
        return by_ref
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            where.error(f"{label}.{side}", f"row {number} must be an object")
            continue
        missing = [c for c in columns if c not in row]
        bad = [
            c for c in columns if c in row and not isinstance(row[c], str | int | float)
        ]
        ref = row.get(key)
        if missing or bad:
            where.error(
                f"{label}.{side}",
                f"row {number} ({ref!r}) "
                + (
                    f"lacks {', '.join(missing)}"
                    if missing
                    else f"has non-text {', '.join(bad)}"
                ),
                needle=ref,
                after=side,
            )
            continue
        ref = str(ref)
        if ref in by_ref:
            where.error(
                f"{label}.{side}", f"ref {ref!r} appears twice", needle=ref, after=side
            )
        by_ref[ref] = row
    return by_ref


def _declared_discrepancies(
    discrepancies: list[Any],
    where: JsonWhere,
    label: str,
    ledger: Rows,
    statement: Rows,
    columns: list[str],
    key: str,
) -> set[Discrepancy]:
    """The answer key's entries that are well formed and true of the rows."""
    declared: set[Discrepancy] = set()
    for number, item in enumerate(discrepancies, start=1):
        field_label = f"{label}.discrepancies[{number}]"
        if not isinstance(item, dict):
            where.error(field_label, "each discrepancy is an object {ref, type, field}")
            continue
        where.check_keys(item, DISCREPANCY_KEYS, field_label)
        ref, kind, fld = item.get("ref"), item.get("type"), item.get("field")
        if not isinstance(ref, str) or not ref:
            where.error(field_label, "ref must name a row's key")
            continue
        if kind not in DISCREPANCY_TYPES:
            where.error(
                field_label,
                f"type {kind!r} is not one of {', '.join(DISCREPANCY_TYPES)}",
                needle=ref,
                after="discrepancies",
            )
            continue
        problem = _discrepancy_problem(ref, kind, fld, ledger, statement, columns, key)
        if problem:
            where.error(field_label, problem, needle=ref, after="discrepancies")
            continue
        entry_key = (ref, kind, fld if kind == "field_mismatch" else None)
        if entry_key in declared:
            where.error(
                field_label,
                f"{entry_key} is listed twice",
                needle=ref,
                after="discrepancies",
            )
        declared.add(entry_key)
    return declared


def _discrepancy_problem(
    ref: str,
    kind: str,
    fld: Any,
    ledger: Rows,
    statement: Rows,
    columns: list[str],
    key: str,
) -> str | None:
    """Why the answer key's entry is not true of the rows; None when it is."""
    if kind == "missing_in_statement" and (ref not in ledger or ref in statement):
        return f"{ref!r} must be in the ledger and not in the statement"
    if kind == "extra_in_statement" and (ref in ledger or ref not in statement):
        return f"{ref!r} must be in the statement and not in the ledger"
    if kind == "field_mismatch":
        if ref not in ledger or ref not in statement:
            return f"{ref!r} must be on both sides for a field_mismatch"
        if fld not in columns or fld == key:
            return (
                f"field {fld!r} must be one of the compared columns "
                f"(not the key {key!r})"
            )
        if str(ledger[ref][fld]) == str(statement[ref][fld]):
            return f"{ref!r} has the same {fld} on both sides"
        return None
    if fld is not None:
        return f"{kind} takes field = null, not {fld!r}"
    return None


def _actual_discrepancies(
    ledger: Rows, statement: Rows, columns: list[str], key: str
) -> set[Discrepancy]:
    actual = {(r, "missing_in_statement", None) for r in ledger if r not in statement}
    actual |= {(r, "extra_in_statement", None) for r in statement if r not in ledger}
    actual |= {
        (r, "field_mismatch", c)
        for r in ledger
        if r in statement
        for c in columns
        if c != key and str(ledger[r][c]) != str(statement[r][c])
    }
    return actual


# --- pair mode ---------------------------------------------------------------


def _check_pair_set(entry: dict[str, Any], where: JsonWhere, label: str) -> None:
    where.check_keys(entry, PAIR_SET_KEYS, label)
    where.text(entry, "title", label)
    fields = entry.get("fields")
    if not _distinct_names(fields):
        where.error(f"{label}.fields", "fields must be a list of distinct field names")
        return
    pairs = entry.get("pairs")
    if not isinstance(pairs, list) or not pairs:
        where.error(f"{label}.pairs", "pairs must be a non-empty list")
        return
    ids: set[str] = set()
    for number, pair in enumerate(pairs, start=1):
        _check_pair(pair, where, label, number, fields, ids)


def _check_pair(
    pair: Any,
    where: JsonWhere,
    label: str,
    number: int,
    fields: list[str],
    ids: set[str],
) -> None:
    pair_label = f"{label}.pairs[{number}]"
    if not isinstance(pair, dict):
        where.error(pair_label, "each pair is an object {id, left, right, differs}")
        return
    pid = pair.get("id")
    needle = pid if isinstance(pid, str) else None
    where.check_keys(pair, PAIR_KEYS, pair_label, needle=needle)
    if not isinstance(pid, str) or not pid:
        where.error(pair_label, "every pair needs an id")
    elif pid in ids:
        where.error(
            pair_label, f"pair id {pid!r} is used twice in this set", needle=pid
        )
    else:
        pair_label = f"{label}.pairs.{pid}"
    ids.add(str(pid))
    sides_ok = True
    for side in ("left", "right"):
        values = pair.get(side)
        if not isinstance(values, dict):
            where.error(
                pair_label, f"{side} must be an object of field values", needle=needle
            )
            sides_ok = False
            continue
        missing = [f for f in fields if not isinstance(values.get(f), str)]
        if missing:
            where.error(
                pair_label, f"{side} lacks text for {', '.join(missing)}", needle=needle
            )
            sides_ok = False
    differs = pair.get("differs")
    if not isinstance(differs, list) or not all(isinstance(d, str) for d in differs):
        where.error(
            pair_label,
            "differs must be a list of field names ([] = identical)",
            needle=needle,
        )
        return
    for name in differs:
        if name not in fields:
            where.error(
                pair_label,
                f"differs names {name!r}, which is not one of the fields "
                f"({', '.join(fields)})",
                needle=needle,
            )
        elif sides_ok and pair["left"][name] == pair["right"][name]:
            where.error(
                pair_label,
                f"differs names {name!r}, but both sides have the same {name}",
                needle=needle,
            )
    if len(set(differs)) != len(differs):
        where.error(pair_label, "differs lists a field twice", needle=needle)
