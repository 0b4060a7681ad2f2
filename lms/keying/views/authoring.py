"""Keying tests trainers own: "Make an editable copy" of a test from the files,
and the details page of a browser test (title, description, time limit,
attempts allowed, published) — lms.keying.copying has the rules."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from lms.attempts.models import Assessment
from lms.auth.permissions import permission_required
from lms.content import copies
from lms.errors import PermissionDeniedError
from lms.extensions import db
from lms.forms import require_button_post, service_action
from lms.keying import copying
from lms.keying.details_form import TestDetailsForm
from lms.keying.kinds import KEYING_KIND_NAMES, KIND_LABELS
from lms.keying.views.blueprint import bp
from lms.origins import ORIGIN_FILE


@bp.context_processor
def _authoring_predicates() -> dict:
    """The keying pages show the copy button and the details link by these rules."""
    return {
        "can_copy_keying_test": copying.can_copy_test,
        "can_edit_keying_test": copying.can_edit_test,
    }


def _keying_test_or_404(slug: str) -> Assessment:
    return db.one_or_404(
        sa.select(Assessment).where(
            Assessment.slug == slug, Assessment.kind.in_(KEYING_KIND_NAMES)
        )
    )


@bp.post("/tests/<slug>/copy")
@permission_required("assessment.author")
def copy_test(slug: str):
    test = _keying_test_or_404(slug)
    if not copying.can_copy_test(current_user, test):
        abort(403)
    require_button_post()
    with service_action() as action:
        copy = copies.copy_keying_test(test, current_user)
    if not action.ok:
        return redirect(url_for("keying.attempts", slug=slug))
    flash(
        f"“{copy.title}” is your editable copy, a draft: change its details, then "
        "publish it. The test from the files stays as it is.",
        "success",
    )
    return redirect(url_for("keying.edit_test", slug=copy.slug))


@bp.route("/tests/<slug>/edit", methods=["GET", "POST"])
@permission_required("assessment.author")
def edit_test(slug: str):
    test = _keying_test_or_404(slug)
    if test.origin == ORIGIN_FILE:
        raise PermissionDeniedError(copying.FILE_TEST_MESSAGE)
    if not copying.can_edit_test(current_user, test):
        abort(403)
    form = TestDetailsForm()
    status = 200
    if form.validate_on_submit():
        with service_action() as action:
            changed = copying.update_details(test, form.details())
        if action.ok:
            flash("Test details saved." if changed else "Nothing changed.", "success")
            return redirect(url_for("keying.edit_test", slug=test.slug))
        status = 400
    elif form.is_submitted():
        status = 400
    else:
        form.load(copying.details_of(test))
    return render_template(
        "keying/test_edit.html", test=test, form=form, KIND_LABELS=KIND_LABELS
    ), status
