"""Trainer pages for quizzes: the question bank and its imports, the quiz builder,
attempt review with manual grading, overrides and item statistics."""

from __future__ import annotations

import re

import pygal
import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from pygal.style import Style
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from lms.attempts import overrides as engine
from lms.attempts.models import SUBMITTED, Assessment, Attempt
from lms.auth.permissions import is_admin, permission_required
from lms.courses.models import ORIGIN_FILE, Course
from lms.errors import DomainError
from lms.extensions import db
from lms.forms import (
    EmptyForm,
    page_number,
    page_size,
    require_button_post,
    service_action,
)
from lms.quizzes import policies, services
from lms.quizzes.forms import (
    DrawForm,
    GradeItemForm,
    ImportForm,
    OverrideForm,
    QuestionForm,
    QuizSettingsForm,
)
from lms.quizzes.grading import QUESTION_TYPES
from lms.quizzes.kind import QUIZ
from lms.quizzes.models import Question, plain_snippet

bp = Blueprint("quizzes", __name__)

bp.add_app_template_global(policies.can_edit_question, "can_edit_question")
bp.add_app_template_global(policies.can_review_assessment, "can_review_assessment")
bp.add_app_template_global(policies.can_edit_quiz, "can_edit_quiz")


@bp.app_template_filter("question_type")
def _question_type_label(qtype: str) -> str:
    return services.QUESTION_TYPE_LABELS.get(qtype, qtype)


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


# --- the question bank ----------------------------------------------------------------


def _bank_filters() -> services.BankFilters:
    qtype = request.args.get("type", "")
    return services.BankFilters(
        category=request.args.get("category", "").strip(),
        tag=request.args.get("tag", "").strip(),
        type=qtype if qtype in QUESTION_TYPES else "",
        q=request.args.get("q", "").strip()[:200],
        owner_id=current_user.id if request.args.get("mine") == "1" else None,
        archived=request.args.get("archived") == "1",
    )


def _filter_args(filters: services.BankFilters) -> dict[str, str]:
    args = {
        "category": filters.category,
        "tag": filters.tag,
        "type": filters.type,
        "q": filters.q,
        "mine": "1" if filters.owner_id else "",
        "archived": "1" if filters.archived else "",
    }
    return {k: v for k, v in args.items() if v}


@bp.get("/bank")
@permission_required("question_bank.edit")
def bank():
    filters = _bank_filters()
    page = services.bank_page(filters, page=page_number(), per_page=page_size())
    return render_template(
        "quizzes/bank_list.html",
        page=page,
        filters=filters,
        filter_args=_filter_args(filters),
        type_counts=services.type_counts(filters),
        categories=services.category_counts(archived=filters.archived),
        tags=services.all_tags(),
        types=QUESTION_TYPES,
        form=EmptyForm(),
    )


def _question_or_404(question_id: int) -> Question:
    question = db.get_or_404(Question, question_id)
    if not policies.can_edit_question(current_user, question):
        abort(403)
    return question


@bp.route("/bank/new", methods=["GET", "POST"])
@permission_required("question_bank.edit")
def question_new():
    qtype = request.args.get("type", "")
    if qtype not in QUESTION_TYPES:
        return render_template(
            "quizzes/question_type_choose.html", types=QUESTION_TYPES
        )
    return _question_editor(None, qtype)


@bp.route("/bank/<int:question_id>/edit", methods=["GET", "POST"])
@permission_required("question_bank.edit")
def question_edit(question_id: int):
    question = _question_or_404(question_id)
    return _question_editor(question, question.type)


def _question_editor(question: Question | None, qtype: str):
    form = QuestionForm(qtype=qtype)
    status = 200
    if form.is_submitted():
        shape_ok = form.validate()
        content = form.to_content()
        form.add_content_errors(services.question_errors(content))
        if shape_ok and not form.has_errors:
            try:
                saved = services.save_question(
                    content, owner=current_user, question=question
                )
            except DomainError as exc:
                db.session.rollback()
                form.general_errors.append(str(exc))
            else:
                db.session.commit()
                flash(f"Question “{saved.title}” saved.", "success")
                if request.form.get("then") == "new":
                    return redirect(
                        url_for(
                            "quizzes.question_new", type=qtype, category=saved.category
                        )
                    )
                return redirect(
                    url_for("quizzes.bank", category=saved.category or None)
                )
        status = 400
    elif question is not None:
        form.load(question.as_content())
    else:
        form.category.data = request.args.get("category", "")
    form.pad_rows()
    return render_template(
        "quizzes/question_edit.html",
        form=form,
        question=question,
        qtype=qtype,
        categories=services.category_counts(),
    ), status


