"""Small server-drawn SVG charts for the team pages: a sparkline per series,
readable without JavaScript or colour. Each chart is an image with a text
alternative naming every value in order, and the page prints the latest value
and its change beside it, so nobody has to read the line to get the numbers.

Hand-built rather than pygal: a page draws up to three per person for fifty
people, and a polyline costs microseconds where a pygal chart costs
milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 80
HEIGHT = 22
PAD = 3


@dataclass(frozen=True)
class Spark:
    """A series ready for the page: its chart, latest value and change."""

    svg: Markup
    latest: str
    change: float | None  # latest minus the one before; None with one value
    description: str


def _points(values: Sequence[float]) -> list[tuple[float, float]]:
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    points = []
    for n, value in enumerate(values):
        x = PAD + n * step if len(values) > 1 else WIDTH / 2
        # A flat series draws along the middle rather than the floor.
        share = (value - low) / span if high > low else 0.5
        y = HEIGHT - PAD - share * (HEIGHT - 2 * PAD)
        points.append((round(x, 1), round(y, 1)))
    return points


def sparkline(
    values: Sequence[float], label: str, fmt: Callable[[float], str]
) -> Spark | None:
    """`values` oldest first; `label` names the series ("net KPH"); `fmt`
    writes one value as the page shows it. None for an empty series."""
    if not values:
        return None
    shown = [fmt(v) for v in values]
    description = (
        f"{label}, last {len(values)} result{'s' if len(values) != 1 else ''} "
        f"oldest first: {', '.join(shown)}"
    )
    points = _points(values)
    line = " ".join(f"{x},{y}" for x, y in points)
    last_x, last_y = points[-1]
    svg = Markup(
        f'<svg class="spark" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="{escape(description)}" '
        f'focusable="false"><title>{escape(description)}</title>'
        + (
            f'<polyline points="{line}" fill="none" stroke="currentColor" '
            'stroke-width="1.5" stroke-linejoin="round"/>'
            if len(points) > 1
            else ""
        )
        + f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="currentColor"/></svg>'
    )
    change = values[-1] - values[-2] if len(values) > 1 else None
    return Spark(svg=svg, latest=shown[-1], change=change, description=description)


def percent(value: float) -> str:
    """A quiz percentage as the result lists write it: "82 %"."""
    return f"{value:.0f} %"
