"""'/': what each person needs first when they sign in."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from lms.dashboard import services
from lms.forms import page_number

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index():
    return render_template(
        "dashboard/index.html",
        panels=services.panels_for(current_user, teams_page=page_number()),
    )
