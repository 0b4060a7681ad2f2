"""A person's own account page: who they are, and the time zone every date and
time they read or type is in. Password and API tokens have their own pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms import clock
from lms.forms import service_action
from lms.users import services, time_zones
from lms.users.forms import AccountForm

bp = Blueprint("account", __name__)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings():
    form = AccountForm()
    if request.method == "GET":
        form.time_zone.data = current_user.time_zone or ""
    if form.validate_on_submit():
        with service_action() as action:
            services.set_time_zone(current_user, form.time_zone.data)
        if action.ok:
            flash(
                f"Saved. Times are now shown in {time_zones.viewer_zone_name()}.",
                "success",
            )
            return redirect(url_for("account.settings"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "account/account_settings.html",
        form=form,
        zone_name=time_zones.viewer_zone_name(),
        now=clock.now(),
    ), status
