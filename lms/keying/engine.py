"""Keying tests on the shared attempt engine: snapshot, learner view and score.

For each keying kind the attempt engine (lms.attempts.services) needs three
functions, registered with its scorer registry by `register()`:

* `build_snapshot(assessment, rng)`: at start, draw this attempt's records,
  entries, passages or sets from the assessment's pool with the attempt's
  seeded `rng` and copy everything scoring needs (answer keys, comparator
  profiles, critical flags, bands, settings) into one JSON-ready dict. The
  shape is the one `lms.keying.scoring` reads (docs/keying.md).
* `learner_items(snapshot)`: what the learner's browser may see while the
  attempt is live: the source document to copy (record values, 10-key
  amounts, passage text, ledger and statement rows, record pairs) and the
  names of the inputs, never comparison profiles, critical flags, planted
  discrepancies, `differs` lists or any other part of the key. The take page
  and the JSON API both render from this and nothing else.
* `score(snapshot, responses, events, elapsed_seconds)`: the pure scorer
  (`lms.keying.scoring.score`) on the events up to the time limit
  (`events.ignore_after`); its integrity flags (paste attempts, focus loss,
  implausible timing, replay mismatch) end up in `result["flags"]`, plus one
  of ours: typed values with no keystroke log behind them.

Draws: `rng.sample` keeps the draw in a random order, so two seeds give
different records in a different order and one seed always gives the same.
Pool items keep their content ids (`r007`, `e123`, `s002`), which carry no
part of the key. In pair mode the pairs of a drawn set are shuffled too.
Bands are frozen into the snapshot (the test's own, else the scorer's
defaults), so a later change of defaults never rewrites an old result.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from random import Random
from typing import Any

from lms.keying import events as keylog
from lms.keying import scoring

KINDS = scoring.KINDS

# How many items each kind draws when the settings do not say (the content
# loader fills these in; this only guards rows authored some other way).
DRAW_DEFAULTS = {
    "record_entry": ("records", "records_per_attempt", 5),
    "ten_key": ("entries", "entries_per_attempt", 40),
    "transcription": ("passages", "passages_per_attempt", 1),
    "reconciliation": ("sets", "sets_per_attempt", 1),
}

# Settings copied into every keying snapshot when the assessment has them.
COMMON_SETTINGS = ("correction_policy",)

# What a learner flags in list reconciliation.
MISSING_IN_STATEMENT = "missing_in_statement"
EXTRA_IN_STATEMENT = "extra_in_statement"
FIELD_MISMATCH = "field_mismatch"

# strptime directives shown to learners as the pattern of a date field.
DATE_HINTS = {
    "%d": "DD",
    "%m": "MM",
    "%Y": "YYYY",
    "%y": "YY",
    "%b": "Mon",
    "%B": "Month",
    "%H": "hh",
    "%M": "mm",
}


# --------------------------------------------------------------------------
# Snapshot
# --------------------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple):
        return []
    return [dict(v) for v in value if isinstance(v, Mapping)]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


def _draw_size(settings: Mapping[str, Any], kind: str, pool: int) -> int:
    _, key, default = DRAW_DEFAULTS[kind]
    wanted = settings.get(key, default)
    if isinstance(wanted, bool) or not isinstance(wanted, int) or wanted <= 0:
        wanted = default
    return min(wanted, pool)


def _draw(pool: list[dict[str, Any]], size: int, rng: Random) -> list[dict[str, Any]]:
    """`size` items of the pool in a random order (the order is part of the draw)."""
    return [copy.deepcopy(item) for item in rng.sample(pool, size)]


def _with_ids(items: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """Give every pool item a stable id (the loader does; hand-made rows may not)."""
    out = []
    for number, item in enumerate(items, start=1):
        ident = _text(item.get("id")).strip()
        out.append({**item, "id": ident or f"{prefix}{number:03d}"})
    return out


def _base(assessment: Any, kind: str) -> dict[str, Any]:
    settings = _mapping(assessment.settings)
    snapshot: dict[str, Any] = {"kind": kind}
    for key in COMMON_SETTINGS:
        if key in settings:
            snapshot[key] = settings[key]
    bands = settings.get("bands")
    if isinstance(bands, Mapping) and bands:
        snapshot["bands"] = copy.deepcopy(dict(bands))
    else:
        snapshot["bands"] = copy.deepcopy(scoring.DEFAULT_BANDS.get(kind, {}))
    return snapshot


def build_record_entry(assessment: Any, rng: Random) -> dict[str, Any]:
    """Fields with their profiles, and records_per_attempt records from the pool."""
    content, settings = _mapping(assessment.content), _mapping(assessment.settings)
    pool = _with_ids(_dicts(content.get("records")), "r")
    snapshot = _base(assessment, "record_entry")
    snapshot["fields"] = _dicts(content.get("fields"))
    snapshot["records"] = _draw(
        pool, _draw_size(settings, "record_entry", len(pool)), rng
    )
    return snapshot


def build_ten_key(assessment: Any, rng: Random) -> dict[str, Any]:
    """entries_per_attempt entries from the pool, the comparison mode and label."""
    content, settings = _mapping(assessment.content), _mapping(assessment.settings)
    pool = _with_ids(_dicts(content.get("entries")), "e")
    snapshot = _base(assessment, "ten_key")
    snapshot["compare"] = settings.get("compare", "string")
    snapshot["entry_label"] = _text(settings.get("entry_label")) or "Entry"
    snapshot["entries"] = _draw(pool, _draw_size(settings, "ten_key", len(pool)), rng)
    return snapshot


def build_transcription(assessment: Any, rng: Random) -> dict[str, Any]:
    """passages_per_attempt passages from the pool."""
    content, settings = _mapping(assessment.content), _mapping(assessment.settings)
    pool = _with_ids(_dicts(content.get("passages")), "p")
    snapshot = _base(assessment, "transcription")
    snapshot["passages"] = _draw(
        pool, _draw_size(settings, "transcription", len(pool)), rng
    )
    return snapshot


def build_reconciliation(assessment: Any, rng: Random) -> dict[str, Any]:
    """sets_per_attempt sets (with their discrepancies or `differs` keys).

    Pair mode also shuffles the pairs inside each drawn set.
    """
    content, settings = _mapping(assessment.content), _mapping(assessment.settings)
    mode = content.get("mode") or settings.get("mode") or "list"
    pool = _with_ids(_dicts(content.get("sets")), "s")
    snapshot = _base(assessment, "reconciliation")
    snapshot["mode"] = mode
    sets = _draw(pool, _draw_size(settings, "reconciliation", len(pool)), rng)
    if mode == "pair":
        for s in sets:
            pairs = _with_ids(_dicts(s.get("pairs")), "pair")
            rng.shuffle(pairs)
            s["pairs"] = pairs
    snapshot["sets"] = sets
    return snapshot


BUILDERS = {
    "record_entry": build_record_entry,
    "ten_key": build_ten_key,
    "transcription": build_transcription,
    "reconciliation": build_reconciliation,
}


def build_snapshot(assessment: Any, rng: Random) -> dict[str, Any]:
    """The snapshot of a keying assessment for one attempt (kind from the row)."""
    return BUILDERS[assessment.kind](assessment, rng)


# --------------------------------------------------------------------------
# What the learner may see
# --------------------------------------------------------------------------


def humanize(name: str) -> str:
    """A column or field name as a label: `pin_code` → `PIN code`."""
    words = name.replace("_", " ").replace("-", " ").split()
    if not words:
        return name
    special = {"pin": "PIN", "id": "ID", "po": "PO", "gst": "GST", "gstin": "GSTIN"}
    out = [special.get(w.lower(), w) for w in words]
    if out[0] == words[0]:
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def date_hint(fmt: Any) -> str:
    """A strptime format as the pattern learners are told to type (DD/MM/YYYY)."""
    if not isinstance(fmt, str) or not fmt:
        return ""
    hint = fmt
    for directive, shown in DATE_HINTS.items():
        hint = hint.replace(directive, shown)
    return hint if "%" not in hint else ""


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


def _passage_items(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": _text(p.get("id")),
            "type": "passage",
            "title": _text(p.get("title")),
            "text": _text(p.get("text")),
        }
        for p in _dicts(snapshot.get("passages"))
    ]


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


def learner_items(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The learner-visible items of a keying snapshot: source documents only."""
    kind = snapshot.get("kind")
    if kind == "record_entry":
        return _record_items(snapshot)
    if kind == "ten_key":
        return _ten_key_items(snapshot)
    if kind == "transcription":
        return _passage_items(snapshot)
    if kind == "reconciliation":
        sets = _dicts(snapshot.get("sets"))
        if snapshot.get("mode") == "pair":
            return [_pair_set_item(s) for s in sets]
        return [_list_set_item(s) for s in sets]
    return []


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------