@bp.post("/bank/<int:question_id>/archive")
@permission_required("question_bank.edit")
def question_archive(question_id: int):
    return _set_archived(question_id, True)


@bp.post("/bank/<int:question_id>/restore")
@permission_required("question_bank.edit")
def question_restore(question_id: int):
    return _set_archived(question_id, False)


def _set_archived(question_id: int, archived: bool):
    question = _question_or_404(question_id)
    require_button_post()
    services.set_archived(question, archived)
    db.session.commit()
    if archived:
        flash(
            f"“{question.title}” is archived: it is out of the bank and random draws. "
            "Quizzes that include it as a fixed question keep it.",
            "info",
        )
        short = services.quizzes_short_of_questions(question)
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


# --- importing GIFT and Aiken -----------------------------------------------------------


@bp.route("/bank/import", methods=["GET", "POST"])
@permission_required("question_bank.edit")
def bank_import():
    form = ImportForm()
    preview = None
    status = 200
    if request.method == "POST" and request.form.get("confirm") == "1":
        return _import_confirm()
    if form.validate_on_submit():
        text, source = _import_text(form)
        if text is not None:
            preview = _preview(
                text,
                source,
                form.format.data,
                form.category.data or "",
                form.tags.data or "",
            )
            if not preview["result"].ok:
                form.text.data = text  # fix it right here and preview again
                form.format.data = preview["format"]
                status = 400
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "quizzes/bank_import.html",
        form=form,
        preview=preview,
        categories=services.category_counts(),
    ), status


def _import_text(form: ImportForm) -> tuple[str | None, str]:
    upload = form.upload.data
    if upload and getattr(upload, "filename", ""):
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig"), upload.filename
        except UnicodeDecodeError:
            form.upload.errors = [
                *form.upload.errors,
                "The file is not UTF-8 text. Save it as UTF-8 and upload it again.",
            ]
            return None, upload.filename
    if form.text.data and form.text.data.strip():
        return form.text.data, "pasted text"
    form.text.errors = [*form.text.errors, "Upload a file or paste the questions."]
    return None, ""


def _preview(text: str, source: str, fmt: str, category: str, tags: str) -> dict:
    if fmt not in services.FORMATS:
        fmt = services.detect_format(text, source)
    result = services.parse_bank_text(text, source, fmt)
    plan = services.plan_import(result, category=category, tags=tags.split(","))
    return {
        "text": text,
        "source": source,
        "format": fmt,
        "category": category,
        "tags": tags,
        "result": result,
        "plan": plan,
        "rows": [
            {
                "question": q,
                "duplicate": dup,
                "answer": services.correct_answer_text(q),
            }
            for q, dup in zip(plan.questions, plan.duplicates, strict=True)
        ],
    }


def _import_confirm():
    """Re-parse the carried text and import it only if it is still error-free."""
    require_button_post()
    text = request.form.get("text", "")
    source = request.form.get("source", "pasted text")[:200]
    category = request.form.get("category", "")[:200]
    tags = request.form.get("tags", "")[:500]
    preview = _preview(text, source, request.form.get("format", ""), category, tags)
    result = preview["result"]
    try:
        created, skipped = services.import_questions(
            result, owner=current_user, category=category, tags=tags.split(",")
        )
    except services.ImportRefusedError:
        db.session.rollback()
        form = ImportForm(
            formdata=None,
            data={
                "text": text,
                "format": preview["format"],
                "category": category,
                "tags": tags,
            },
        )
        return render_template(
            "quizzes/bank_import.html",
            form=form,
            preview=preview,
            categories=services.category_counts(),
        ), 400
    db.session.commit()
    message = f"Imported {len(created)} question{'s' if len(created) != 1 else ''}"
    if skipped:
        message += f"; {skipped} already in the bank were skipped"
    flash(message + ".", "success")
    return redirect(url_for("quizzes.bank"))


# --- quizzes: list, settings, builder ----------------------------------------------------


def _quiz_or_404(quiz_id: int) -> Assessment:
    quiz = db.get_or_404(Assessment, quiz_id)
    if quiz.kind != QUIZ:
        abort(404)
    return quiz


def _viewable_quiz(quiz_id: int) -> Assessment:
    quiz = _quiz_or_404(quiz_id)
    if not policies.can_view_quiz(current_user, quiz):
        abort(403)
    return quiz


def _editable_quiz(quiz_id: int) -> Assessment:
    quiz = _viewable_quiz(quiz_id)
    if not policies.can_edit_quiz(current_user, quiz):
        abort(403)
    return quiz


