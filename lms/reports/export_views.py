"""Downloads of the skill matrix, results and feedback (capability "report.team":
managers and admins), as CSV or XLSX, for one team or every team the viewer
reports on. A team that is not the viewer's is answered exactly like one that
does not exist (404)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from lms import clock
from lms.auth.permissions import is_admin, permission_required
from lms.extensions import db
from lms.forms import int_arg, page_number
from lms.reports import export_data, exports, scope
from lms.users import time_zones
from lms.users.models import Team

bp = Blueprint("exports", __name__, url_prefix="/reports/exports")


@bp.get("")
@permission_required("report.team")
def index():
    query = sa.select(Team).order_by(Team.name, Team.id)
    condition = scope.team_condition(current_user)
    if condition is not None:
        query = query.where(condition)
    teams = db.paginate(
        query,
        page=page_number(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "reports/export_index.html",
        teams=teams,
        kinds=export_data.KINDS_OF_EXPORT,
        formats=exports.FORMATS,
        everyone=is_admin(current_user),
    )


@bp.get("/<kind>.<fmt>")
@permission_required("report.team")
def download(kind: str, fmt: str):
    if kind not in export_data.KINDS_OF_EXPORT or fmt not in exports.FORMATS:
        abort(404)
    team_id = _team_arg()
    export = export_data.ExportScope.for_viewer(current_user, team_id)
    zone = time_zones.viewer_zone()
    table = export_data.table_for(kind, export, zone)
    stamp = time_zones.to_local(clock.now(), zone).strftime("%Y-%m-%d")
    filename = f"{kind}-{export.label}-{stamp}".replace(" ", "-").lower()
    return exports.download(table, fmt, filename)


def _team_arg() -> int | None:
    if not request.args.get("team", "").strip():
        return None
    team_id = int_arg("team")
    if team_id is None:
        abort(404)
    return team_id
