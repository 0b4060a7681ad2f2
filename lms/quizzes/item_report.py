"""The quiz's item-statistics page: facility, discrimination and choice counts
per question over the submitted, valid attempts, with the reasons a question
is flagged. The statistics themselves are pure (lms.quizzes.item_stats); this
module reads the attempts and the questions they used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from lms.attempts.models import SUBMITTED, Assessment, Attempt, Response
from lms.extensions import db
from lms.quizzes import grading, item_stats
from lms.quizzes.draws import fixed_ids
from lms.quizzes.models import Question, plain_snippet

FLAG_REASONS = {
    "negative_discrimination": "Negative discrimination: stronger learners do worse "
    "on it. Check the key.",
    "too_easy": "Almost everyone gets it right (facility ≥ 95 %).",
    "too_hard": "Almost nobody gets it right (facility ≤ 5 %).",
}


@dataclass(frozen=True)
class ChoiceCount:
    label: str
    count: int
    share: float
    correct: bool | None


@dataclass(frozen=True)
class ItemRow:
    number: int
    item_id: str
    title: str
    type: str
    stats: dict[str, Any]
    choices: list[ChoiceCount]
    reasons: list[str]

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class StatisticsReport:
    attempts: int
    rows: list[ItemRow]

    @property
    def enough(self) -> bool:
        return self.attempts >= item_stats.MIN_RELIABLE_N


def statistics_rows(
    assessment: Assessment, *, first_only: bool = False
) -> StatisticsReport:
    """Item analysis over the quiz's submitted, valid attempts.

    One query reads every attempt's score, per-item results and saved
    responses together; one more loads the bank questions they used.
    """
    stat_rows = [_stat_row(entry) for entry in _scored_attempts(assessment, first_only)]
    questions = _questions_for_stats(assessment, stat_rows)
    stats = item_stats.item_statistics(stat_rows, questions.values())
    order = list(questions) + [qid for qid in stats if qid not in questions]
    report_rows = []
    for number, qid in enumerate((q for q in order if q in stats), start=1):
        q = questions.get(qid)
        s = stats[qid]
        report_rows.append(
            ItemRow(
                number=number,
                item_id=qid,
                title=_question_title(q) if q else f"{qid} (no longer in the quiz)",
                type=(q or {}).get("type", ""),
                stats=s,
                choices=_choice_counts(q, s),
                reasons=[FLAG_REASONS[f] for f in s["flags"] if f in FLAG_REASONS],
            )
        )
    return StatisticsReport(attempts=len(stat_rows), rows=report_rows)


def _scored_attempts(assessment: Assessment, first_only: bool) -> list[dict[str, Any]]:
    """Each counted attempt's score, result and saved responses, in one query."""
    conditions = [
        Attempt.assessment_id == assessment.id,
        Attempt.state == SUBMITTED,
        Attempt.is_valid.is_(True),
        Attempt.result.is_not(None),
    ]
    if first_only:
        conditions.append(Attempt.number == 1)
    rows = db.session.execute(
        sa.select(
            Attempt.id, Attempt.score, Attempt.result, Response.item_id, Response.value
        )
        .outerjoin(Response, Response.attempt_id == Attempt.id)
        .where(*conditions)
        .order_by(Attempt.id)
    ).all()
    attempts: dict[int, dict[str, Any]] = {}
    for attempt_id, score, result, item_id, value in rows:
        entry = attempts.get(attempt_id)
        if entry is None:
            entry = attempts[attempt_id] = {
                "score": score,
                "result": result,
                "responses": {},
            }
        if item_id is not None:
            entry["responses"][item_id] = value
    return list(attempts.values())


def _stat_row(entry: dict[str, Any]) -> dict[str, Any]:
    """One attempt in the shape item_stats reads."""
    items = {}
    for qid, item in ((entry["result"] or {}).get("items") or {}).items():
        if not isinstance(item, dict):
            continue
        items[qid] = {
            "points": float(item.get("points") or 0),
            "max_points": float(item.get("max_points") or 0),
            "response": entry["responses"].get(qid),
        }
    total = entry["score"]
    if total is None:
        total = math.fsum(i["points"] for i in items.values())
    return {"attempt_total": float(total), "items": items}


def _questions_for_stats(
    assessment: Assessment, stat_rows: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Current question dicts by item id: inline ones, then the bank ones attempts used."""
    questions: dict[str, dict[str, Any]] = {}
    for q in (assessment.content or {}).get("questions") or []:
        if isinstance(q, dict) and q.get("id"):
            questions[str(q["id"])] = q
    bank_ids: list[int] = fixed_ids(assessment)
    for row in stat_rows:
        for qid in row["items"]:
            if qid.startswith("bank-") and qid[5:].isdigit():
                bank_ids.append(int(qid[5:]))
    bank_ids = list(dict.fromkeys(bank_ids))
    if bank_ids:
        by_id = {
            q.id: q
            for q in db.session.scalars(
                sa.select(Question).where(Question.id.in_(bank_ids))
            )
        }
        for bid in bank_ids:
            if bid in by_id:
                questions[f"bank-{bid}"] = by_id[bid].as_content()
    return questions


def _question_title(q: dict[str, Any]) -> str:
    title = q.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    return plain_snippet(q.get("prompt", ""), 90)


def _choice_counts(q: dict[str, Any] | None, s: dict[str, Any]) -> list[ChoiceCount]:
    counts: dict[str, int] = s.get("choice_counts") or {}
    n = s.get("n") or 0
    if not counts:
        return []
    labels: dict[str, tuple[str, bool | None]] = {}
    if q is not None:
        nq = grading.normalize_question(q)
        if nq["type"] in ("single", "multiple"):
            labels = {c["id"]: (c["text"], c["correct"]) for c in nq["choices"]}
        elif nq["type"] == "truefalse":
            labels = {
                "true": ("True", nq["answer"] is True),
                "false": ("False", nq["answer"] is False),
            }
    out = []
    for key, count in counts.items():
        label, correct = labels.get(key, (f"{key} (not a current choice)", None))
        out.append(ChoiceCount(label, count, count / n if n else 0.0, correct))
    return out
