"""Keying test pages.

Learners: the take page of a live attempt (one layout per kind; the browser
saves and submits through the JSON API, static/js/keying.js) and the result
of a finished attempt. Trainers and admins (capability assessment.review, per
lms.keying.policies): every attempt at a keying test, and one attempt with the
evidence behind its integrity flags.

Routes:
  GET /keying/attempts/<id>            take (the learner's own live attempt)
  GET /keying/attempts/<id>/result     result (learner: own; reviewers; team manager)
  GET /keying/attempts/<id>/review     integrity evidence (reviewers)
  GET /keying/tests                    keying tests the user reviews
  GET /keying/tests/<slug>/attempts    every attempt at one test (reviewers)

Decisions:

* Starting is the engine's (catalogue → intro → Start, or the API);
  lms.attempts.links sends every keying attempt here, so the engine's own
  take/result URLs redirect to these pages.
* The take page renders only engine.learner_items() and the saved responses;
  the script gets the rest from data-* attributes (no JSON blocks). The
  countdown only displays: the server's remaining_ms from every save resets it.
* List reconciliation takes one flag per ledger row (a select: missing in
  statement, or one column differs) and a tick per statement row (not in the
  ledger). The bundled sets never plant two differences on one ref; a select
  keeps 20 rows at 20 tab stops instead of 80 checkboxes.
* An invalid result shows why instead of a speed, accuracy and band; the marked
  review stays visible because it is what the learner learns from. Integrity
  flags are shown to the learner too ("notes for your trainer"): nothing is
  flagged behind their back.
* The field-by-field review honours the assessment's review setting
  (lms.attempts.review.review_options), as the API does.
* The result page is open to whoever may open the attempt through the API
  (the learner, the test's reviewers, the learner's team manager); the
  integrity evidence only to reviewers.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pygal
import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from pygal.style import Style

from lms import clock
from lms.attempts import kinds
from lms.attempts import review as attempt_review
from lms.attempts import services as attempt_services
from lms.attempts.models import Assessment, Attempt
from lms.auth.permissions import permission_required
from lms.extensions import db
from lms.forms import page_number, page_size
from lms.keying import policies, services
from lms.keying.kinds import KEYING_KIND_NAMES as KEYING_KINDS
from lms.keying.kinds import KIND_LABELS
from lms.keying.scoring import BAND_ORDER, DEFAULT_BANDS, PRIMARY_ACCURACY

bp = Blueprint("keying", __name__, url_prefix="/keying")
bp.add_app_template_global(policies.can_review_attempt, "can_review_keying_attempt")

BAND_LABELS = {
    "foundation": "Foundation",
    "job_ready": "Job-ready",
    "proficient": "Proficient",
}
ERROR_LABELS = {
    "substitution": "Substitution",
    "omission": "Omission",
    "insertion": "Insertion",
    "transposition": "Transposition",
    "decimal_shift": "Decimal shift",
    "sign": "Sign",
    "format": "Format",
    "blank": "Blank field",
    "skipped_entry": "Skipped entry",
    "extra_entry": "Extra entry",
    "missed": "Missed difference",
    "wrong_field": "Right row, wrong field",
    "false_alarm": "False alarm",
}
ERROR_HELP = {
    "substitution": "a character keyed in place of another",
    "omission": "a character left out",
    "insertion": "an extra character keyed",
    "transposition": "two neighbouring characters swapped",
    "decimal_shift": "the right digits with the decimal point in the wrong place",
    "sign": "a minus sign missing or added",
    "format": "the right value in the wrong format",
    "blank": "a field left empty before the last one keyed",
    "skipped_entry": "an entry left out",
    "extra_entry": "an entry keyed that is not on the list",
    "missed": "a difference that was not flagged",
    "wrong_field": "the right row flagged for the wrong field",
    "false_alarm": "a flag where there is no difference",
}
METRIC_LABELS = {
    "net_kph": "net KPH",
    "net_wpm": "net WPM",
    "f1": "F1",
    "accuracy": "accuracy",
    "field_accuracy": "field accuracy",
    "entry_accuracy": "entry accuracy",
    "char_accuracy": "character accuracy",
    "critical_accuracy": "critical-field accuracy",
}
FLAG_LABELS = {
    "paste_attempt": "Paste attempt",
    "focus_loss": "Focus loss",
    "implausible_timing": "Implausible timing",
    "replay_mismatch": "Replay mismatch",
    "no_keystroke_log": "No keystroke log",
}


def _keying_attempt_or_404(attempt_id: int) -> Attempt:
    attempt = services.get_attempt(attempt_id)
    if attempt is None or attempt.kind not in KEYING_KINDS:
        abort(404)
    return attempt


def _expire(attempt: Attempt) -> None:
    """Let the engine close an attempt whose time is over (lazy expiry)."""
    if attempt.is_live and attempt_services.expire_if_due(attempt):
        db.session.commit()


# --------------------------------------------------------------------------
# Take
# --------------------------------------------------------------------------


@bp.get("/attempts/<int:attempt_id>")
@login_required
def take(attempt_id: int):
    """Show the test page of the learner's live attempt."""
    attempt = _keying_attempt_or_404(attempt_id)
    if not policies.can_take_attempt(current_user, attempt):
        abort(403)
    _expire(attempt)
    if not attempt.is_live:
        return redirect(url_for("keying.result", attempt_id=attempt.id))
    now = clock.now()
    remaining = (
        max(0, int((attempt.deadline_at - now).total_seconds() * 1000))
        if attempt.deadline_at is not None
        else None
    )
    snapshot = attempt.snapshot or {}
    return render_template(
        "keying/take.html",
        attempt=attempt,
        assessment=attempt.assessment,
        kind=attempt.kind,
        mode=snapshot.get("mode", ""),
        items=kinds.get(attempt.kind).learner_items(snapshot),
        responses=attempt_services.responses_for(attempt),
        remaining_ms=remaining,
        elapsed_ms=max(0, int((now - attempt.started_at).total_seconds() * 1000)),
        kind_label=KIND_LABELS.get(attempt.kind, attempt.kind),
    )


