"""Record entry: fields of source records keyed into a form.

Each field is compared under its comparator profile (`profiles`). Fields
after the last one typed (records in order, fields in form order) are
unreached, not wrong; blanks before it are `blank` errors. Field-level error
classes replace a field's character counts in `error_counts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from lms.keying import events as keylog
from lms.keying.scoring.metrics import (
    ERROR_CLASSES,
    Result,
    add_event_metrics,
    empty_result,
    set_speeds,
)
from lms.keying.scoring.profiles import (
    EXACT,
    add_counts,
    compare_field,
    credited_length,
    error_counts_of,
    parse_amount,
)
from lms.keying.scoring.reading import (
    answer_text,
    dicts,
    expected_text,
    mapping,
    name_text,
    ratio,
    seconds_of,
)
from lms.keying.scoring.validity import Work, finish


class FieldSpec(NamedTuple):
    name: str
    label: str
    profile: str
    critical: bool
    fmt: str | None


def _field_specs(snapshot: Mapping[str, Any]) -> list[FieldSpec]:
    specs = []
    for field in dicts(snapshot.get("fields")):
        name = name_text(field.get("name"))
        label = field.get("label")
        profile = field.get("profile")
        fmt = field.get("format")
        specs.append(
            FieldSpec(
                name,
                label if isinstance(label, str) else name,
                profile if isinstance(profile, str) else EXACT,
                field.get("critical") is True,
                fmt if isinstance(fmt, str) else None,
            )
        )
    return specs


def score_record_entry(
    snapshot: Mapping[str, Any], responses: Any, events: Any, elapsed_seconds: float
) -> Result:
    """Score a record-entry attempt: fields of source records keyed into a form.

    Field accuracy = accepted / reached fields; record accuracy = attempted
    records with no field error / attempted records; critical accuracy is the
    field accuracy of critical fields (None when the form has none).
    """
    events = keylog.checked(events)  # checked once, read several times
    seconds = seconds_of(elapsed_seconds)
    result = empty_result("record_entry", seconds, ERROR_CLASSES)
    specs = _field_specs(snapshot)
    responses = mapping(responses)

    # Pass 1: the values, and the last field typed (later ones are unreached).
    grid: list[tuple[str, list[tuple[str, str]]]] = []
    last = position = -1
    for record in dicts(snapshot.get("records")):
        rid = name_text(record.get("id"))
        values = mapping(record.get("values"))
        typed_values = mapping(responses.get(rid))
        row = []
        for spec in specs:
            typed = answer_text(typed_values.get(spec.name))
            row.append((expected_text(values.get(spec.name)), typed))
            position += 1
            if typed:
                last = position
        grid.append((rid, row))

    counts = result["error_counts"]
    reached = accepted = crit_reached = crit_accepted = typed_fields = 0
    distance = length = k_final = k_correct = 0
    records_attempted = records_correct = 0
    items = []
    position = -1
    for rid, row in grid:
        fields = []
        record_reached, record_ok = False, True
        for spec, (expected, typed) in zip(specs, row, strict=True):
            position += 1
            if position > last:
                fields.append(_unreached_field(spec, expected))
                continue
            record_reached = True
            verdict = compare_field(expected, typed, spec.profile, spec.fmt)
            ok = verdict.status == EXACT or verdict.status == "normalized_match"
            reached += 1
            distance += verdict.alignment.distance
            length += max(len(expected), len(typed))
            if typed:
                typed_fields += 1
                k_final += len(typed) + 1  # + Tab/Enter that ends the field
            if spec.critical:
                crit_reached += 1
                crit_accepted += ok
            if ok:
                accepted += 1
                if typed:
                    k_correct += credited_length(expected, typed, spec.profile) + 1
                errors: dict[str, int] = {}
            else:
                record_ok = False
                errors = error_counts_of(verdict)
                add_counts(counts, errors)
            fields.append(
                {
                    "name": spec.name,
                    "label": spec.label,
                    "profile": spec.profile,
                    "critical": spec.critical,
                    "expected": expected,
                    "typed": typed,
                    "status": verdict.status,
                    "errors": errors,
                    "distance": verdict.alignment.distance,
                    "diff": verdict.alignment.diff,
                }
            )
        if record_reached:
            records_attempted += 1
            records_correct += record_ok
        items.append(
            {
                "id": rid,
                "status": ("correct" if record_ok else "error")
                if record_reached
                else "unreached",
                "fields": fields,
            }
        )

    set_speeds(result, k_final, k_correct, seconds)
    total_fields = len(specs) * len(grid)
    result["field_accuracy"] = ratio(accepted, reached)
    result["record_accuracy"] = ratio(records_correct, records_attempted)
    has_critical = any(spec.critical for spec in specs) and bool(grid)
    result["critical_accuracy"] = (
        ratio(crit_accepted, crit_reached) if has_critical else None
    )
    result["char_accuracy"] = 1.0 - ratio(distance, length) if length else 0.0
    result["completion_pct"] = 100.0 * ratio(reached, total_fields)
    result["items"] = items
    expected_values = {
        rid: {
            spec.name: expected for spec, (expected, _) in zip(specs, row, strict=True)
        }
        for rid, row in grid
    }
    amounts: list[tuple[str, str]] = []
    if events:  # amount fields (with an amount as key) ignore separators
        amounts = [
            (rid, spec.name)
            for rid, row in grid
            for spec, (expected, _) in zip(specs, row, strict=True)
            if spec.profile == "amount" and parse_amount(expected) is not None
        ]
    add_event_metrics(result, events, expected_values, amount_inputs=amounts)
    # The whole drawn form keyed as shown: every expected value + Tab.
    keystrokes = sum(
        len(expected) + 1 for _rid, row in grid for expected, _typed in row
    )
    work = Work(typed_fields, total_fields, "fields", "typed", keystrokes=keystrokes)
    return finish(result, snapshot, responses, events, work)


def _unreached_field(spec: FieldSpec, expected: str) -> dict[str, Any]:
    return {
        "name": spec.name,
        "label": spec.label,
        "profile": spec.profile,
        "critical": spec.critical,
        "expected": expected,
        "typed": "",
        "status": "unreached",
        "errors": {},
        "distance": 0,
        "diff": [{"op": "unreached", "expected": expected, "typed": ""}],
    }