def _reviewable_quiz(quiz_id: int) -> Assessment:
    quiz = _quiz_or_404(quiz_id)
    if not policies.can_review_assessment(current_user, quiz):
        abort(403)
    return quiz


@bp.get("/manage/quizzes")
@permission_required("assessment.author")
def quiz_list():
    stmt = sa.select(Assessment).where(Assessment.kind == QUIZ)
    if not is_admin(current_user):
        stmt = stmt.where(
            sa.or_(
                Assessment.origin == ORIGIN_FILE, Assessment.owner_id == current_user.id
            )
        )
    stmt = stmt.options(joinedload(Assessment.owner)).order_by(
        Assessment.updated_at.desc(), Assessment.id.desc()
    )
    page = db.paginate(stmt, page=page_number(), per_page=page_size(), error_out=False)
    ids = [quiz.id for quiz in page.items]
    counts = {}
    if ids:
        counts = dict(
            db.session.execute(
                sa.select(Attempt.assessment_id, sa.func.count())
                .where(Attempt.assessment_id.in_(ids))
                .group_by(Attempt.assessment_id)
            ).all()
        )
    return render_template(
        "quizzes/quiz_list.html",
        page=page,
        attempt_counts=counts,
        sizes={quiz.id: services.quiz_size(quiz) for quiz in page.items},
        sees_all=is_admin(current_user),
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
            quiz = services.create_quiz(
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
    quiz = _editable_quiz(quiz_id)
    form = QuizSettingsForm()
    form.course_id.choices = _course_choices()
    status = 200
    if form.validate_on_submit():
        with service_action() as action:
            services.update_quiz(quiz, form.fields())
        if action.ok:
            flash("Quiz settings saved.", "success")
            return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id))
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    else:
        form.load(quiz, services.quiz_settings(quiz))
    return render_template("quizzes/quiz_settings.html", form=form, quiz=quiz), status


@bp.get("/manage/quizzes/<int:quiz_id>")
@permission_required("assessment.author")
def quiz_detail(quiz_id: int):
    quiz = _viewable_quiz(quiz_id)
    return _render_builder(quiz, DrawForm(formdata=None))


def _render_builder(quiz: Assessment, draw_form: DrawForm, status: int = 200):
    editable = policies.can_edit_quiz(current_user, quiz)
    inline = (quiz.content or {}).get("questions") or []
    slots = services.slot_views(quiz) if not policies.is_file_quiz(quiz) else []
    return render_template(
        "quizzes/quiz_detail.html",
        quiz=quiz,
        settings=services.quiz_settings(quiz),
        editable=editable,
        inline=inline,
        slots=slots,
        problems=services.publish_problems(quiz) if editable else [],
        draw_form=draw_form,
        categories=services.category_counts() if editable else [],
        tags=services.all_tags() if editable else [],
        form=EmptyForm(),
        review=policies.can_review_assessment(current_user, quiz),
        attempts=services.state_counts(quiz),
        quiz_size=services.quiz_size(quiz),
        draw_label=services.draw_label,
    ), status


@bp.get("/manage/quizzes/<int:quiz_id>/add-questions")
@permission_required("assessment.author")
def quiz_pick(quiz_id: int):
    quiz = _editable_quiz(quiz_id)
    filters = _bank_filters()
    filters = services.BankFilters(
        category=filters.category,
        tag=filters.tag,
        type=filters.type,
        q=filters.q,
        owner_id=filters.owner_id,
    )
    page = services.bank_page(filters, page=page_number(), per_page=page_size())
    in_quiz = {s["question_id"] for s in services.slots_of(quiz) if "question_id" in s}
    return render_template(
        "quizzes/quiz_pick.html",
        quiz=quiz,
        page=page,
        filters=filters,
        filter_args=_filter_args(filters),
        categories=services.category_counts(),
        tags=services.all_tags(),
        types=QUESTION_TYPES,
        in_quiz=in_quiz,
        form=EmptyForm(),
    )


@bp.post("/manage/quizzes/<int:quiz_id>/slots/questions")
@permission_required("assessment.author")
def slot_add_questions(quiz_id: int):
    quiz = _editable_quiz(quiz_id)
    require_button_post()
    ids = request.form.getlist("question_id", type=int)
    if not ids:
        flash("Tick the questions to add first.", "warning")
        return redirect(url_for("quizzes.quiz_pick", quiz_id=quiz.id))
    try:
        added, present = services.add_fixed_questions(quiz, ids)
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
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id, _anchor="slots"))


