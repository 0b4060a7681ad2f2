"""The quiz kind of the attempt engine (`QuizKind`): snapshot, learner view,
answer shapes, scoring, review and regrading, on top of the pure grading in
lms.quizzes.grading. Settings come from lms.quizzes.settings, their one owner.

Shapes (docs/attempts.md has the full contract):

* ``Assessment.content`` — ``{"questions": [question dicts of
  docs/content-format.md]}`` for file quizzes, or ``{"slots": [...]}`` for quizzes
  built in the browser, which lms.quizzes.draws.resolve_questions(assessment,
  rng) turns into question dicts.
* ``Assessment.settings`` — the quiz keys of docs/content-format.md
  (pass_percent, shuffle_questions, shuffle_choices, questions_per_page,
  grading_method, review, show_correct_answers, show_feedback) plus
  ``questions_per_attempt`` (draw that many at random from the list) and the
  engine's ``delay_minutes`` and ``grace_seconds``.
* The snapshot keeps the *normalised* questions (keys included) in the order
  this attempt shows them, a seed for the choice order, and each prompt
  rendered to sanitised HTML once.
* A response is keyed by question id: single → choice id; multiple → list of
  choice ids; truefalse → true/false; short → text; numeric → text or number;
  ordering → every item id once, in the learner's order; null clears it.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from lms.attempts.kinds import AssessmentKind, ReviewContext, ReviewOptions
from lms.markdown import render_markdown
from lms.quizzes import grading
from lms.quizzes.settings import QuizSettings

QUIZ = "quiz"
MAX_TEXT_LENGTH = 2000
# What "show which answers were right" hides from a learner's review.
CORRECTNESS_KEYS = ("correct", "points", "outcome")
# Faster than this per answered question, nobody read the questions.
MIN_SECONDS_PER_ANSWER = 2


@lru_cache(maxsize=4096)
def html(text: str) -> str:
    """Markdown to sanitised HTML, remembered: a class starting or finishing the
    same quiz together renders each prompt and feedback text once per process."""
    return render_markdown(text) if text and text.strip() else ""


# --------------------------------------------------------------------------
# Snapshot and learner view
# --------------------------------------------------------------------------


def build_snapshot(assessment, rng: random.Random) -> dict[str, Any]:
    """Draw, order and freeze the questions this attempt will be given."""
    settings = QuizSettings.from_stored(assessment.settings)
    questions = [
        grading.normalize_question(q) for q in _source_questions(assessment, rng)
    ]
    draw = settings.questions_per_attempt
    if draw is not None and 0 < draw < len(questions):
        picked = sorted(rng.sample(range(len(questions)), draw))
        questions = [questions[i] for i in picked]
    if settings.shuffle_questions:
        rng.shuffle(questions)
    snapshot = {
        "kind": QuizKind.name,
        "questions": questions,
        "prompt_html": {q["id"]: html(q["prompt"]) for q in questions},
        "view_seed": rng.getrandbits(32),
        "settings": {
            "pass_percent": settings.pass_percent,
            "shuffle_choices": settings.shuffle_choices,
            "questions_per_page": settings.page_size(len(questions)),
        },
    }
    # The learner's view is computed once, here, and read on every page and save.
    snapshot["items"] = _learner_views(snapshot)
    return snapshot


def _source_questions(assessment, rng: random.Random) -> list[Mapping[str, Any]]:
    content = assessment.content or {}
    if content.get("slots"):
        # Bank-built quizzes: inline questions, then fixed and randomly drawn ones.
        from lms.quizzes import draws

        return list(draws.resolve_questions(assessment, rng))
    questions = content.get("questions")
    return questions if isinstance(questions, list) else []


def learner_items(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What the learner's browser may see: grading.learner_view per question.

    Built at start (`snapshot["items"]`) from the snapshot's seed, so a reload
    or a second tab shows the same order. `prompt_html` is the prompt rendered
    at start. Treat the result as read-only.
    """
    items = snapshot.get("items")
    return items if isinstance(items, list) else _learner_views(snapshot)


