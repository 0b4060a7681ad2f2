"""Character alignment: typed against expected, every difference classified.

Text is compared by alignment, never by position (anchors §2.1): optimal
string alignment (OSA) distance from rapidfuzz, edit operations from
rapidfuzz's Levenshtein editops with adjacent swaps folded into one
transposition (anchors §2.5). When the folded script is longer than the OSA
distance (rare ties), a small pure-Python OSA backtrace gives the exact
script instead.
"""

from __future__ import annotations

from typing import NamedTuple

from rapidfuzz.distance import OSA, Levenshtein

# Longest value the pure-Python OSA fallback will take on (it is O(n·m));
# longer texts keep the rapidfuzz script, which is at most a few ops longer.
FALLBACK_MAX_CELLS = 40_000

# Edit operations use rapidfuzz's tags plus our own "transpose"; the diff and
# the error classes use the names the results page shows.
DIFF_OP = {
    "replace": "substitute",
    "delete": "omit",
    "insert": "insert",
    "transpose": "transpose",
}
OP_CLASS = {
    "replace": "substitution",
    "delete": "omission",
    "insert": "insertion",
    "transpose": "transposition",
}
# The same classes keyed by diff op, for diffs built elsewhere.
DIFF_OP_CLASS = {DIFF_OP[tag]: cls for tag, cls in OP_CLASS.items()}
# Both names per tag in one lookup (hot loop in `align`).
_TAG_INFO = {tag: (DIFF_OP[tag], OP_CLASS[tag]) for tag in DIFF_OP}

Op = tuple[str, int, int]  # (tag, expected index, typed index)
Diff = list[dict[str, str]]
Keys = str | list[str]


class Alignment(NamedTuple):
    """Character-level comparison of one expected and one typed value."""

    distance: int  # OSA distance: errors counting a swap as one
    counts: dict[str, int]  # error class → number of character operations
    diff: Diff  # [{"op", "expected", "typed"}] covering both strings in order


# NamedTuple's generated __new__ adds a Python frame; on the per-field hot
# path building the tuple directly is measurably cheaper (see the benchmark).
_new_tuple = tuple.__new__


def _fold_swaps(editops: list[Op], e: Keys, t: Keys) -> list[Op]:
    """Fold adjacent swaps in Levenshtein editops into one "transpose" each.

    Levenshtein spells a swap `ab`→`ba` in one of three ways (two replaces,
    insert-then-delete, delete-then-insert); each costs 2 there and 1 in OSA.
    """
    ops: list[Op] = []
    k, n = 0, len(editops)
    while k < n:
        tag, i, j = editops[k]
        if k + 1 < n:
            tag2, i2, j2 = editops[k + 1]
            if (
                (
                    (
                        tag == "replace"
                        and tag2 == "replace"
                        and i2 == i + 1
                        and j2 == j + 1
                    )
                    or (
                        tag == "insert"
                        and tag2 == "delete"
                        and i2 == i + 1
                        and j2 == j + 2
                    )
                    or (
                        tag == "delete"
                        and tag2 == "insert"
                        and i2 == i + 2
                        and j2 == j + 1
                    )
                )
                and e[i] == t[j + 1]
                and e[i + 1] == t[j]
                and e[i] != e[i + 1]
            ):
                ops.append(("transpose", i, j))
                k += 2
                continue
        ops.append((tag, i, j))
        k += 1
    return ops


