"""The quiz builder's pages: the quiz list, creating a quiz and editing its
settings, the quiz page with its slots, picking bank questions, random draws,
and publishing."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from lms.attempts.models import Assessment, Attempt
from lms.attempts.policies import looked_after_by, reviews_assessment
from lms.auth.permissions import is_admin, permission_required
from lms.courses.models import Course
from lms.errors import DomainError
from lms.extensions import db
from lms.forms import (
    EmptyForm,
    int_list,
    page_number,
    page_size,
    require_button_post,
    service_action,
)
from lms.quizzes import bank, builder, draws, policies, review
from lms.quizzes.forms.builder import DrawForm, QuizSettingsForm
from lms.quizzes.grading import QUESTION_TYPES
from lms.quizzes.kind import QUIZ
from lms.quizzes.views.access import (
    bank_filters,
    editable_quiz,
    filter_args,
    viewable_quiz,
)
from lms.quizzes.views.blueprint import bp


@bp.get("/manage/quizzes")
@permission_required("assessment.author")
def quiz_list():
    stmt = sa.select(Assessment).where(Assessment.kind == QUIZ)
    viewable = looked_after_by(current_user)  # the rule of policies.can_view_quiz
    if viewable is not None:
        stmt = stmt.where(viewable)
    stmt = stmt.options(joinedload(Assessment.owner)).order_by(
        Assessment.updated_at.desc(), Assessment.id.desc()
    )
    page = db.paginate(stmt, page=page_number(), per_page=page_size(), error_out=False)
    return render_template(
        "quizzes/quiz_list.html",
        page=page,
        attempt_counts=_attempt_counts([quiz.id for quiz in page.items]),
        sizes={quiz.id: builder.quiz_size(quiz) for quiz in page.items},
        sees_all=is_admin(current_user),
    )


def _attempt_counts(quiz_ids: list[int]) -> dict[int, int]:
    if not quiz_ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Attempt.assessment_id, sa.func.count())
            .where(Attempt.assessment_id.in_(quiz_ids))
            .group_by(Attempt.assessment_id)
        ).all()
    )


def _course_choices() -> list[SelectChoice]:
    courses = db.session.execute(
        sa.select(Course.id, Course.title).order_by(Course.title)
    ).all()
    return [SelectChoice("", "No course")] + [
        SelectChoice(cid, title) for cid, title in courses
    ]


@bp.route("/manage/quizzes/new", methods=["GET", "POST"])
@permission_required("assessment.author")
def quiz_new():
    form = QuizSettingsForm()
    form.course_id.choices = _course_choices()
    status = 200
    if form.validate_on_submit():
        with service_action() as action:
            quiz = builder.create_quiz(
                current_user, form.fields(), slug=form.slug.data or ""
            )
        if action.ok:
            flash(
                f"“{quiz.title}” is created as a draft. Add questions, then publish it.",
                "success",
            )
            return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id))
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template("quizzes/quiz_settings.html", form=form, quiz=None), status


@bp.route("/manage/quizzes/<int:quiz_id>/settings", methods=["GET", "POST"])
@permission_required("assessment.author")
def quiz_settings(quiz_id: int):
    quiz = editable_quiz(quiz_id)
    form = QuizSettingsForm()
    form.course_id.choices = _course_choices()
    status = 200
    if form.validate_on_submit():
        with service_action() as action:
            builder.update_quiz(quiz, form.fields())
        if action.ok:
            flash("Quiz settings saved.", "success")
            return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id))
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    else:
        form.load(quiz, builder.quiz_settings(quiz))
    return render_template(
        "quizzes/quiz_settings.html",
        form=form,
        quiz=quiz,
        retake_warnings=builder.retake_warnings(quiz),
    ), status


@bp.get("/manage/quizzes/<int:quiz_id>")
@permission_required("assessment.author")
def quiz_detail(quiz_id: int):
    quiz = viewable_quiz(quiz_id)
    return _render_builder(quiz, DrawForm(formdata=None))


def _render_builder(quiz: Assessment, draw_form: DrawForm, status: int = 200):
    editable = policies.can_edit_quiz(current_user, quiz)
    inline = (quiz.content or {}).get("questions") or []
    slots = builder.slot_views(quiz) if not policies.is_file_quiz(quiz) else []
    return render_template(
        "quizzes/quiz_detail.html",
        quiz=quiz,
        settings=builder.quiz_settings(quiz),
        editable=editable,
        inline=inline,
        slots=slots,
        problems=builder.publish_problems(quiz) if editable else [],
        draw_form=draw_form,
        categories=bank.category_counts() if editable else [],
        tags=bank.all_tags() if editable else [],
        form=EmptyForm(),
        review=reviews_assessment(current_user, quiz),
        attempts=review.state_counts(quiz),
        quiz_size=builder.quiz_size(quiz),
        retake_warnings=builder.retake_warnings(quiz),
        draw_label=builder.draw_label,
    ), status


@bp.get("/manage/quizzes/<int:quiz_id>/add-questions")
@permission_required("assessment.author")
def quiz_pick(quiz_id: int):
    quiz = editable_quiz(quiz_id)
    # The live bank only: archived questions cannot be added.
    filters = dataclasses.replace(bank_filters(), archived=False)
    page = bank.bank_page(filters, page=page_number(), per_page=page_size())
    return render_template(
        "quizzes/quiz_pick.html",
        quiz=quiz,
        page=page,
        filters=filters,
        filter_args=filter_args(filters),
        categories=bank.category_counts(),
        tags=bank.all_tags(),
        types=QUESTION_TYPES,
        in_quiz=set(draws.fixed_ids(quiz)),
        form=EmptyForm(),
    )


def _back_to_slots(quiz: Assessment):
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id, _anchor="slots"))


@bp.post("/manage/quizzes/<int:quiz_id>/slots/questions")
@permission_required("assessment.author")
def slot_add_questions(quiz_id: int):
    quiz = editable_quiz(quiz_id)
    require_button_post()
    ids = int_list("question_id", source=request.form)
    if not ids:
        flash("Tick the questions to add first.", "warning")
        return redirect(url_for("quizzes.quiz_pick", quiz_id=quiz.id))
    try:
        added, present = builder.add_fixed_questions(quiz, ids)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("quizzes.quiz_pick", quiz_id=quiz.id))
    db.session.commit()
    message = f"Added {added} question{'s' if added != 1 else ''}"
    if present:
        message += (
            f"; {present} {'was' if present == 1 else 'were'} already in the quiz"
        )
    flash(message + ".", "success")
    return _back_to_slots(quiz)


@bp.post("/manage/quizzes/<int:quiz_id>/slots/draw")
@permission_required("assessment.author")
def slot_add_draw(quiz_id: int):
    quiz = editable_quiz(quiz_id)
    form = DrawForm()
    if not form.validate_on_submit():
        return _render_builder(quiz, form, 400)
    draw = builder.add_draw(quiz, form.count.data, form.category.data, form.tag.data)
    db.session.commit()
    matching = draws.count_matching(draw["category"], draw["tag"])
    flash(
        f"Added: {builder.draw_label(draw)} ({matching} in the bank match).",
        "success" if matching >= draw["count"] else "warning",
    )
    return _back_to_slots(quiz)


@bp.post("/manage/quizzes/<int:quiz_id>/slots/<int:index>/move")
@permission_required("assessment.author")
def slot_move(quiz_id: int, index: int):
    quiz = editable_quiz(quiz_id)
    require_button_post()
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400, "Move a slot up or down.")
    with service_action():
        builder.move_slot(quiz, index, offset)
    return _back_to_slots(quiz)


@bp.post("/manage/quizzes/<int:quiz_id>/slots/<int:index>/remove")
@permission_required("assessment.author")
def slot_remove(quiz_id: int, index: int):
    quiz = editable_quiz(quiz_id)
    require_button_post()
    with service_action() as action:
        builder.remove_slot(quiz, index)
    if action.ok:
        flash("Removed from the quiz.", "info")
    return _back_to_slots(quiz)


@bp.post("/manage/quizzes/<int:quiz_id>/publish")
@permission_required("assessment.author")
def quiz_publish(quiz_id: int):
    quiz = editable_quiz(quiz_id)
    require_button_post()
    with service_action() as action:
        builder.publish(quiz)
    if action.ok:
        flash(f"“{quiz.title}” is published: learners can take it.", "success")
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id))


@bp.post("/manage/quizzes/<int:quiz_id>/unpublish")
@permission_required("assessment.author")
def quiz_unpublish(quiz_id: int):
    quiz = editable_quiz(quiz_id)
    require_button_post()
    builder.unpublish(quiz)
    db.session.commit()
    flash(
        f"“{quiz.title}” is back to draft: no new attempts. Attempts in progress "
        "can still be finished.",
        "info",
    )
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id))
