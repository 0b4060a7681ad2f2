"""Previewing a quiz as a learner sees it, without an attempt (lms.quizzes.preview
says how the draw is made and why nothing is stored).

Routes:
  GET  /manage/quizzes/<id>/preview?draw=N   the questions of draw N (1 by default)
  POST /manage/quizzes/<id>/preview          check the posted answers: the result
                                             and review a learner would get, stored nowhere

Who: whoever may open the quiz's builder page (lms.quizzes.policies.can_view_quiz:
the owner of a browser quiz, any trainer for a quiz from the files, admins);
learners and managers get 403. The page is the learner's questions (the take
page's question partial) under a "Preview — nothing is saved" banner; its
form posts back here, never to the attempt engine.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_login import current_user

from lms.attempts.models import Assessment
from lms.auth.permissions import permission_required
from lms.errors import DomainError
from lms.forms import EmptyForm, int_arg
from lms.quizzes import builder, policies, preview
from lms.quizzes.attempt_forms import field_name, responses_from_form
from lms.quizzes.views.access import viewable_quiz
from lms.quizzes.views.blueprint import bp


@bp.get("/manage/quizzes/<int:quiz_id>/preview")
@permission_required("assessment.author")
def quiz_preview(quiz_id: int):
    quiz = viewable_quiz(quiz_id)
    return _render(quiz, _draw(request.args))


@bp.post("/manage/quizzes/<int:quiz_id>/preview")
@permission_required("assessment.author")
def quiz_preview_check(quiz_id: int):
    quiz = viewable_quiz(quiz_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return _render(quiz, _draw(request.form), checking=True)


def _draw(source) -> int:
    return int_arg("draw", preview.FIRST_DRAW, maximum=preview.MAX_DRAW, source=source)


def _render(quiz: Assessment, draw: int, *, checking: bool = False):
    context: dict[str, Any] = {"items": [], "responses": {}, "result": None}
    problem = ""
    try:
        snapshot = preview.preview_snapshot(quiz, draw)
    except DomainError as exc:
        problem = str(exc)
    else:
        items = preview.learner_items(snapshot)
        context.update(items=items, pass_percent=snapshot["settings"]["pass_percent"])
        if checking:
            responses = responses_from_form(items, request.form)
            context.update(
                responses=responses,
                result=preview.check_answers(snapshot, responses),
            )
    return render_template(
        "quizzes/quiz_preview.html",
        quiz=quiz,
        draw=draw,
        next_draw=preview.next_draw(draw),
        problem=problem,
        editable=policies.can_edit_quiz(current_user, quiz),
        settings=builder.quiz_settings(quiz),
        field_name=field_name,
        form=EmptyForm(),
        **context,
    )