# --------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    """Show the scored result of a finished attempt."""
    attempt = _keying_attempt_or_404(attempt_id)
    if not policies.can_view_result(current_user, attempt):
        abort(403)
    _expire(attempt)
    if attempt.is_live:
        if policies.can_take_attempt(current_user, attempt):
            return redirect(url_for("keying.take", attempt_id=attempt.id))
        abort(409, description="This attempt is still in progress.")
    options = attempt_review.review_options(attempt, current_user)
    res = _reviewed_result(attempt, options)
    scored = bool(res.get("kind"))
    history = services.history(attempt.user_id, attempt.assessment_id)
    return render_template(
        "keying/result.html",
        attempt=attempt,
        assessment=attempt.assessment,
        result=res,
        scored=scored,
        bands=_band_rows(attempt, res),
        errors=_error_rows(res),
        error_chart=_error_chart(res) if scored else None,
        trend=_trend(attempt, history),
        is_own=attempt.user_id == current_user.id,
        review=options,
        **_labels(),
    )


def _reviewed_result(attempt: Attempt, options) -> dict[str, Any]:
    """The stored result with its items as the kind's review builder gives them
    to this viewer (the same filtering the API applies); no items when the
    review is not open to them."""
    res = attempt.result if isinstance(attempt.result, dict) else {}
    if not res:
        return {}
    items = (
        attempt_review.review_items(
            attempt, attempt_services.responses_for(attempt), options
        )
        if options.allowed
        else []
    )
    return {**res, "items": items}


def _labels() -> dict[str, Any]:
    return {
        "BAND_LABELS": BAND_LABELS,
        "ERROR_LABELS": ERROR_LABELS,
        "ERROR_HELP": ERROR_HELP,
        "FLAG_LABELS": FLAG_LABELS,
        "KIND_LABELS": KIND_LABELS,
    }


