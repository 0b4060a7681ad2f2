"""Reconciliation: spotting the differences between two sources.

List mode (ledger vs statement): precision, recall and F1 over the flagged
discrepancies `(ref, type, field)`, half credit for the right ref and type
with the wrong field. Pair mode (USPS 473 style): each pair answered with the
fields that differ; pair accuracy and the guessing-corrected score.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lms.keying import events as keylog
from lms.keying.scoring.metrics import (
    RECONCILIATION_ERROR_CLASSES,
    Result,
    empty_result,
)
from lms.keying.scoring.profiles import add_counts
from lms.keying.scoring.reading import (
    answer_text,
    dicts,
    expected_text,
    mapping,
    name_text,
    ratio,
    seconds_of,
    strings,
)
from lms.keying.scoring.validity import Work, finish

FIELD_MISMATCH = "field_mismatch"
PARTIAL_CREDIT = 0.5


def _prf(credit: float, flagged: int, expected: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from credited matches.

    Nothing to find and nothing flagged is perfect; flagging nothing when
    there was something to find earns 0 precision (nothing earns nothing).
    """
    if expected == 0 and flagged == 0:
        return 1.0, 1.0, 1.0
    precision = ratio(credit, flagged) if flagged else 0.0
    recall = ratio(credit, expected) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _discrepancy(value: Mapping[str, Any]) -> tuple[str, str, str | None]:
    """(ref, type, field) in a comparable form; field only for field mismatches."""
    ref = expected_text(value.get("ref"))
    kind = answer_text(value.get("type")).casefold()
    field = answer_text(value.get("field")).casefold() or None
    return ref.casefold(), kind, field if kind == FIELD_MISMATCH else None


def _display(
    key: tuple[str, str, str | None], source: Mapping[str, Any]
) -> dict[str, Any]:
    field = answer_text(source.get("field")) or None
    return {
        "ref": expected_text(source.get("ref")),
        "type": key[1],
        "field": field if key[2] is not None else None,
    }


def _match_discrepancies(
    expected: list[tuple[str, str, str | None]],
    flagged: list[tuple[str, str, str | None]],
) -> tuple[list[str], list[str]]:
    """Status of each expected and each flagged tuple: exact matches first, then
    right ref and type with the wrong field for half credit."""
    e_status = ["missed"] * len(expected)
    f_status = ["false_alarm"] * len(flagged)
    for fi, key in enumerate(flagged):
        for ei, target in enumerate(expected):
            if e_status[ei] == "missed" and target == key:
                e_status[ei], f_status[fi] = "found", "correct"
                break
    for fi, key in enumerate(flagged):
        if f_status[fi] != "false_alarm":
            continue
        for ei, target in enumerate(expected):
            if e_status[ei] == "missed" and target[:2] == key[:2]:
                e_status[ei], f_status[fi] = "partial", "partial"
                break
    return e_status, f_status


def _distinct_discrepancies(
    value: Any,
) -> tuple[list[tuple[str, str, str | None]], list[Mapping[str, Any]]]:
    """Comparable keys and their source dicts; the same tuple twice is one."""
    keys: list[tuple[str, str, str | None]] = []
    sources = []
    for d in dicts(value):
        key = _discrepancy(d)
        if key not in keys:
            keys.append(key)
            sources.append(d)
    return keys, sources


def _score_list_set(
    s: Mapping[str, Any], answer: Any
) -> tuple[float, int, int, dict[str, int], dict[str, Any]]:
    expected, sources = _distinct_discrepancies(s.get("discrepancies"))
    flagged, flagged_sources = _distinct_discrepancies(answer)
    e_status, f_status = _match_discrepancies(expected, flagged)
    credit = f_status.count("correct") + PARTIAL_CREDIT * f_status.count("partial")
    counts = {
        "missed": e_status.count("missed"),
        "wrong_field": e_status.count("partial"),
        "false_alarm": f_status.count("false_alarm"),
    }
    precision, recall, f1 = _prf(credit, len(flagged), len(expected))
    item = {
        "id": name_text(s.get("id")),
        "expected": [
            {**_display(k, src), "status": st}
            for k, src, st in zip(expected, sources, e_status, strict=True)
        ],
        "flagged": [
            {**_display(k, src), "status": st}
            for k, src, st in zip(flagged, flagged_sources, f_status, strict=True)
        ],
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }
    return credit, len(flagged), len(expected), counts, item


def _pair_answer(value: Any) -> set[str] | None:
    """A pair's answer as a set of field names; None when unanswered."""
    if not isinstance(value, list | tuple):
        return None
    return set(strings(value))


