"""The question bank's pages: the filtered list, the question editor, and
archiving or restoring a question.

The editor also opens on a quiz's page ("Write a new question"): the same form,
posted to the quiz, saves the bank question and adds it to that quiz
(lms.quizzes.builder.write_question), then returns to the quiz."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.attempts.models import Assessment
from lms.auth.permissions import permission_required
from lms.errors import DomainError
from lms.extensions import db
from lms.forms import EmptyForm, page_number, page_size, require_button_post
from lms.quizzes import bank, builder, draws
from lms.quizzes.forms.question import QuestionForm
from lms.quizzes.grading import QUESTION_TYPES
from lms.quizzes.models import Question
from lms.quizzes.views.access import (
    bank_filters,
    editable_quiz,
    filter_args,
    question_or_404,
)
from lms.quizzes.views.blueprint import bp


@bp.get("/bank", endpoint="bank")
@permission_required("question_bank.edit")
def bank_list():
    filters = bank_filters()
    page = bank.bank_page(filters, page=page_number(), per_page=page_size())
    return render_template(
        "quizzes/bank_list.html",
        page=page,
        filters=filters,
        filter_args=filter_args(filters),
        type_counts=bank.type_counts(filters),
        categories=bank.category_counts(archived=filters.archived),
        tags=bank.all_tags(),
        types=QUESTION_TYPES,
        form=EmptyForm(),
    )


@bp.route("/bank/new", methods=["GET", "POST"])
@permission_required("question_bank.edit")
def question_new():
    qtype = request.args.get("type", "")
    if qtype not in QUESTION_TYPES:
        return render_template(
            "quizzes/question_type_choose.html", types=QUESTION_TYPES, quiz=None
        )
    return _question_editor(None, qtype)


@bp.route("/bank/<int:question_id>/edit", methods=["GET", "POST"])
@permission_required("question_bank.edit")
def question_edit(question_id: int):
    question = question_or_404(question_id)
    return _question_editor(question, question.type)


@bp.route("/manage/quizzes/<int:quiz_id>/questions/new", methods=["GET", "POST"])
@permission_required("question_bank.edit")
def quiz_question_new(quiz_id: int):
    """Write a new question on a quiz's page: saved to the bank and added to the quiz."""
    quiz = editable_quiz(quiz_id)
    qtype = request.args.get("type", "")
    if qtype not in QUESTION_TYPES:
        return render_template(
            "quizzes/question_type_choose.html", types=QUESTION_TYPES, quiz=quiz
        )
    return _question_editor(None, qtype, quiz=quiz)


def _question_editor(
    question: Question | None, qtype: str, *, quiz: Assessment | None = None
):
    form = QuestionForm(qtype=qtype)
    status = 200
    if form.is_submitted():
        shape_ok = form.validate()
        content = form.to_content()
        form.add_content_errors(bank.question_errors(content))
        if shape_ok and not form.has_errors:
            try:
                saved = _save(content, question, quiz)
            except DomainError as exc:
                db.session.rollback()
                form.general_errors.append(str(exc))
            else:
                db.session.commit()
                return _after_saving(saved, qtype, quiz)
        status = 400
    elif question is not None:
        form.load(question.as_content())
    elif quiz is not None:
        form.category.data = builder.default_category(quiz)
    else:
        form.category.data = request.args.get("category", "")
    form.pad_rows()
    return render_template(
        "quizzes/question_edit.html",
        form=form,
        question=question,
        qtype=qtype,
        quiz=quiz,
        categories=bank.category_counts(),
    ), status


def _save(
    content: dict, question: Question | None, quiz: Assessment | None
) -> Question:
    if quiz is not None:
        return builder.write_question(quiz, content, owner=current_user)
    return bank.save_question(content, owner=current_user, question=question)


def _after_saving(saved: Question, qtype: str, quiz: Assessment | None):
    write_another = request.form.get("then") == "new"
    if quiz is not None:
        flash(
            f"Question “{saved.title}” is written and added to “{quiz.title}”.",
            "success",
        )
        if write_another:
            return redirect(
                url_for("quizzes.quiz_question_new", quiz_id=quiz.id, type=qtype)
            )
        return redirect(
            url_for("quizzes.quiz_detail", quiz_id=quiz.id, _anchor="slots")
        )
    flash(f"Question “{saved.title}” saved.", "success")
    if write_another:
        return redirect(
            url_for("quizzes.question_new", type=qtype, category=saved.category)
        )
    return redirect(url_for("quizzes.bank", category=saved.category or None))


@bp.post("/bank/<int:question_id>/archive")
@permission_required("question_bank.edit")
def question_archive(question_id: int):
    return _set_archived(question_id, True)


@bp.post("/bank/<int:question_id>/restore")
@permission_required("question_bank.edit")
def question_restore(question_id: int):
    return _set_archived(question_id, False)


def _set_archived(question_id: int, archived: bool):
    question = question_or_404(question_id)
    require_button_post()
    bank.set_archived(question, archived)
    db.session.commit()
    if archived:
        flash(
            f"“{question.title}” is archived: it is out of the bank and random draws. "
            "Quizzes that include it as a fixed question keep it.",
            "info",
        )
        short = draws.quizzes_short_of_questions(question)
        if short:
            titles = ", ".join(f"“{quiz.title}”" for quiz in short)
            flash(
                f"Learners cannot start {titles} any more: a random draw now needs "
                "more questions than the bank has. Restore the question, add "
                "questions, or change the draw.",
                "warning",
            )
    else:
        flash(f"“{question.title}” is back in the bank.", "success")
    return redirect(url_for("quizzes.bank", archived="1" if not archived else None))