def _band_rows(attempt: Attempt, res: dict[str, Any]) -> list[dict[str, Any]]:
    """Each band with its thresholds in words, best first, the reached one marked."""
    bands = (attempt.snapshot or {}).get("bands") or DEFAULT_BANDS.get(attempt.kind)
    rows = []
    for name in BAND_ORDER:
        thresholds = (bands or {}).get(name)
        if not isinstance(thresholds, dict):
            continue
        parts = []
        for metric, minimum in thresholds.items():
            if metric == "accuracy":
                metric = PRIMARY_ACCURACY.get(attempt.kind, "accuracy")
            label = METRIC_LABELS.get(metric, metric.replace("_", " "))
            if metric in ("net_kph", "net_wpm"):
                parts.append(f"≥ {minimum:,.0f} {label}")
            else:
                parts.append(f"≥ {minimum * 100:g} % {label}")
        if attempt.kind == "record_entry" and "critical_accuracy" not in thresholds:
            parts.append("100 % critical-field accuracy")
        rows.append(
            {
                "name": name,
                "label": BAND_LABELS.get(name, name),
                "rule": " and ".join(parts),
                "reached": res.get("band") == name,
            }
        )
    return rows


def _error_rows(res: dict[str, Any]) -> list[dict[str, Any]]:
    counts = res.get("error_counts") or {}
    return [
        {
            "code": code,
            "label": ERROR_LABELS.get(code, code),
            "help": ERROR_HELP.get(code, ""),
            "count": n,
        }
        for code, n in counts.items()
        if isinstance(n, int)
    ]


CHART_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0d6efd", "#198754", "#dc3545", "#fd7e14"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
)


SCRIPT_RE = re.compile(r"<script\b.*?</script>", re.S | re.I)


def _svg(chart) -> Markup:
    """Render a pygal chart as inline SVG: no scripts, nothing external.

    js=[] drops pygal's CDN script; the inline config script it still writes
    would only be refused by the CSP, so it is taken out too.
    """
    svg = SCRIPT_RE.sub("", chart.render(is_unicode=True))
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def _error_chart(res: dict[str, Any]) -> Markup | None:
    rows = [r for r in _error_rows(res) if r["count"]]
    if not rows:
        return None
    top = max(r["count"] for r in rows)
    step = max(1, math.ceil(top / 5))
    ticks = list(range(0, top + step, step))
    chart = pygal.HorizontalBar(
        js=[],
        style=CHART_STYLE,
        show_legend=False,
        height=max(150, 44 * len(rows) + 70),
        width=640,
        print_values=True,
        print_values_position="top",
        value_formatter=lambda v: f"{v:.0f}",
        range=(0, ticks[-1]),
        y_labels=ticks,
        margin=10,
        explicit_size=False,
        disable_xml_declaration=True,
    )
    # pygal draws the first label at the bottom: reverse to read like the table.
    chart.x_labels = [r["label"] for r in reversed(rows)]
    chart.add("Errors", [r["count"] for r in reversed(rows)])
    return _svg(chart)


def _trend(attempt: Attempt, history: list[dict[str, Any]]) -> dict[str, Any]:
    """The learner's speed and accuracy over their finished attempts at this test:
    two small line charts (each with its own scale) and the same as a table."""
    metric = services.headline_metric(attempt.kind)
    points = [
        {
            "id": h["id"],
            "label": f"#{h['number']}",
            "when": h["submitted_at"] or h["started_at"],
            "speed": h.get(metric),
            "accuracy": h.get("accuracy"),
            "valid": h.get("validity") == "valid",
            "current": h["id"] == attempt.id,
        }
        for h in history
    ]
    speed_label = {"net_kph": "Net KPH", "net_wpm": "Net WPM", "f1": "F1 (%)"}[metric]
    with_accuracy = metric != "f1"  # for reconciliation F1 is the accuracy
    charts = []
    if len(points) >= 2:
        scale = 100 if metric == "f1" else 1
        charts.append(_line(points, "speed", scale, speed_label, "#0d6efd"))
        if with_accuracy:
            charts.append(_line(points, "accuracy", 100, "Accuracy (%)", "#198754"))
    return {
        "points": points,
        "charts": charts,
        "speed_label": speed_label,
        "with_accuracy": with_accuracy,
    }


