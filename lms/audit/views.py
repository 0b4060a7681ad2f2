"""The audit log for admins (capability "user.admin"): every audited change —
role changes, deactivations, overrides, manual grades, regrades, acceptances,
manual skill ratings, pairings — who, what, when, about whom, and what it was
before and after; filtered, paged, and downloadable as CSV."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from lms import clock
from lms.audit import queries
from lms.audit.forms import AuditFilterForm
from lms.auth.permissions import permission_required
from lms.forms import page_number
from lms.reports import exports
from lms.users import time_zones

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def _filters(form: AuditFilterForm) -> tuple[queries.AuditFilters, dict[str, str]]:
    """The filters the form holds; a field with a problem is left out (400 shown)."""
    form.validate()

    def ok(field):
        return field.data if field.data and not field.errors else None

    filters = queries.AuditFilters(
        action=ok(form.action) or "",
        actor=ok(form.actor) or "",
        person=ok(form.person) or "",
        since=ok(form.since),
        until=ok(form.until),
    )
    args = {
        name: request.args[name]
        for name in ("action", "actor", "person", "since", "until")
        if request.args.get(name) and not getattr(form, name).errors
    }
    return filters, args


@bp.get("")
@permission_required("user.admin")
def audit_list():
    form = AuditFilterForm(request.args)
    filters, args = _filters(form)
    zone = time_zones.viewer_zone()
    page = queries.page_of_events(
        filters, zone, page=page_number(), per_page=current_app.config["PAGE_SIZE"]
    )
    events = page.items
    status = 400 if form.errors else 200
    return render_template(
        "audit/audit_list.html",
        form=form,
        page=page,
        targets=queries.targets(events),
        described={e.id: queries.describe(e.details) for e in events},
        action_label=queries.action_label,
        filter_args=args,
        zone_name=time_zones.viewer_zone_name(),
    ), status


@bp.get("/export.csv")
@permission_required("user.admin")
def audit_export():
    form = AuditFilterForm(request.args)
    filters, _ = _filters(form)
    zone = time_zones.viewer_zone()
    header = list(queries.EXPORT_HEADER)
    header[0] = f"When ({time_zones.viewer_zone_name()})"
    table = exports.Table("Audit log", header, queries.export_rows(filters, zone))
    stamp = time_zones.to_local(clock.now(), zone).strftime("%Y-%m-%d")
    return exports.download(table, "csv", f"audit-log-{stamp}")
