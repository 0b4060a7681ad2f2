"""Jinja filters and globals shared by every template."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask import Flask
from markupsafe import Markup

from lms import clock
from lms.auth.permissions import has_permission
from lms.users import time_zones


def format_duration(seconds: float | int | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


def format_percent(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f} %"


def format_points(value: float | None) -> str:
    """Points as people read them: 5.866666… → 5.87, 1.0 → 1 (stored values stay exact)."""
    if value is None:
        return "—"
    rounded = round(float(value), 2)
    return f"{rounded:g}" if rounded.is_integer() else f"{rounded:.2f}".rstrip("0")


def format_kph(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} KPH"


def format_date(value: date | datetime | None) -> str:
    """A calendar date; an instant is shown as the viewer's local day."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = time_zones.to_local(value, time_zones.viewer_zone())
    return value.strftime("%d %b %Y")


def format_datetime(value: datetime | None) -> str:
    """An instant in the viewer's zone with its abbreviation: "02 Mar 2026, 14:30 IST"."""
    return time_zones.format_local(value)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        duration=format_duration,
        percent=format_percent,
        kph=format_kph,
        points=format_points,
        date=format_date,
        datetime=format_datetime,
        safe_html=Markup,  # only for HTML we sanitised on save
    )
    app.jinja_env.globals.update(
        bootstrap_assets=bootstrap_assets,
        site_header=site_header,
        has_permission=has_permission,
        today=lambda: clock.now().date(),
        nav_items=nav_items,
    )


def bootstrap_assets(kind: str) -> Markup:
    """Bootstrap's stylesheet ("css") or script ("js") tags, as Bootstrap-Flask's
    load_css() and load_js() write them. They depend only on settings, so they
    are worked out once per application and script root rather than on every
    page."""
    from flask import current_app, request

    bootstrap = current_app.extensions["bootstrap"]
    build = bootstrap.load_css if kind == "css" else bootstrap.load_js
    return _kept("bootstrap_assets", (kind, request.script_root), build)


# (label, endpoint, capability or None for everyone signed in, sections: endpoint
# prefixes that mark the item as the current page)
# A top-level entry is a link (label, endpoint, capability, sections) or a menu
# (label, links). A menu shows only the links its user may open; a menu left with
# one link is shown as that link, so no one opens a menu to find a single item.
NAV = (
    ("Dashboard", "dashboard.index", None, ("dashboard.",)),
    (
        "My learning",
        "courses.my_learning",
        "learning.view",
        ("courses.my_learning", "courses.course_detail", "courses.module_view"),
    ),
    (
        "My skills",
        "skills.my_skills",
        "learning.view",
        ("skills.my_", "skills.skill_", "skills.set_"),
    ),
    (
        "Assessments",
        "attempts.catalogue",
        "assessment.take",
        ("attempts.", "keying.take", "keying.result"),
    ),
    (
        "Teach",
        (
            (
                "Courses",
                "courses.manage_list",
                "course.author",
                ("courses.manage", "courses.new_", "courses.edit_", "courses.assign"),
            ),
            (
                "Quizzes",
                "quizzes.quiz_list",
                "assessment.author",
                (
                    "quizzes.quiz",
                    "quizzes.slot",
                    "quizzes.attempt",
                    "quizzes.item",
                    "quizzes.overrides",
                    "quizzes.statistics",
                ),
            ),
            (
                "Question bank",
                "quizzes.bank",
                "question_bank.edit",
                ("quizzes.bank", "quizzes.question"),
            ),
            (
                "Keying tests",
                "keying.tests",
                "assessment.review",
                ("keying.tests", "keying.attempts", "keying.review"),
            ),
            (
                "Skills framework",
                "skills_admin.skill_list",
                "skills.manage",
                ("skills_admin.",),
            ),
        ),
    ),
    (
        "Team",
        (
            (
                "Team dashboard",
                "reports.team",
                "report.team",
                ("reports.team",),
            ),
            (
                "Skill coverage",
                "reports.coverage_page",
                "report.team",
                ("reports.cov",),
            ),
            ("Mentoring", "mentorship.index", None, ("mentorship.",)),
            (
                "Feedback not yet acknowledged",
                "feedback.team",
                "team.view",
                ("feedback.team",),
            ),
        ),
    ),
    (
        "Admin",
        (
            ("People", "users.admin_list", "user.admin", ("users.user", "users.admin")),
            ("Teams", "users.team_list", "user.admin", ("users.team",)),
            ("Audit log", "audit.audit_list", "user.admin", ("audit.",)),
        ),
    ),
)


