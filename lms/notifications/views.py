"""Notification pages (blueprint "notifications", /notifications): a person's
own notifications, newest first, paginated; opening one marks it read and goes
to what it is about; mark one or all read. Everyone signed in; nobody sees
another person's notifications (404).

The navigation's count (`unread_notifications()` in templates) is loaded with
the signed-in person (lms.notifications.models): no statement of its own.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.errors import NotFoundError
from lms.extensions import db
from lms.forms import page_number, page_size, require_button_post
from lms.notifications import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_template_global("unread_notifications")
def unread_notifications() -> int:
    """The signed-in person's unread count, loaded with them."""
    if not current_user.is_authenticated:
        return 0
    return current_user.unread_notifications


def _back_to_list():
    return redirect(url_for("notifications.index", page=page_number()))


@bp.get("")
@login_required
def index():
    page = db.paginate(
        services.notifications_query(current_user.id),
        page=page_number(),
        per_page=page_size(),
        error_out=False,
    )
    return render_template("notifications/notification_list.html", page=page)


@bp.post("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int):
    require_button_post()
    notification = _mark_read(notification_id)
    db.session.commit()
    return redirect(notification.link or url_for("notifications.index"))


@bp.post("/<int:notification_id>/read")
@login_required
def read_one(notification_id: int):
    require_button_post()
    _mark_read(notification_id)
    db.session.commit()
    return _back_to_list()


@bp.post("/read-all")
@login_required
def read_all():
    require_button_post()
    services.mark_all_read(current_user)
    db.session.commit()
    return _back_to_list()


def _mark_read(notification_id: int):
    try:
        return services.mark_read(current_user, notification_id)
    except NotFoundError:
        abort(404)