@bp.post("/manage/quizzes/<int:quiz_id>/slots/draw")
@permission_required("assessment.author")
def slot_add_draw(quiz_id: int):
    quiz = _editable_quiz(quiz_id)
    form = DrawForm()
    if not form.validate_on_submit():
        return _render_builder(quiz, form, 400)
    draw = services.add_draw(quiz, form.count.data, form.category.data, form.tag.data)
    db.session.commit()
    matching = services.count_matching(draw["category"], draw["tag"])
    flash(
        f"Added: {services.draw_label(draw)} ({matching} in the bank match).",
        "success" if matching >= draw["count"] else "warning",
    )
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id, _anchor="slots"))


@bp.post("/manage/quizzes/<int:quiz_id>/slots/<int:index>/move")
@permission_required("assessment.author")
def slot_move(quiz_id: int, index: int):
    quiz = _editable_quiz(quiz_id)
    require_button_post()
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400, "Move a slot up or down.")
    with service_action():
        services.move_slot(quiz, index, offset)
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id, _anchor="slots"))


@bp.post("/manage/quizzes/<int:quiz_id>/slots/<int:index>/remove")
@permission_required("assessment.author")
def slot_remove(quiz_id: int, index: int):
    quiz = _editable_quiz(quiz_id)
    require_button_post()
    with service_action() as action:
        services.remove_slot(quiz, index)
    if action.ok:
        flash("Removed from the quiz.", "info")
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id, _anchor="slots"))


@bp.post("/manage/quizzes/<int:quiz_id>/publish")
@permission_required("assessment.author")
def quiz_publish(quiz_id: int):
    quiz = _editable_quiz(quiz_id)
    require_button_post()
    with service_action() as action:
        services.publish(quiz)
    if action.ok:
        flash(f"“{quiz.title}” is published: learners can take it.", "success")
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id))


@bp.post("/manage/quizzes/<int:quiz_id>/unpublish")
@permission_required("assessment.author")
def quiz_unpublish(quiz_id: int):
    quiz = _editable_quiz(quiz_id)
    require_button_post()
    services.unpublish(quiz)
    db.session.commit()
    flash(
        f"“{quiz.title}” is back to draft: no new attempts. Attempts in progress "
        "can still be finished.",
        "info",
    )
    return redirect(url_for("quizzes.quiz_detail", quiz_id=quiz.id))


# --- reviewing attempts -----------------------------------------------------------------


@bp.get("/manage/quizzes/<int:quiz_id>/attempts")
@permission_required("assessment.review")
def attempt_list(quiz_id: int):
    quiz = _reviewable_quiz(quiz_id)
    state = request.args.get("state", "")
    if state not in services.ATTEMPT_STATES:
        state = ""
    page = services.attempts_page(
        quiz, state=state, page=page_number(), per_page=page_size()
    )
    return render_template(
        "quizzes/attempt_list.html",
        quiz=quiz,
        page=page,
        state=state,
        counts=services.state_counts(quiz),
        settings=services.quiz_settings(quiz),
    )


def _attempt_or_404(quiz: Assessment, attempt_id: int) -> Attempt:
    attempt = services.get_attempt(quiz, attempt_id)
    if attempt is None:
        abort(404)
    return attempt


@bp.get("/manage/quizzes/<int:quiz_id>/attempts/<int:attempt_id>")
@permission_required("assessment.review")
def attempt_review(quiz_id: int, attempt_id: int):
    quiz = _reviewable_quiz(quiz_id)
    attempt = _attempt_or_404(quiz, attempt_id)
    return _render_review(quiz, attempt)


def _render_review(quiz, attempt, *, form_item: str = "", form=None, status=200):
    items = services.review_items(attempt)
    forms = {}
    for item in items:
        if item.id == form_item and form is not None:
            forms[item.id] = form
        else:
            forms[item.id] = GradeItemForm(
                formdata=None,
                prefix=_grade_prefix(item.id),
                data={"points": _whole(item.result.get("points"))},
            )
    history = services.audit_trail("attempt", attempt.id)
    return render_template(
        "quizzes/attempt_review.html",
        quiz=quiz,
        attempt=attempt,
        items=items,
        forms=forms,
        history=history,
        gradable=attempt.state == SUBMITTED and bool(attempt.result),
    ), status