def _nav_link(entry, endpoint_now: str):
    """One link the current user may open, or None."""
    from flask import url_for
    from flask_login import current_user
    from werkzeug.routing import BuildError

    label, endpoint, capability, sections = entry
    if capability and not has_permission(current_user, capability):
        return None
    try:
        url = url_for(endpoint)
    except BuildError:
        return None
    return {"label": label, "url": url, "active": endpoint_now.startswith(sections)}


def nav_items():
    """Navigation for the current user: only what they may open, only routes that exist.

    Each item is a link ({label, url, active}) or a menu ({label, active, children}).
    Only the page header uses it, and `site_header` keeps what it draws per role
    and page, so this runs once per application, role, page and script root.
    """
    from flask import request

    return _nav_items(request.endpoint or "")


def _kept(name: str, key: tuple, build: Callable[[], Any]) -> Any:
    """What `build()` returns, worked out once per application and `key` and kept
    in the application (for what depends only on settings, role and page)."""
    from flask import current_app

    cache = current_app.extensions.setdefault(name, {})
    value = cache.get(key)
    if value is None:
        value = build()
        if len(cache) < KEPT_PER_NAME:
            cache[key] = value
    return value


# Roles × endpoints is a few hundred; the bound only guards against surprises.
KEPT_PER_NAME = 4096


def _nav_items(endpoint_now: str) -> list[dict]:
    items = []
    for entry in NAV:
        if len(entry) == 4:
            link = _nav_link(entry, endpoint_now)
            if link:
                items.append(link)
            continue
        label, entries = entry
        links = [x for x in (_nav_link(e, endpoint_now) for e in entries) if x]
        if len(links) == 1:
            items.append(links[0])
        elif links:
            active = any(x["active"] for x in links)
            items.append({"label": label, "active": active, "children": links})
    return items


# What differs between two people with the same role on the same page.
_PERSON_MARKS = {
    part: Markup(f"\x00{part}\x00")
    for part in ("name", "unread", "unread_badge", "csrf_token")
}


def site_header() -> Markup:
    """The page header (_partials/nav.html) for whoever is signed in.

    Drawing it was a tenth of a quiz page's time. All of it but the person's
    name, their unread count and the sign-out form's CSRF token is the same
    for everyone with the same role on the same page, so it is rendered once
    per application, role, page and script root with markers in those places,
    which each page fills in (escaped).
    """
    from flask import get_template_attribute, render_template, request
    from flask_login import current_user
    from markupsafe import escape

    from lms.security import csrf_token

    key = (getattr(current_user, "role", None), request.endpoint, request.script_root)
    frame = _kept(
        "site_header",
        key,
        lambda: render_template("_partials/nav.html", person=_PERSON_MARKS),
    )
    if not current_user.is_authenticated:
        return Markup(frame)
    unread = int(current_user.unread_notifications or 0)
    badge = get_template_attribute("_partials/unread_badge.html", "unread_badge")
    person = {
        "name": escape(current_user.name),
        "unread": str(unread),
        "unread_badge": badge(unread) if unread else "",
        "csrf_token": escape(csrf_token()),
    }
    for part, value in person.items():
        frame = frame.replace(_PERSON_MARKS[part], value)
    return Markup(frame)
