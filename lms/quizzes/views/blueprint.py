"""The `quizzes` blueprint with the template filters and globals its pages use."""

from __future__ import annotations

from flask import Blueprint

from lms.attempts.policies import reviews_assessment
from lms.quizzes import policies
from lms.quizzes.bank import QUESTION_TYPE_LABELS
from lms.quizzes.models import plain_snippet

bp = Blueprint("quizzes", __name__)

bp.add_app_template_global(policies.can_edit_question, "can_edit_question")
bp.add_app_template_global(reviews_assessment, "can_review_assessment")
bp.add_app_template_global(policies.can_edit_quiz, "can_edit_quiz")


@bp.app_template_filter("question_type")
def _question_type_label(qtype: str) -> str:
    return QUESTION_TYPE_LABELS.get(qtype, qtype)


@bp.app_template_filter("plain")
def _plain(text: str, limit: int = 120) -> str:
    """A Markdown prompt as one plain line, for lists and tables."""
    return plain_snippet(text, limit)


@bp.app_template_filter("pct")
def _pct(value: float | None, digits: int = 0) -> str:
    """A 0–100 percentage (attempt.percent), unlike the `percent` filter's 0–1 fraction."""
    return "—" if value is None else f"{value:.{digits}f} %"


@bp.app_template_filter("points")
def _points(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if abs(value - round(value, 2)) < 1e-9 else f"{value:.2f}"