TYPED_KINDS = ("record_entry", "ten_key", "transcription")


def _has_typed_values(responses: Any) -> bool:
    if not isinstance(responses, Mapping):
        return False
    for value in responses.values():
        if isinstance(value, str) and value.strip():
            return True
        if isinstance(value, Mapping) and any(
            isinstance(v, str) and v.strip() for v in value.values()
        ):
            return True
    return False


def _no_log_flag(snapshot: Mapping[str, Any], responses: Any, events: list) -> Any:
    """Typed answers with no input events at all: nothing shows they were keyed.

    The scorer's replay check only runs when there is a log to replay; a
    client that sends values and no events (scripts, a browser without our
    JavaScript) would otherwise pass unremarked.
    """
    if snapshot.get("kind") not in TYPED_KINDS or not _has_typed_values(responses):
        return None
    if any(e.get("type") == "input" for e in events):
        return None
    return {
        "code": "no_keystroke_log",
        "message": "Answers were saved without any keystroke record behind them.",
        "evidence": {"events": len(events)},
    }


def score(
    snapshot: dict[str, Any],
    responses: dict[str, Any],
    events: list[dict[str, Any]],
    elapsed_seconds: float,
) -> dict[str, Any]:
    """Score a keying attempt on the events made before time ran out.

    `elapsed_seconds` is the server's min(submitted, deadline) − started, so
    events whose client time is later than that are ignored (a slowed or
    tampered page cannot add keystrokes after the end).
    """
    seconds = elapsed_seconds if isinstance(elapsed_seconds, int | float) else 0
    kept = keylog.ignore_after(events or [], max(float(seconds), 0.0) * 1000.0)
    dropped = len(list(keylog.iter_events(events or []))) - len(kept)
    result = scoring.score(snapshot, responses, kept, elapsed_seconds)
    flag = _no_log_flag(snapshot, responses, kept)
    if flag is not None:
        result["flags"].append(flag)
    result["events_ignored"] = dropped
    return result