def _line(
    points: list[dict[str, Any]], key: str, scale: float, title: str, colour: str
) -> Markup:
    style = Style(**{**CHART_STYLE.to_dict(), "colors": (colour,)})
    chart = pygal.Line(
        js=[],
        style=style,
        title=title,
        height=260,
        width=520,
        explicit_size=False,
        disable_xml_declaration=True,
        show_legend=False,
        dots_size=4,
        margin=12,
        value_formatter=lambda v: f"{v:,.1f}" if v < 100 else f"{v:,.0f}",
        include_x_axis=False,
        allow_interruptions=True,
    )
    chart.x_labels = [p["label"] for p in points]
    chart.add(title, [_point(p, key, scale) for p in points])
    return _svg(chart)


def _point(point: dict[str, Any], key: str, scale: float) -> float | None:
    """A chart value; attempts without a valid score leave a gap."""
    value = point.get(key)
    if value is None or not point["valid"]:
        return None
    return round(value * scale, 1)


# --------------------------------------------------------------------------
# Trainer pages
# --------------------------------------------------------------------------


@bp.get("/tests")
@permission_required("assessment.review")
def tests():
    """List the keying tests the user reviews, with attempt counts."""
    page = db.paginate(
        services.reviewable_assessments_query(current_user),
        page=page_number(),
        per_page=page_size(),
    )
    counts = services.attempt_counts(a.id for a in page.items)
    return render_template(
        "keying/tests.html", page=page, counts=counts, KIND_LABELS=KIND_LABELS
    )


@bp.get("/tests/<slug>/attempts")
@permission_required("assessment.review")
def attempts(slug: str):
    """List every attempt at one keying test, newest first."""
    assessment = db.one_or_404(
        sa.select(Assessment).where(
            Assessment.slug == slug, Assessment.kind.in_(KEYING_KINDS)
        )
    )
    if not policies.can_review_assessment(current_user, assessment):
        abort(403)
    page = db.paginate(
        services.attempts_query(assessment), page=page_number(), per_page=page_size()
    )
    figures = services.attempt_figures(assessment.kind, (a.id for a in page.items))
    rows = [
        {"attempt": a, "flags": services.flags_of(a), **figures.get(a.id, {})}
        for a in page.items
    ]
    metric = services.headline_metric(assessment.kind)
    return render_template(
        "keying/attempts.html",
        assessment=assessment,
        page=page,
        rows=rows,
        metric=metric,
        **_labels(),
    )


@bp.get("/attempts/<int:attempt_id>/review")
@permission_required("assessment.review")
def review(attempt_id: int):
    """Show one attempt to a reviewer with the evidence behind each flag."""
    attempt = _keying_attempt_or_404(attempt_id)
    if not policies.can_review_attempt(current_user, attempt):
        abort(403)
    _expire(attempt)
    res = attempt.result if isinstance(attempt.result, dict) else {}
    raw = services.keystroke_events(attempt.id)
    return render_template(
        "keying/review.html",
        attempt=attempt,
        assessment=attempt.assessment,
        result=res,
        scored=bool(res.get("kind")),
        flags=services.flags_of(attempt),
        timing=services.timing_evidence(attempt, raw),
        labels=_input_labels(attempt.snapshot or {}),
        **_labels(),
    )


def _input_labels(snapshot: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Names a reviewer recognises for the item and field ids in the evidence."""
    kind = snapshot.get("kind")
    items: dict[str, str] = {}
    fields: dict[str, str] = {}
    if kind == "record_entry":
        for n, rec in enumerate(snapshot.get("records") or (), start=1):
            items[str(rec.get("id"))] = f"Record {n}"
        for f in snapshot.get("fields") or ():
            fields[str(f.get("name"))] = f.get("label") or str(f.get("name"))
    elif kind == "ten_key":
        for n, entry in enumerate(snapshot.get("entries") or (), start=1):
            items[str(entry.get("id"))] = f"Entry {n}"
    elif kind == "transcription":
        for n, p in enumerate(snapshot.get("passages") or (), start=1):
            items[str(p.get("id"))] = f"Passage {n}"
    return {"item_names": items, "field_names": fields}