def _whole(value: float | None) -> float | int | None:
    """1.0 shows as 1 in a number box."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _grade_prefix(item_id: str) -> str:
    """One grade form per question on the page: prefixes keep field ids unique."""
    return "item-" + re.sub(r"[^A-Za-z0-9_-]", "_", item_id)


@bp.post(
    "/manage/quizzes/<int:quiz_id>/attempts/<int:attempt_id>/items/<item_id>/grade"
)
@permission_required("assessment.review")
def item_grade(quiz_id: int, attempt_id: int, item_id: str):
    quiz = _reviewable_quiz(quiz_id)
    attempt = _attempt_or_404(quiz, attempt_id)
    known = {str(q.get("id")) for q in services.snapshot_questions(attempt.snapshot)}
    if item_id not in known:
        abort(404)
    form = GradeItemForm(prefix=_grade_prefix(item_id))
    if form.validate_on_submit():
        try:
            services.regrade_item(
                attempt,
                quiz,
                item_id,
                points=form.points.data,
                comment=form.comment.data,
                actor=current_user,
            )
        except DomainError as exc:
            db.session.rollback()
            if attempt.state == SUBMITTED and attempt.result:
                form.points.errors = [*form.points.errors, str(exc)]
            else:  # no grade forms on the page to show it beside
                flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(
                f"Points changed. The attempt now scores {attempt.score:g} of "
                f"{attempt.max_score:g} ({attempt.percent:.0f} %).",
                "success",
            )
            return redirect(
                url_for(
                    "quizzes.attempt_review",
                    quiz_id=quiz.id,
                    attempt_id=attempt.id,
                    _anchor=f"item-{item_id}",
                )
            )
    return _render_review(quiz, attempt, form_item=item_id, form=form, status=400)


# --- overrides ----------------------------------------------------------------------------


@bp.route("/manage/quizzes/<int:quiz_id>/overrides", methods=["GET", "POST"])
@permission_required("assessment.review")
def overrides(quiz_id: int):
    quiz = _reviewable_quiz(quiz_id)
    form = OverrideForm()
    status = 200
    if form.validate_on_submit():
        learner = services.find_user(form.email.data)
        if learner is None:
            form.email.errors = [*form.email.errors, "No account has that email."]
            status = 400
        else:
            try:
                engine.grant_override(
                    quiz,
                    learner,
                    extra_seconds=form.extra_minutes.data * 60,
                    extra_attempts=form.extra_attempts.data,
                    reason=form.reason.data,
                    by=current_user,
                )
            except DomainError as exc:
                db.session.rollback()
                form.reason.errors = [*form.reason.errors, str(exc)]
                status = 400
            else:
                db.session.commit()
                flash(f"Override for {learner.name} saved.", "success")
                return redirect(url_for("quizzes.overrides", quiz_id=quiz.id))
    elif form.is_submitted():
        status = 400
    elif request.args.get("email"):
        form.email.data = request.args["email"]
    return render_template(
        "quizzes/quiz_overrides.html",
        quiz=quiz,
        form=form,
        overrides=services.overrides_for(quiz),
        history=services.override_history(quiz),
    ), status


# --- item statistics ---------------------------------------------------------------------


@bp.get("/manage/quizzes/<int:quiz_id>/statistics")
@permission_required("assessment.review")
def statistics(quiz_id: int):
    quiz = _reviewable_quiz(quiz_id)
    first_only = request.args.get("attempts") == "first"
    report = services.statistics_rows(quiz, first_only=first_only)
    return render_template(
        "quizzes/quiz_statistics.html",
        quiz=quiz,
        report=report,
        first_only=first_only,
        chart=_facility_chart(report) if report.attempts and report.rows else None,
    )


CHART_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    colors=("#0d6efd",),
    font_family="system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    title_font_size=14,
)


def _facility_chart(report: services.StatisticsReport) -> Markup:
    """Facility per question as an inline SVG bar chart (no scripts: js=[])."""
    chart = pygal.Bar(
        js=[],
        style=CHART_STYLE,
        width=max(480, 48 * len(report.rows)),
        height=280,
        show_legend=False,
        range=(0, 100),
        y_title="Facility (%)",
        disable_xml_declaration=True,
        print_values=False,
        explicit_size=True,
        margin=12,
    )
    chart.x_labels = [f"Q{row.number}" for row in report.rows]
    values = []
    for row in report.rows:
        facility = row.stats.get("facility")
        value = None if facility is None else round(facility * 100, 1)
        color = "#dc3545" if row.flagged else "#0d6efd"
        values.append({"value": value, "color": color, "label": row.title})
    chart.add("Facility", values)
    svg = chart.render(is_unicode=True)
    # Even with js=[] pygal embeds an inline <script> holding its config (for
    # tooltips). The CSP would block it anyway; drop it so the page stays quiet.
    # Text inside the SVG is XML-escaped, so "</script>" only closes that element.
    return Markup(_SCRIPT_ELEMENT.sub("", svg))


_SCRIPT_ELEMENT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
