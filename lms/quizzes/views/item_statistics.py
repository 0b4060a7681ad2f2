"""The quiz's item-statistics page, with the facility of each question as an
inline SVG bar chart."""

from __future__ import annotations

import re

import pygal
from flask import render_template, request
from markupsafe import Markup
from pygal.style import Style

from lms.auth.permissions import permission_required
from lms.quizzes import item_report, item_stats
from lms.quizzes.views.access import reviewable_quiz
from lms.quizzes.views.blueprint import bp


@bp.get("/manage/quizzes/<int:quiz_id>/statistics")
@permission_required("assessment.review")
def statistics(quiz_id: int):
    quiz = reviewable_quiz(quiz_id)
    first_only = request.args.get("attempts") == "first"
    report = item_report.statistics_rows(quiz, first_only=first_only)
    return render_template(
        "quizzes/quiz_statistics.html",
        quiz=quiz,
        report=report,
        first_only=first_only,
        min_attempts=item_stats.MIN_RELIABLE_N,
        chart=_facility_chart(report) if report.attempts and report.rows else None,
    )


CHART_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    colors=("#0d6efd",),
    font_family="system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    title_font_size=14,
)


def _facility_chart(report: item_report.StatisticsReport) -> Markup:
    """Facility per question as an inline SVG bar chart (no scripts: js=[])."""
    chart = pygal.Bar(
        js=[],
        style=CHART_STYLE,
        width=max(480, 48 * len(report.rows)),
        height=280,
        show_legend=False,
        range=(0, 100),
        y_title="Facility (%)",
        disable_xml_declaration=True,
        print_values=False,
        explicit_size=True,
        margin=12,
    )
    chart.x_labels = [f"Q{row.number}" for row in report.rows]
    values = []
    for row in report.rows:
        facility = row.stats.get("facility")
        value = None if facility is None else round(facility * 100, 1)
        color = "#dc3545" if row.flagged else "#0d6efd"
        values.append({"value": value, "color": color, "label": row.title})
    chart.add("Facility", values)
    svg = chart.render(is_unicode=True)
    # Even with js=[] pygal embeds an inline <script> holding its config (for
    # tooltips). The CSP would block it anyway; drop it so the page stays quiet.
    # Text inside the SVG is XML-escaped, so "</script>" only closes that element.
    return Markup(_SCRIPT_ELEMENT.sub("", svg))


_SCRIPT_ELEMENT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