def _learner_views(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    rng = random.Random(snapshot.get("view_seed", 0))
    shuffle = bool(snapshot.get("settings", {}).get("shuffle_choices", True))
    per_page = snapshot.get("settings", {}).get("questions_per_page") or 5
    prompts = snapshot.get("prompt_html", {})
    items = []
    for number, question in enumerate(snapshot.get("questions", []), start=1):
        view = grading.learner_view(question, rng, shuffle=shuffle)
        view["number"] = number
        view["page"] = (number - 1) // per_page + 1
        view["prompt_html"] = prompts.get(question["id"], "")
        items.append(view)
    return items


# --------------------------------------------------------------------------
# Answer shapes
# --------------------------------------------------------------------------


def validate_responses(
    snapshot: Mapping[str, Any], responses: Mapping[str, Any]
) -> list[str]:
    """Every problem with a batch of answers, as messages; [] when all are usable."""
    by_id = {q["id"]: q for q in snapshot.get("questions", [])}
    errors = []
    for item_id, value in responses.items():
        question = by_id.get(item_id)
        if question is None:
            errors.append(f"{item_id}: there is no such question in this attempt")
            continue
        if value is None:
            continue
        problem = _shape_problem(question, value)
        if problem:
            errors.append(f"{item_id}: {problem}")
    return errors


def _shape_problem(q: Mapping[str, Any], value: object) -> str | None:
    qtype = q["type"]
    if qtype == "single":
        ids = {c["id"] for c in q.get("choices", [])}
        return (
            None
            if isinstance(value, str) and value in ids
            else "pick one of the choices"
        )
    if qtype == "multiple":
        ids = {c["id"] for c in q.get("choices", [])}
        ok = (
            isinstance(value, list)
            and all(isinstance(v, str) and v in ids for v in value)
            and len(set(value)) == len(value)
        )
        return None if ok else "send a list of distinct choice ids"
    if qtype == "truefalse":
        return None if isinstance(value, bool) else "send true or false"
    if qtype == "short":
        return _text_problem(value)
    if qtype == "numeric":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return None
        return _text_problem(value)
    if qtype == "ordering":
        ids = [i["id"] for i in q.get("items", [])]
        ok = (
            isinstance(value, list)
            and all(isinstance(v, str) for v in value)
            and sorted(value) == sorted(ids)
        )
        return None if ok else "send every item id exactly once"
    return "this question type cannot be answered here"


def _text_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return "send text"
    if len(value) > MAX_TEXT_LENGTH:
        return f"answers are limited to {MAX_TEXT_LENGTH} characters"
    return None


# --------------------------------------------------------------------------
# Scoring and review
# --------------------------------------------------------------------------


def score(
    snapshot: Mapping[str, Any],
    responses: Mapping[str, Any],
    events: list[Any],
    elapsed_seconds: float,
) -> dict[str, Any]:
    """Grade the snapshot's questions against the saved answers (events are unused)."""
    pass_percent = snapshot_pass_percent(snapshot)
    result = grading.grade_quiz(snapshot.get("questions", []), responses, pass_percent)
    scored = {
        "kind": QuizKind.name,
        "elapsed_seconds": round(elapsed_seconds, 3),
        **result.to_dict(),
    }
    flag = speed_flag(responses, elapsed_seconds)
    if flag is not None:
        scored["flags"] = [flag]
    return scored


def speed_flag(responses: Mapping[str, Any], elapsed_seconds: float) -> dict | None:
    """Answers given faster than the questions can be read: evidence for the
    trainer (a scripted or copied attempt), not a verdict, so the score stands."""
    answered = sum(1 for value in responses.values() if value not in (None, "", []))
    if answered == 0 or elapsed_seconds >= MIN_SECONDS_PER_ANSWER * answered:
        return None
    per_answer = elapsed_seconds / answered
    return {
        "code": "implausible_speed",
        "message": (
            f"{answered} answers in {elapsed_seconds:.0f} s: {per_answer:.1f} s each, "
            f"under the {MIN_SECONDS_PER_ANSWER} s it takes to read a question."
        ),
        "evidence": {
            "answered": answered,
            "elapsed_seconds": round(elapsed_seconds, 3),
            "seconds_per_answer": round(per_answer, 2),
        },
    }


def review_items(
    snapshot: Mapping[str, Any],
    result: Mapping[str, Any],
    responses: Mapping[str, Any],
    *,
    show_correct_answers: bool,
    show_feedback: bool,
) -> list[dict[str, Any]]:
    """Per-question review built from the snapshot, filtered by the review options.

    The one quiz review: learners get it through the engine (filtered by the
    quiz's review settings), trainers with STAFF_REVIEW on their review page.
    A question not graded yet (a live attempt) has outcome "none" and the
    saved answer summarised as the grader would.
    """
    graded = result.get("items", {})
    views = {v["id"]: v for v in learner_items(snapshot)}
    items = []
    for q in snapshot.get("questions", []):
        view = views[q["id"]]
        outcome = graded.get(q["id"], {})
        item = {
            "id": q["id"],
            "number": view["number"],
            "type": q["type"],
            "prompt_html": view["prompt_html"],
            "correct": outcome.get("correct"),
            "points": outcome.get("points", 0.0),
            "max_points": outcome.get("max_points", float(q.get("points", 1))),
            "outcome": item_outcome(outcome),
            "response_summary": _response_summary(q, responses.get(q["id"]), outcome),
        }
        if q["type"] in ("single", "multiple"):
            item["choices"] = _review_choices(
                q, view, responses.get(q["id"]), show_correct_answers
            )
        if show_correct_answers:
            item["right_answer"] = right_answer(q)
        if show_feedback:
            item["feedback_html"] = html(outcome.get("feedback", ""))
            item["choice_feedback_html"] = [
                html(text) for text in outcome.get("choice_feedback", []) if text
            ]
        items.append(item)
    return items


def _review_choices(q, view, response, show_correct: bool) -> list[dict[str, Any]]:
    picked = set(response) if isinstance(response, list) else {response}
    correct = {c["id"] for c in q.get("choices", []) if c.get("correct")}
    choices = []
    for choice in view.get("choices", []):
        entry = {"text": choice["text"], "picked": choice["id"] in picked}
        if show_correct:
            entry["correct"] = choice["id"] in correct
        choices.append(entry)
    return choices


def item_outcome(graded: Mapping[str, Any] | None) -> str:
    """right | partial | wrong | pending (awaits grading by hand) | none (not graded)."""
    if not graded:
        return "none"
    if graded.get("correct") is None and "override" not in graded:
        return "pending"
    points = float(graded.get("points") or 0)
    max_points = float(graded.get("max_points") or 0)
    if max_points > 0 and math.isclose(points, max_points):
        return "right"
    return "partial" if points > 0 else "wrong"


def _response_summary(q, response, graded: Mapping[str, Any]) -> str:
    summary = graded.get("response_summary")
    if isinstance(summary, str) and summary:
        return summary
    if response is None or response == "" or response == []:
        return grading.NO_ANSWER
    return grading.grade_question(q, response).response_summary


def right_answer(q: Mapping[str, Any]) -> str:
    """The key of one (normalised) question as a sentence anyone can read; "" when
    the question has none. Learners and trainers read this same text."""
    qtype = q["type"]
    if qtype in ("single", "multiple"):
        return "; ".join(c["text"] for c in q.get("choices", []) if c.get("correct"))
    if qtype == "truefalse":
        return {True: "True", False: "False"}.get(q.get("answer"), "")
    if qtype == "short":
        shown = " / ".join(q.get("answers", []))
        return shown + (
            " (case-sensitive)" if shown and q.get("case_sensitive") else ""
        )
    if qtype == "numeric":
        if q.get("answer") is None:
            return ""
        text = _number_text(q["answer"])
        if q.get("tolerance"):
            text += f" ± {_number_text(q['tolerance'])}"
        return f"{text} {q.get('units', '')}".strip()
    if qtype == "ordering":
        return " → ".join(i["text"] for i in q.get("items", []))
    return ""


def _number_text(value: Any) -> str:
    """1250.0 as "1250", 1250.5 as "1250.5": never scientific notation."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def snapshot_pass_percent(snapshot: Mapping[str, Any]) -> float:
    """The pass mark frozen into the attempt at start (old snapshots kept it at
    the top level); the settings default when neither has one."""
    for source in (snapshot.get("settings"), snapshot):
        if isinstance(source, Mapping) and isinstance(
            source.get("pass_percent"), int | float
        ):
            return float(source["pass_percent"])
    return float(QuizSettings().pass_percent)


# --------------------------------------------------------------------------
# Grading by hand
# --------------------------------------------------------------------------


class GradeProblem(ValueError):
    """A manual grade that cannot be applied, with a message for the trainer."""


def regrade(
    snapshot: Mapping[str, Any],
    result: Mapping[str, Any],
    item_id: str,
    points: float,
    override: dict[str, Any],
) -> dict[str, Any]:
    """A new result with one item's points set by hand and the totals, percent,
    pass and "needs manual grading" recomputed. Pure: the engine stores it."""
    new = copy.deepcopy(dict(result))
    items = new.get("items") or {}
    item = items.get(item_id)
    if not isinstance(item, dict):
        raise GradeProblem("That question is not part of this attempt.")
    max_points = float(item.get("max_points") or 0)
    if (
        isinstance(points, bool)
        or not isinstance(points, int | float)
        or not math.isfinite(points)
        or not 0 <= points <= max_points
    ):
        raise GradeProblem(f"Points must be between 0 and {max_points:g}.")
    item["override"] = {
        **override,
        "points": float(points),
        "auto_points": (item.get("override") or {}).get(
            "auto_points", item.get("points")
        ),
    }
    item["points"] = float(points)
    item["correct"] = math.isclose(points, max_points) and max_points > 0
    score = math.fsum(float(i.get("points") or 0) for i in items.values())
    max_score = math.fsum(float(i.get("max_points") or 0) for i in items.values())
    percent = score / max_score * 100 if max_score > 0 else 0.0
    new.update(
        score=score,
        max_score=max_score,
        percent=percent,
        passed=max_score > 0 and round(percent, 9) >= snapshot_pass_percent(snapshot),
        needs_manual_grading=any(
            i.get("correct") is None and "override" not in i for i in items.values()
        ),
    )
    return new


# --------------------------------------------------------------------------
# The kind
# --------------------------------------------------------------------------


class QuizKind(AssessmentKind):
    name = QUIZ
    label = "Quiz"
    plural_label = "Quizzes"
    uses_events = False
    take_endpoint = "quiz_attempts.take"
    result_endpoint = "quiz_attempts.result"

    @property
    def content_keys(self) -> tuple[str, ...]:
        from lms.quizzes import content_file

        return content_file.QUIZ_KEYS

    def read_content(self, top, doc, data_files):
        from lms.quizzes import content_file

        return content_file.read_quiz(top, doc, data_files)

    def build_snapshot(self, assessment, rng):
        return build_snapshot(assessment, rng)

    def learner_items(self, snapshot):
        return learner_items(snapshot)

    def validate_responses(self, snapshot, responses):
        return validate_responses(snapshot, responses)

    def score(self, snapshot, responses, events, elapsed_seconds):
        return score(snapshot, responses, events, elapsed_seconds)

    def regrade(self, snapshot, result, item_id, points, override):
        return regrade(snapshot, result, item_id, points, override)

    def review_options(
        self, settings: Mapping[str, Any], context: ReviewContext
    ) -> ReviewOptions:
        quiz = QuizSettings.from_stored(settings)
        shown = {
            "show_score": quiz.show_score,
            "show_correctness": quiz.show_correctness,
        }
        if quiz.review == "never":
            return ReviewOptions(False, False, False, **shown)
        when = {"attempts_left": context.attempts_left, "closed": context.closed}
        correct = quiz.shows_correct_answers(**when)
        feedback = quiz.shows_feedback(**when)
        if quiz.review == "after_close":
            return ReviewOptions(
                context.closed, correct, feedback, context.close_at, **shown
            )
        return ReviewOptions(True, correct, feedback, **shown)

    def review(self, snapshot, result, responses, options):
        items = review_items(
            snapshot,
            result,
            responses,
            show_correct_answers=options.show_correct_answers,
            show_feedback=options.show_feedback,
        )
        if not options.show_correctness:
            items = [
                {k: v for k, v in item.items() if k not in CORRECTNESS_KEYS}
                for item in items
            ]
        return items
