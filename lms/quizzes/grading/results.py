"""What grading returns: one question's ItemResult and a whole attempt's QuizResult."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NO_ANSWER = "(no answer)"
INVALID_RESPONSE = "(invalid response)"


@dataclass(frozen=True)
class ItemResult:
    """The outcome of one question: `correct` is None while it awaits manual grading."""

    correct: bool | None
    points: float
    max_points: float
    feedback: str = ""
    choice_feedback: list[str] = field(default_factory=list)
    response_summary: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "correct": self.correct,
            "points": self.points,
            "max_points": self.max_points,
            "feedback": self.feedback,
            "choice_feedback": list(self.choice_feedback),
            "response_summary": self.response_summary,
        }


@dataclass(frozen=True)
class QuizResult:
    """A whole attempt. `percent` is 0–100; `items` is keyed by question id."""

    score: float
    max_score: float
    percent: float
    passed: bool
    items: dict[str, ItemResult]
    needs_manual_grading: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form stored on the attempt and returned by the API."""
        return {
            "score": self.score,
            "max_score": self.max_score,
            "percent": self.percent,
            "passed": self.passed,
            "needs_manual_grading": self.needs_manual_grading,
            "items": {qid: item.to_dict() for qid, item in self.items.items()},
        }
