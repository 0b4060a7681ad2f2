"""Item analysis for quiz questions (pure: no Flask, no database).

Trainers use it to find questions that are broken, too easy or too hard,
as in Moodle's quiz statistics report. Input is one row per finalised
attempt:

    {"attempt_total": 7.5,
     "items": {"q01": {"points": 1.0, "max_points": 1.0, "response": "c1a2b3c4d"}, ...}}

Per question the result holds:

* `n`: attempts that were shown the question (random pools show a subset);
  entries with `max_points` ≤ 0 cannot be scored and are left out.
* `facility`: mean of points / max_points (0 = nobody, 1 = everybody).
* `sd`: population standard deviation of that score fraction.
* `discrimination`: Pearson correlation between the item score and the rest
  of the test (attempt_total − item points), which is the point-biserial
  correlation for all-or-nothing items. Using the rest score stops the item
  correlating with itself. None when either side has no variance.
* `discrimination_index`: mean item fraction of the top 27 % of attempts by
  attempt_total minus that of the bottom 27 % (at least one attempt per
  group; ties are broken by input order). None with fewer than 2 attempts.
* `choice_counts`: how often each choice id was picked (a multiple-answer
  response counts once per picked id), `no_response`: blank responses.
  Pass `questions` (content-format dicts) to get every choice of a single or
  multiple question, including never-picked ones, in file order; without it,
  string and list-of-string responses are counted as given, and true/false
  answers as "true"/"false".
* `flags`: "few_responses" (n < 30: figures shown but too few to trust),
  "too_easy" (facility ≥ 0.95), "too_hard" (≤ 0.05),
  "negative_discrimination" (stronger candidates do worse on it: often a
  wrong key — only from 30 responses on, since a correlation over a handful
  of attempts swings sign by chance). `reliable` is False when n < 30.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lms.quizzes.grading import normalize_question

# Below about 30 responses a discrimination figure is noise (classical test
# theory rules of thumb ask for 30 or more per item).
MIN_RELIABLE_N = 30
TOO_EASY = 0.95
TOO_HARD = 0.05
EXTREME_GROUP_SHARE = 0.27
# Correlations computed in floating point can come out as -1e-17 for a true 0.
_NEGATIVE_EPSILON = 1e-9


@dataclass(frozen=True)
class _Observation:
    total: float
    points: float
    fraction: float
    response: object


def item_statistics(
    rows: Iterable[Mapping[str, Any]],
    questions: Iterable[Mapping[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Statistics per question id, in order of first appearance (see module docstring)."""
    observations = _collect(rows)
    known = {}
    for q in questions or ():
        nq = normalize_question(q)
        known[nq["id"]] = nq
    for qid in known:
        observations.setdefault(qid, [])
    return {qid: _item_stats(obs, known.get(qid)) for qid, obs in observations.items()}


def _collect(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[_Observation]]:
    observations: dict[str, list[_Observation]] = {}
    for row_number, row in enumerate(rows, start=1):
        total = _number(row.get("attempt_total"), f"row {row_number}: attempt_total")
        items = row.get("items")
        if not isinstance(items, Mapping):
            raise ValueError(
                f"row {row_number}: items must be a mapping of question id to result"
            )
        for qid, entry in items.items():
            where = f"row {row_number}, question {qid!r}"
            if not isinstance(entry, Mapping):
                raise ValueError(f"{where}: expected points, max_points and response")
            points = _number(entry.get("points"), f"{where}: points")
            max_points = _number(entry.get("max_points"), f"{where}: max_points")
            observations.setdefault(qid, [])
            if max_points <= 0:
                continue
            observations[qid].append(
                _Observation(total, points, points / max_points, entry.get("response"))
            )
    return observations


def _number(value: object, where: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
    ):
        raise ValueError(f"{where} must be a finite number, not {value!r}")
    return float(value)


def _item_stats(
    obs: list[_Observation], question: Mapping[str, Any] | None
) -> dict[str, Any]:
    n = len(obs)
    fractions = [o.fraction for o in obs]
    facility = _mean(fractions)
    discrimination = _correlation(fractions, [o.total - o.points for o in obs])
    index = _extreme_groups_index(obs)
    counts, no_response = _response_counts(obs, question)
    return {
        "n": n,
        "reliable": n >= MIN_RELIABLE_N,
        "facility": facility,
        "sd": _population_sd(fractions),
        "mean_points": _mean([o.points for o in obs]),
        "discrimination": discrimination,
        "discrimination_index": index,
        "choice_counts": counts,
        "no_response": no_response,
        "flags": _flags(n, facility, discrimination),
    }


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _population_sd(values: list[float]) -> float | None:
    mean = _mean(values)
    if mean is None:
        return None
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when it is undefined (fewer than 2 points, or no variance)."""
    if len(xs) < 2:
        return None
    mean_x, mean_y = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx = math.fsum(d * d for d in dx)
    syy = math.fsum(d * d for d in dy)
    # The square roots apart: sxx * syy underflows to 0 for tiny spreads.
    spread = math.sqrt(sxx) * math.sqrt(syy)
    if spread <= 0:
        return None
    r = math.fsum(a * b for a, b in zip(dx, dy, strict=True)) / spread
    return max(-1.0, min(1.0, r))


def _extreme_groups_index(obs: list[_Observation]) -> float | None:
    """Upper-minus-lower 27 % discrimination index (Kelley)."""
    n = len(obs)
    if n < 2:
        return None
    size = max(1, round(EXTREME_GROUP_SHARE * n))
    ranked = sorted(obs, key=lambda o: o.total)  # stable: ties keep input order
    lower, upper = ranked[:size], ranked[-size:]
    return (
        math.fsum(o.fraction for o in upper) / size
        - math.fsum(o.fraction for o in lower) / size
    )


def _response_counts(
    obs: list[_Observation], question: Mapping[str, Any] | None
) -> tuple[dict[str, int], int]:
    qtype = question["type"] if question else None
    counts: dict[str, int] = {}
    if qtype in ("single", "multiple"):
        counts = {c["id"]: 0 for c in question["choices"]}
    elif qtype == "truefalse":
        counts = {"true": 0, "false": 0}
    countable = qtype is None or qtype in ("single", "multiple", "truefalse")
    no_response = 0
    for o in obs:
        if _is_blank(o.response):
            no_response += 1
        elif countable:
            for key in _response_keys(o.response):
                counts[key] = counts.get(key, 0) + 1
    if qtype is None:
        counts = dict(sorted(counts.items()))
    return counts, no_response


def _is_blank(response: object) -> bool:
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    return isinstance(response, list | tuple | dict) and not response


def _response_keys(response: object) -> list[str]:
    """The choice ids (or true/false) a response counts towards."""
    if isinstance(response, bool):
        return ["true" if response else "false"]
    if isinstance(response, str):
        return [response] if response.strip() else []
    if isinstance(response, list | tuple):
        return list(
            dict.fromkeys(r for r in response if isinstance(r, str) and r.strip())
        )
    return []


def _flags(n: int, facility: float | None, discrimination: float | None) -> list[str]:
    flags = []
    if n < MIN_RELIABLE_N:
        flags.append("few_responses")
    if facility is not None and facility >= TOO_EASY:
        flags.append("too_easy")
    if facility is not None and facility <= TOO_HARD:
        flags.append("too_hard")
    # Only the correlation decides: when it is undefined (no variance in the item
    # or in the rest score) the upper-lower index cannot be negative either.
    reliable = n >= MIN_RELIABLE_N
    if reliable and discrimination is not None and discrimination < -_NEGATIVE_EPSILON:
        flags.append("negative_discrimination")
    return flags