def osa_ops(e: Keys, t: Keys) -> list[Op]:
    """Exact OSA edit script by dynamic programming (anchors §2.5 reference).

    Used only when the folded rapidfuzz script is longer than the OSA
    distance (overlapping errors); O(len(e)·len(t)), fine for field values.
    """
    n, m = len(e), len(t)
    d = [list(range(m + 1))] + [[i] + [0] * m for i in range(1, n + 1)]
    for i in range(1, n + 1):
        row, up = d[i], d[i - 1]
        ei = e[i - 1]
        for j in range(1, m + 1):
            best = min(up[j] + 1, row[j - 1] + 1, up[j - 1] + (ei != t[j - 1]))
            if i > 1 and j > 1 and ei == t[j - 2] and e[i - 2] == t[j - 1]:
                best = min(best, d[i - 2][j - 2] + 1)
            row[j] = best
    ops: list[Op] = []
    i, j = n, m
    while i > 0 or j > 0:
        if (
            i > 1
            and j > 1
            and e[i - 1] == t[j - 2]
            and e[i - 2] == t[j - 1]
            and e[i - 1] != e[i - 2]
            and d[i][j] == d[i - 2][j - 2] + 1
        ):
            ops.append(("transpose", i - 2, j - 2))
            i, j = i - 2, j - 2
        elif i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (e[i - 1] != t[j - 1]):
            if e[i - 1] != t[j - 1]:
                ops.append(("replace", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            ops.append(("delete", i - 1, j))
            i -= 1
        else:
            ops.append(("insert", i, j - 1))
            j -= 1
    ops.reverse()
    return ops


def push_segment(diff: Diff, op: str, expected: str, typed: str) -> None:
    """Append a diff segment, merging runs of the same kind (not swaps)."""
    if diff and op != "transpose":
        last = diff[-1]
        if last["op"] == op:
            last["expected"] += expected
            last["typed"] += typed
            return
    diff.append({"op": op, "expected": expected, "typed": typed})


def align(
    expected: str,
    typed: str,
    *,
    expected_keys: Keys | None = None,
    typed_keys: Keys | None = None,
) -> Alignment:
    """Align typed against expected and classify every difference.

    `expected_keys`/`typed_keys` (one entry per character) let a profile
    compare characters in a folded form (case-insensitive, NFKC) while the
    diff still shows the characters as written. Runs of the same operation
    merge into one diff segment (a swap never does), so a page marks
    "omitted: 00" rather than two separate zeros.
    """
    e: Keys = expected if expected_keys is None else expected_keys
    t: Keys = typed if typed_keys is None else typed_keys
    if not t or not e:
        if not e and not t:
            return _new_tuple(Alignment, (0, {}, []))
        op, cls = ("omit", "omission") if e else ("insert", "insertion")
        size = len(e) or len(t)
        return _new_tuple(
            Alignment,
            (size, {cls: size}, [{"op": op, "expected": expected, "typed": typed}]),
        )
    distance = OSA.distance(e, t)
    if not distance:
        return _new_tuple(
            Alignment, (0, {}, [{"op": "equal", "expected": expected, "typed": typed}])
        )
    ops = Levenshtein.editops(e, t).as_list()
    # Equal lengths mean the Levenshtein script is already OSA-optimal: a
    # foldable swap would make it shorter than the OSA distance.
    if len(ops) != distance:
        ops = _fold_swaps(ops, e, t)
        if len(ops) != distance and len(e) * len(t) <= FALLBACK_MAX_CELLS:
            ops = osa_ops(e, t)

    # One loop without helper calls: it runs for every wrong field.
    counts: dict[str, int] = {}
    diff: Diff = []
    last: dict[str, str] = {}
    last_tag = ""
    ei = tj = 0
    for tag, i, j in ops:
        if i > ei:
            diff.append(
                {"op": "equal", "expected": expected[ei:i], "typed": typed[tj:j]}
            )
            last_tag = ""
        if tag == "replace":
            e_part, t_part, ei, tj = expected[i], typed[j], i + 1, j + 1
        elif tag == "delete":
            e_part, t_part, ei, tj = expected[i], "", i + 1, j
        elif tag == "insert":
            e_part, t_part, ei, tj = "", typed[j], i, j + 1
        else:
            e_part, t_part = expected[i : i + 2], typed[j : j + 2]
            ei, tj = i + 2, j + 2
        op, cls = _TAG_INFO[tag]
        counts[cls] = counts.get(cls, 0) + 1
        if tag == last_tag and tag != "transpose":
            last["expected"] += e_part
            last["typed"] += t_part
        else:
            last = {"op": op, "expected": e_part, "typed": t_part}
            diff.append(last)
            last_tag = tag
    if ei < len(expected) or tj < len(typed):
        diff.append({"op": "equal", "expected": expected[ei:], "typed": typed[tj:]})
    return _new_tuple(Alignment, (distance, counts, diff))
