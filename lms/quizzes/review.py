"""Trainers reviewing a quiz's attempts: the attempt list with counts by state,
one attempt in full with the answer key, and the trail of changes to it.

Who may review is lms.attempts.policies' rule; grading by hand goes through
the engine (lms.attempts.regrading).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload

from lms.attempts.models import Assessment, Attempt, AuditEvent, Response
from lms.extensions import db
from lms.markdown import render_markdown
from lms.quizzes import grading

ATTEMPT_STATES = ("in_progress", "submitted", "abandoned")


def attempts_page(assessment: Assessment, *, state: str = "", page: int, per_page: int):
    """A page of the quiz's attempts, newest first, with their learners."""
    stmt = (
        sa.select(Attempt)
        .where(Attempt.assessment_id == assessment.id)
        # The list never shows the snapshot, which holds every question.
        .options(joinedload(Attempt.user), defer(Attempt.snapshot))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    if state in ATTEMPT_STATES:
        stmt = stmt.where(Attempt.state == state)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def state_counts(assessment: Assessment) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Attempt.state, sa.func.count())
        .where(Attempt.assessment_id == assessment.id)
        .group_by(Attempt.state)
    )
    return {state: count for state, count in rows}


def get_attempt(assessment: Assessment, attempt_id: int) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt)
        .where(Attempt.id == attempt_id, Attempt.assessment_id == assessment.id)
        .options(joinedload(Attempt.user))
    )


def snapshot_questions(snapshot: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The question dicts (with keys) an attempt was given."""
    if not isinstance(snapshot, dict):
        return []
    for key in ("questions", "items"):
        value = snapshot.get(key)
        if isinstance(value, list):
            return [q for q in value if isinstance(q, dict)]
    return []


def correct_answer_text(q: dict[str, Any]) -> str:
    """The key of a question, written for a trainer."""
    nq = grading.normalize_question(q)
    qtype = nq["type"]
    if qtype in ("single", "multiple"):
        return "; ".join(c["text"] for c in nq["choices"] if c["correct"]) or "—"
    if qtype == "truefalse":
        return {True: "True", False: "False"}.get(nq["answer"], "—")
    if qtype == "short":
        shown = " / ".join(nq["answers"])
        return shown + (" (case-sensitive)" if nq["case_sensitive"] else "")
    if qtype == "numeric":
        if nq["answer"] is None:
            return "—"
        text = f"{nq['answer']:g}"
        if nq["tolerance"]:
            text += f" ± {nq['tolerance']:g}"
        return f"{text} {nq['units']}".strip()
    if qtype == "ordering":
        return " → ".join(i["text"] for i in nq["items"])
    return "—"


@dataclass(frozen=True)
class ReviewItem:
    number: int
    question: dict[str, Any]
    prompt_html: str
    response: Any
    result: dict[str, Any]
    correct_answer: str
    answer_text: str
    choices: list[dict[str, Any]]

    @property
    def id(self) -> str:
        return str(self.question.get("id", ""))

    @property
    def outcome(self) -> str:
        """right | partial | wrong | pending (awaits manual grading) | none (no result)."""
        if not self.result:
            return "none"
        correct = self.result.get("correct")
        if correct is None and "override" not in self.result:
            return "pending"
        points = float(self.result.get("points") or 0)
        max_points = float(self.result.get("max_points") or 0)
        if max_points > 0 and math.isclose(points, max_points):
            return "right"
        return "partial" if points > 0 else "wrong"


def _answer_text(q: dict[str, Any], response: Any, result: dict[str, Any]) -> str:
    summary = result.get("response_summary")
    if isinstance(summary, str) and summary:
        return summary
    if response is None or response == "" or response == []:
        return grading.NO_ANSWER
    try:
        return grading.grade_question(q, response).response_summary
    except grading.UnknownQuestionType:
        return str(response)


def _review_choices(q: dict[str, Any], response: Any) -> list[dict[str, Any]]:
    nq = grading.normalize_question(q)
    if nq["type"] not in ("single", "multiple"):
        return []
    picked = set(response) if isinstance(response, list) else {response}
    return [
        {
            "text": c["text"],
            "correct": c["correct"],
            "picked": c["id"] in picked,
            "feedback": c["feedback"],
        }
        for c in nq["choices"]
    ]


def review_items(attempt: Attempt) -> list[ReviewItem]:
    """Every question of the attempt with the learner's answer, the key and the marks."""
    responses = dict(
        db.session.execute(
            sa.select(Response.item_id, Response.value).where(
                Response.attempt_id == attempt.id
            )
        ).all()
    )
    results = ((attempt.result or {}).get("items")) or {}
    items = []
    for number, q in enumerate(snapshot_questions(attempt.snapshot), start=1):
        qid = str(q.get("id", ""))
        response = responses.get(qid)
        result = results.get(qid) or {}
        items.append(
            ReviewItem(
                number=number,
                question=q,
                prompt_html=render_markdown(str(q.get("prompt", ""))),
                response=response,
                result=result,
                correct_answer=correct_answer_text(q),
                answer_text=_answer_text(q, response, result),
                choices=_review_choices(q, response),
            )
        )
    return items


def audit_trail(target_type: str, target_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.target_type == target_type, AuditEvent.target_id == target_id
            )
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        )
    )