# --------------------------------------------------------------------------
# Answer shapes
# --------------------------------------------------------------------------

# Longest value one box takes: a 10-key entry or a record field is short; a
# passage is long, but never more than a few times its source.
MAX_FIELD_CHARS = 500
MAX_PASSAGE_CHARS = 20_000
MAX_FLAGS_PER_SET = 1000
FLAG_TYPES = (MISSING_IN_STATEMENT, EXTRA_IN_STATEMENT, FIELD_MISMATCH)


def _text_problem(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return "send text"
    if len(value) > limit:
        return f"values are limited to {limit} characters"
    return None


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


def validate_responses(
    snapshot: Mapping[str, Any], responses: Mapping[str, Any]
) -> list[str]:
    """Every problem with a batch of answers, as messages; [] when all are usable."""
    kind = snapshot.get("kind")
    checks: dict[str, Any] = {}
    if kind == "record_entry":
        names = {_text(f.get("name")) for f in _dicts(snapshot.get("fields"))}
        for record in _dicts(snapshot.get("records")):
            checks[_text(record.get("id"))] = lambda v, n=names: _record_problem(v, n)
    elif kind == "ten_key":
        for entry in _dicts(snapshot.get("entries")):
            checks[_text(entry.get("id"))] = lambda v: _text_problem(v, MAX_FIELD_CHARS)
    elif kind == "transcription":
        for passage in _dicts(snapshot.get("passages")):
            limit = max(MAX_PASSAGE_CHARS, 4 * len(_text(passage.get("text"))))
            checks[_text(passage.get("id"))] = lambda v, n=limit: _text_problem(v, n)
    elif kind == "reconciliation":
        for s in _dicts(snapshot.get("sets")):
            if snapshot.get("mode") == "pair":
                pairs = {_text(p.get("id")) for p in _dicts(s.get("pairs"))}
                fields = {_text(f) for f in s.get("fields") or ()}
                checks[_text(s.get("id"))] = lambda v, p=pairs, f=fields: (
                    _pair_answers_problem(v, p, f)
                )
            else:
                checks[_text(s.get("id"))] = _list_flags_problem
    errors = []
    for item_id, value in responses.items():
        check = checks.get(item_id)
        if check is None:
            errors.append(f"{item_id}: there is no such item in this attempt")
            continue
        problem = check(value)
        if problem:
            errors.append(f"{item_id}: {problem}")
    return errors


# --------------------------------------------------------------------------
# Review (per-item detail once the attempt is final)
# --------------------------------------------------------------------------

# What reconciliation items reveal of the key: hidden unless correct answers
# may be shown. (Record, entry and passage detail compares with the source
# document the learner had in front of them, which is no secret.)
RECONCILIATION_KEY_PARTS = ("expected", "differs", "missed")


def review(
    snapshot: Mapping[str, Any],
    result: Mapping[str, Any],
    responses: Mapping[str, Any],
    *,
    show_correct_answers: bool,
    show_feedback: bool,
) -> list[dict[str, Any]]:
    """The scored items of a result, as the learner may review them."""
    items = copy.deepcopy(list(result.get("items") or []))
    if show_correct_answers or snapshot.get("kind") != "reconciliation":
        return items
    for item in items:
        for key in RECONCILIATION_KEY_PARTS:
            item.pop(key, None)
        for pair in item.get("pairs") or ():
            for key in RECONCILIATION_KEY_PARTS:
                pair.pop(key, None)
    return items


# --------------------------------------------------------------------------
# Registration with the attempt engine
# --------------------------------------------------------------------------


def register() -> None:
    """Register every keying kind with the attempt engine's scorer registry.

    The engine calls this from its import hook
    (lms.attempts.services._register_keying_kinds). Pages: lms.keying.views,
    which lms.attempts.links sends every keying attempt to.
    """
    from lms.attempts.services import register_scorer

    for kind in KINDS:
        register_scorer(
            kind,
            build_snapshot,
            learner_items,
            score,
            validate_responses=validate_responses,
            review=review,
            uses_events=True,
            take_template="keying/take.html",
        )
