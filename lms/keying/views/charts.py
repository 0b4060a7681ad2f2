"""What the result page draws and tabulates from a stored result: the band
ladder in words, the errors by type (a table and a bar chart), and the
learner's speed and accuracy over their attempts (two line charts and a table).

Charts are pygal SVG inlined in the page: no script, nothing loaded from
elsewhere, and hidden from screen readers because a table beside each says the
same.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pygal
from markupsafe import Markup
from pygal.style import Style

from lms.attempts.models import Attempt
from lms.keying import services
from lms.keying.scoring import BAND_LABELS, BAND_ORDER, DEFAULT_BANDS, PRIMARY_ACCURACY
from lms.keying.views.blueprint import ERROR_HELP, ERROR_LABELS, METRIC_LABELS

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
SPEED_LABELS = {"net_kph": "Net KPH", "net_wpm": "Net WPM", "f1": "F1 (%)"}


def band_rows(attempt: Attempt, res: dict[str, Any]) -> list[dict[str, Any]]:
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


def error_rows(res: dict[str, Any]) -> list[dict[str, Any]]:
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


def _svg(chart) -> Markup:
    """Render a pygal chart as inline SVG: no scripts, nothing external.

    js=[] drops pygal's CDN script; the inline config script it still writes
    would only be refused by the CSP, so it is taken out too.
    """
    svg = SCRIPT_RE.sub("", chart.render(is_unicode=True))
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def error_chart(res: dict[str, Any]) -> Markup | None:
    rows = [r for r in error_rows(res) if r["count"]]
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


def trend(attempt: Attempt, history: list[dict[str, Any]]) -> dict[str, Any]:
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
            "validity": h.get("validity"),
            "current": h["id"] == attempt.id,
        }
        for h in history
    ]
    speed_label = SPEED_LABELS[metric]
    with_accuracy = metric != "f1"  # for reconciliation F1 is the accuracy
    charts = []
    # A line needs two scored points; one dot between gaps draws nothing useful.
    if sum(1 for p in points if p["valid"] and p["speed"] is not None) >= 2:
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
