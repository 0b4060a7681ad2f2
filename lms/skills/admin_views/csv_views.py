"""The framework as CSV: export, and import in two steps (as the people import,
lms.users.views): the upload is checked and shown as a preview; when it has no
problems, the preview page carries the file's text in a hidden field signed
with the app's SECRET_KEY (one hour). "Import" sends it back; the signature
proves it is the previewed file, and it is checked again against the database
before anything is written.
"""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from lms.auth.permissions import permission_required
from lms.extensions import db
from lms.skills import csv_io, framework_csv
from lms.skills.admin_views.blueprint import MANAGE, bp
from lms.skills.forms import ImportConfirmForm, ImportUploadForm

IMPORT_SALT = "skills.import"
IMPORT_MAX_AGE = 3600  # seconds between the preview and "Import"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=IMPORT_SALT)


def _render(upload, preview=None, confirm=None, status=200):
    return render_template(
        "skills_admin/framework_import.html",
        form=upload,
        preview=preview,
        confirm=confirm,
        columns=csv_io.COLUMNS,
        max_rows=csv_io.MAX_ROWS,
    ), status


@bp.get("/export.csv")
@permission_required(MANAGE)
def framework_export():
    return Response(
        framework_csv.export_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=skills-framework.csv"},
    )


@bp.get("/import")
@permission_required(MANAGE)
def framework_import():
    return _render(ImportUploadForm())


@bp.post("/import")
@permission_required(MANAGE)
def framework_import_preview():
    upload = ImportUploadForm()
    if not upload.validate_on_submit():
        return _render(upload, status=400)
    data = upload.file.data.read()
    preview = framework_csv.preview_import(data)
    if not preview.ok:
        return _render(upload, preview=preview, status=400)
    confirm = ImportConfirmForm(
        formdata=None, payload=_serializer().dumps(data.decode("utf-8-sig"))
    )
    return _render(upload, preview=preview, confirm=confirm)


@bp.post("/import/confirm")
@permission_required(MANAGE)
def framework_import_confirm():
    confirm = ImportConfirmForm()
    upload = ImportUploadForm(formdata=None)
    if not confirm.validate_on_submit():
        abort(400)
    try:
        text = _serializer().loads(confirm.payload.data, max_age=IMPORT_MAX_AGE)
    except BadSignature:  # also covers SignatureExpired
        flash(
            "That preview has expired or was altered; upload the file again.", "danger"
        )
        return _render(upload, status=400)
    try:
        outcome = framework_csv.import_framework(text, by=current_user)
    except framework_csv.ImportRejectedError as exc:
        db.session.rollback()
        flash(f"{exc} Something changed since the preview.", "danger")
        return _render(upload, preview=exc.preview, status=400)
    db.session.commit()
    flash(
        f"Imported: {len(outcome.created)} skills created, {len(outcome.updated)} "
        f"updated, {outcome.unchanged} unchanged, {len(outcome.new_categories)} new "
        "categories.",
        "success",
    )
    return redirect(url_for("skills_admin.skill_list"))
