"""10-key: numeric entries, each ended with Enter.

The boxes up to the last one keyed are lined up with the expected list as a
sequence, so one missed row is one `skipped_entry`, not a wrong answer in
every later box. Entries are compared string-exact by default (`1250` for
`1250.00` is a `format` error) or as numbers (`compare = "numeric"`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from rapidfuzz.distance import OSA, Levenshtein

from lms.keying import events as keylog
from lms.keying.scoring.alignment import align
from lms.keying.scoring.metrics import (
    ERROR_CLASSES,
    Result,
    add_event_metrics,
    empty_result,
    set_speeds,
)
from lms.keying.scoring.profiles import (
    EXACT,
    Verdict,
    add_counts,
    compare_entry,
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


def _entry_key(value: str, numeric: bool) -> Any:
    """What makes two entries 'the same' when lining up the entry lists."""
    if numeric:
        amount = parse_amount(value)
        if amount is not None:
            return amount.value
    return value


def _pair_block(
    expected: Sequence[str], typed: Sequence[str]
) -> list[tuple[int | None, int | None]]:
    """Pair the entries of one unequal stretch of the two lists.

    Equal lengths pair in order (one wrong entry per row). Otherwise a small
    alignment picks which expected entries were skipped (or which typed ones
    are extra) so the pairs are as similar as possible.
    """
    n, m = len(expected), len(typed)
    if n == m or n * m > 2500:
        pairs: list[tuple[int | None, int | None]] = [(k, k) for k in range(min(n, m))]
        pairs += [(k, None) for k in range(m, n)] + [(None, k) for k in range(n, m)]
        return pairs
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 or j == 0:
                cost[i][j] = float(i + j)
                continue
            sub = OSA.normalized_distance(expected[i - 1], typed[j - 1])
            cost[i][j] = min(
                cost[i - 1][j] + 1, cost[i][j - 1] + 1, cost[i - 1][j - 1] + sub
            )
    pairs = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            sub = OSA.normalized_distance(expected[i - 1], typed[j - 1])
            if math.isclose(cost[i][j], cost[i - 1][j - 1] + sub):
                pairs.append((i - 1, j - 1))
                i, j = i - 1, j - 1
                continue
        if i > 0 and (j == 0 or math.isclose(cost[i][j], cost[i - 1][j] + 1)):
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    pairs.reverse()
    return pairs


def _align_entries(
    expected: list[str], typed: list[str], numeric: bool
) -> list[tuple[int | None, int | None]]:
    """Line up expected entries with the typed (non-blank) entries, in order.

    Returns (expected index, typed index) pairs; None on one side means a
    skipped (or unreached) expected entry or an extra typed one. One skipped
    row is then one error, not a wrong answer on every row after it.
    """
    codes: dict[Any, int] = {}
    e_codes = [codes.setdefault(_entry_key(v, numeric), len(codes)) for v in expected]
    t_codes = [codes.setdefault(_entry_key(v, numeric), len(codes)) for v in typed]
    if e_codes == t_codes:
        return [(k, k) for k in range(len(expected))]
    pairs: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(e_codes, t_codes).as_list():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        elif tag == "delete":
            pairs += [(i, None) for i in range(i1, i2)]
        elif tag == "insert":
            pairs += [(None, j) for j in range(j1, j2)]
        else:
            block = _pair_block(expected[i1:i2], typed[j1:j2])
            pairs += [
                (None if a is None else i1 + a, None if b is None else j1 + b)
                for a, b in block
            ]
    return pairs


def score_ten_key(
    snapshot: Mapping[str, Any], responses: Any, events: Any, elapsed_seconds: float
) -> Result:
    """Score a 10-key attempt: numeric entries, each ended with Enter.

    The boxes up to the last one keyed are aligned with the expected list as
    a sequence, so a blank box (or a row slip that leaves one out) is one
    `skipped_entry` and an extra row is one `extra_entry`, not an error on
    every row after it. Entries after the last one keyed are unreached.
    Entry accuracy = accepted entries / (reached expected entries + extra
    entries).
    """
    events = keylog.checked(events)  # checked once, read several times
    seconds = seconds_of(elapsed_seconds)
    result = empty_result("ten_key", seconds, ERROR_CLASSES)
    numeric = snapshot.get("compare") == "numeric"
    responses = mapping(responses)
    entries = [
        (name_text(e.get("id")), expected_text(e.get("value")))
        for e in dicts(snapshot.get("entries"))
    ]
    expected = [value for _, value in entries]
    typed_boxes = [(eid, answer_text(responses.get(eid))) for eid, _ in entries]
    # Boxes after the last one keyed were never reached; blanks before it count.
    while typed_boxes and not typed_boxes[-1][1]:
        typed_boxes.pop()
    typed = [value for _, value in typed_boxes]

    pairs = _align_entries(expected, typed, numeric)
    # Expected entries after the last typed one were never reached.
    while pairs and pairs[-1][1] is None:
        pairs.pop()
    reached_ids = {i for i, _ in pairs if i is not None}

    counts = result["error_counts"]
    items = []
    accepted = judged = distance = length = k_final = k_correct = 0
    for i, j in pairs:
        exp_value = expected[i] if i is not None else ""
        typed_value = typed[j] if j is not None else ""
        box = typed_boxes[j][0] if j is not None else None
        if i is None:
            verdict = Verdict("extra_entry", ("extra_entry",), align("", typed_value))
        elif not typed_value:
            verdict = Verdict("skipped_entry", ("skipped_entry",), align(exp_value, ""))
        else:
            verdict = compare_entry(exp_value, typed_value, numeric)
        ok = verdict.status in (EXACT, "normalized_match")
        judged += 1
        distance += verdict.alignment.distance
        length += max(len(exp_value), len(typed_value))
        if typed_value:
            k_final += len(typed_value) + 1  # + Enter
        if ok:
            accepted += 1
            profile = "amount" if numeric else "exact"
            k_correct += credited_length(exp_value, typed_value, profile) + 1
            errors: dict[str, int] = {}
        else:
            errors = error_counts_of(verdict)
            add_counts(counts, errors)
        items.append(
            {
                "id": entries[i][0] if i is not None else None,
                "typed_in": box,
                "expected": exp_value,
                "typed": typed_value,
                "status": verdict.status,
                "errors": errors,
                "distance": verdict.alignment.distance,
                "diff": verdict.alignment.diff,
            }
        )
    for k, (eid, value) in enumerate(entries):
        if k not in reached_ids:
            items.append(
                {
                    "id": eid,
                    "typed_in": None,
                    "expected": value,
                    "typed": "",
                    "status": "unreached",
                    "errors": {},
                    "distance": 0,
                    "diff": [{"op": "unreached", "expected": value, "typed": ""}],
                }
            )

    set_speeds(result, k_final, k_correct, seconds)
    result["entry_accuracy"] = ratio(accepted, judged)
    result["char_accuracy"] = 1.0 - ratio(distance, length) if length else 0.0
    result["completion_pct"] = 100.0 * ratio(len(reached_ids), len(entries))
    result["items"] = items
    expected_values = {eid: {"": value} for eid, value in entries}
    amounts: list[tuple[str, str]] = []
    if events and numeric:  # 1,250.00 is accepted for 1250.00: keys alike
        amounts = [
            (eid, "") for eid, value in entries if parse_amount(value) is not None
        ]
    add_event_metrics(result, events, expected_values, amount_inputs=amounts)
    work = Work(
        sum(1 for v in typed if v),
        len(entries),
        "entries",
        "keyed",
        keystrokes=sum(len(value) + 1 for value in expected),
    )
    return finish(result, snapshot, responses, events, work)
