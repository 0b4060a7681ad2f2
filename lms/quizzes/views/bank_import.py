"""Importing GIFT and Aiken into the bank: upload or paste, preview with every
error by line, then confirm. The confirmation re-parses the carried text and
imports only if it is still error-free."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.auth.permissions import permission_required
from lms.extensions import db
from lms.forms import require_button_post
from lms.quizzes import bank, bank_import, grading
from lms.quizzes.forms.bank_import import ImportForm
from lms.quizzes.kind import right_answer
from lms.quizzes.views.blueprint import bp


@bp.route("/bank/import", methods=["GET", "POST"], endpoint="bank_import")
@permission_required("question_bank.edit")
def import_page():
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
        categories=bank.category_counts(),
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
    if fmt not in bank_import.FORMATS:
        fmt = bank_import.detect_format(text, source)
    result = bank_import.parse_bank_text(text, source, fmt)
    plan = bank_import.plan_import(result, category=category, tags=tags.split(","))
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
                "answer": right_answer(grading.normalize_question(q)) or "—",
            }
            for q, dup in zip(plan.questions, plan.duplicates, strict=True)
        ],
    }


def _import_confirm():
    require_button_post()
    text = request.form.get("text", "")
    source = request.form.get("source", "pasted text")[:200]
    category = request.form.get("category", "")[:200]
    tags = request.form.get("tags", "")[:500]
    preview = _preview(text, source, request.form.get("format", ""), category, tags)
    result = preview["result"]
    try:
        created, skipped = bank_import.import_questions(
            result, owner=current_user, category=category, tags=tags.split(",")
        )
    except bank_import.ImportRefusedError:
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
            categories=bank.category_counts(),
        ), 400
    db.session.commit()
    message = f"Imported {len(created)} question{'s' if len(created) != 1 else ''}"
    if skipped:
        message += f"; {skipped} already in the bank were skipped"
    flash(message + ".", "success")
    return redirect(url_for("quizzes.bank"))