def _score_pair_set(s: Mapping[str, Any], answers: Any) -> dict[str, Any]:
    fields = strings(s.get("fields"))
    answers = mapping(answers)
    options = 2 ** len(fields)  # each answer is a subset of the fields
    right = wrong = answered = tp = flagged = expected_flags = 0
    pairs = []
    for pair in dicts(s.get("pairs")):
        pid = name_text(pair.get("id"))
        truth = set(strings(pair.get("differs")))
        answer = _pair_answer(answers.get(pid))
        expected_flags += len(truth)
        if answer is None:
            status = "unanswered"
        else:
            answered += 1
            flagged += len(answer)
            tp += len(answer & truth)
            status = "correct" if answer == truth else "wrong"
            right += status == "correct"
            wrong += status == "wrong"
        pairs.append(
            {
                "id": pid,
                "differs": sorted(truth),
                "answer": sorted(answer) if answer is not None else None,
                "status": status,
                "missed": sorted(truth - answer)
                if answer is not None
                else sorted(truth),
                "false_alarms": sorted(answer - truth) if answer is not None else [],
            }
        )
    return {
        "id": name_text(s.get("id")),
        "options": options,
        "right": right,
        "wrong": wrong,
        "answered": answered,
        "total": len(pairs),
        "tp": tp,
        "flagged": flagged,
        "expected_flags": expected_flags,
        "pairs": pairs,
    }


def score_reconciliation(
    snapshot: Mapping[str, Any], responses: Any, events: Any, elapsed_seconds: float
) -> Result:
    """Score spotting differences: list mode (ledger vs statement) or pair mode.

    List mode: precision/recall/F1 over (ref, type, field) with half credit for
    the right ref and type but the wrong field. Pair mode adds pair accuracy
    (right / answered) and the guessing-corrected score R − W/(k−1), where k
    is the number of possible answers per pair (2^fields); blanks cost nothing.
    """
    events = keylog.checked(events)  # checked once, read several times
    seconds = seconds_of(elapsed_seconds)
    result = empty_result("reconciliation", seconds, RECONCILIATION_ERROR_CLASSES)
    responses = mapping(responses)
    sets = dicts(snapshot.get("sets"))
    if snapshot.get("mode") == "pair":
        work = _score_pair_mode(result, sets, responses)
    else:
        work = _score_list_mode(result, sets, responses)
    return finish(result, snapshot, responses, events, work)


def _score_list_mode(
    result: Result, sets: list[Mapping[str, Any]], responses: Mapping[str, Any]
) -> Work:
    credit = 0.0
    flagged = expected = answered_sets = 0
    counts = result["error_counts"]
    for s in sets:
        answer = responses.get(name_text(s.get("id")))
        answered_sets += isinstance(answer, list | tuple)
        c, f, e, set_counts, item = _score_list_set(s, answer)
        credit, flagged, expected = credit + c, flagged + f, expected + e
        add_counts(counts, set_counts)
        result["items"].append(item)
    result["precision"], result["recall"], result["f1"] = _prf(
        credit, flagged, expected
    )
    result["completion_pct"] = 100.0 * ratio(answered_sets, len(sets))
    rows = sum(
        len(dicts(s.get("ledger"))) + len(dicts(s.get("statement"))) for s in sets
    )
    return Work(answered_sets, len(sets), "sets", "answered", rows=rows)


def _score_pair_mode(
    result: Result, sets: list[Mapping[str, Any]], responses: Mapping[str, Any]
) -> Work:
    scored = [_score_pair_set(s, responses.get(name_text(s.get("id")))) for s in sets]
    right = sum(s["right"] for s in scored)
    answered = sum(s["answered"] for s in scored)
    total = sum(s["total"] for s in scored)
    tp = sum(s["tp"] for s in scored)
    flagged = sum(s["flagged"] for s in scored)
    expected = sum(s["expected_flags"] for s in scored)
    # Guessing correction per set (k can differ by set); k < 2 cannot be guessed.
    corrected = sum(s["right"] - s["wrong"] / max(s["options"] - 1, 1) for s in scored)
    counts = result["error_counts"]
    counts["missed"] = expected - tp
    counts["false_alarm"] = flagged - tp
    result["precision"], result["recall"], result["f1"] = _prf(tp, flagged, expected)
    result["pair_accuracy"] = ratio(right, answered)
    result["corrected_score"] = corrected
    result["corrected_score_max"] = total
    result["completion_pct"] = 100.0 * ratio(answered, total)
    result["items"] = [
        {k: s[k] for k in ("id", "right", "wrong", "answered", "total", "pairs")}
        for s in scored
    ]
    # Each pair is two rows to read: its left and its right record.
    return Work(answered, total, "pairs", "answered", rows=2 * total)
