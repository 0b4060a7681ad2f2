"""The quiz kind of the attempt engine: snapshot, learner view, answer shapes,
scoring and review, on top of the pure grading in lms.quizzes.grading.

Shapes (docs/attempts.md has the full contract):

* ``Assessment.content`` — ``{"questions": [question dicts of
  docs/content-format.md]}`` for file quizzes, or ``{"slots": [...]}`` for quizzes
  built in the browser, which lms.quizzes.services.resolve_questions(assessment,
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

import random
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from lms.markdown import render_markdown
from lms.quizzes import grading

DEFAULTS: dict[str, Any] = {
    "pass_percent": 50,
    "shuffle_questions": False,
    "shuffle_choices": True,
    "questions_per_page": 5,
    "review": "immediately",
    "show_correct_answers": True,
    "show_feedback": True,
}
REVIEW_MODES = ("immediately", "after_close", "never")
MAX_TEXT_LENGTH = 2000


@lru_cache(maxsize=4096)
def html(text: str) -> str:
    """Markdown to sanitised HTML, remembered: a class starting or finishing the
    same quiz together renders each prompt and feedback text once per process."""
    return render_markdown(text) if text and text.strip() else ""


def setting(settings: Mapping[str, Any] | None, key: str) -> Any:
    value = (settings or {}).get(key)
    return DEFAULTS.get(key) if value is None else value


# --------------------------------------------------------------------------
# Snapshot and learner view
# --------------------------------------------------------------------------


def build_snapshot(assessment, rng: random.Random) -> dict[str, Any]:
    """Draw, order and freeze the questions this attempt will be given."""
    settings = assessment.settings or {}
    questions = [
        grading.normalize_question(q) for q in _source_questions(assessment, rng)
    ]
    draw = settings.get("questions_per_attempt")
    if isinstance(draw, int) and 0 < draw < len(questions):
        picked = sorted(rng.sample(range(len(questions)), draw))
        questions = [questions[i] for i in picked]
    if setting(settings, "shuffle_questions"):
        rng.shuffle(questions)
    per_page = setting(settings, "questions_per_page")
    snapshot = {
        "kind": "quiz",
        "questions": questions,
        "prompt_html": {q["id"]: html(q["prompt"]) for q in questions},
        "view_seed": rng.getrandbits(32),
        "settings": {
            "pass_percent": setting(settings, "pass_percent"),
            "shuffle_choices": bool(setting(settings, "shuffle_choices")),
            "questions_per_page": per_page
            if isinstance(per_page, int) and per_page > 0
            else 5,
        },
    }
    # The learner's view is computed once, here, and read on every page and save.
    snapshot["items"] = _learner_views(snapshot)
    return snapshot


def _source_questions(assessment, rng: random.Random) -> list[Mapping[str, Any]]:
    content = assessment.content or {}
    if content.get("slots"):
        # Bank-built quizzes: inline questions, then fixed and randomly drawn ones.
        from lms.quizzes import services as quiz_services

        return list(quiz_services.resolve_questions(assessment, rng))
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
    pass_percent = snapshot.get("settings", {}).get(
        "pass_percent", DEFAULTS["pass_percent"]
    )
    result = grading.grade_quiz(snapshot.get("questions", []), responses, pass_percent)
    return {
        "kind": "quiz",
        "elapsed_seconds": round(elapsed_seconds, 3),
        **result.to_dict(),
    }


def review_items(
    snapshot: Mapping[str, Any],
    result: Mapping[str, Any],
    responses: Mapping[str, Any],
    *,
    show_correct_answers: bool,
    show_feedback: bool,
) -> list[dict[str, Any]]:
    """Per-question review built from the snapshot, filtered by the review options."""
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
            "response_summary": outcome.get("response_summary", grading.NO_ANSWER),
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


def right_answer(q: Mapping[str, Any]) -> str:
    """The key of one question as a sentence a learner can read."""
    qtype = q["type"]
    if qtype in ("single", "multiple"):
        return "; ".join(c["text"] for c in q.get("choices", []) if c.get("correct"))
    if qtype == "truefalse":
        return {True: "True", False: "False"}.get(q.get("answer"), "")
    if qtype == "short":
        return " / ".join(q.get("answers", []))
    if qtype == "numeric":
        text = f"{q.get('answer')}"
        if q.get("tolerance"):
            text += f" (± {q['tolerance']})"
        return f"{text} {q.get('units', '')}".strip()
    if qtype == "ordering":
        return " → ".join(i["text"] for i in q.get("items", []))
    return ""
