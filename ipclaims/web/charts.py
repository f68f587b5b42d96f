"""Weekly trend charts as geometry for inline SVG (templates/pages/reports.html): no script, no chart library.

A chart is a few polylines over the weeks with a y axis from 0 to a rounded maximum; missing values (a week with no
decision has no median) break the line instead of drawing it to 0. Series differ by colour *and* dash pattern, so
they can be told apart without colour; the page gives every chart a data table beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 28, 12, 40
# Okabe-Ito colours (distinguishable with colour-blindness), each with its own dash pattern.
STYLES = (
    ("#0072b2", ""),
    ("#d55e00", "6 3"),
    ("#009e73", "2 3"),
    ("#cc79a7", "8 3 2 3"),
    ("#e69f00", "4 4"),
    ("#56b4e9", "1 2"),
    ("#000000", "10 4"),
)


@dataclass(frozen=True)
class Line:
    name: str
    path: str  # SVG path data: M/L segments, a gap where a value is missing
    points: list[tuple[float, float]]
    colour: str
    dash: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    unit: str
    labels: list[str]
    lines: list[Line]
    values: list[list[Any]]  # per line, per label: the data table beside the chart
    y_ticks: list[tuple[float, str]]  # (y position, label)
    x_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _label(value: float) -> str:
    return f"{value:g}" if value < 10_000 else f"{value / 1000:g}k"


def line_chart(chart_id: str, title: str, desc: str, unit: str, labels: list[str], series: list[tuple[str, list[Any]]]) -> Chart:
    values = [v for _, vs in series for v in vs if v is not None]
    top = _nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + (i * step if len(labels) > 1 else plot_w / 2), 1)

    def y(v: float) -> float:
        return round(TOP + plot_h - (v / top) * plot_h, 1)

    lines = []
    for n, (name, vs) in enumerate(series):
        colour, dash = STYLES[n % len(STYLES)]
        parts, points, pen_down = [], [], False
        for i, v in enumerate(vs):
            if v is None:
                pen_down = False
                continue
            parts.append(f"{'L' if pen_down else 'M'}{x(i)} {y(v)}")
            points.append((x(i), y(v)))
            pen_down = True
        lines.append(Line(name=name, path=" ".join(parts), points=points, colour=colour, dash=dash))
    every = max(1, math.ceil(len(labels) / 8))  # at most ~8 week labels, so they never overlap
    x_ticks = [(x(i), label.split("-", 1)[-1]) for i, label in enumerate(labels) if i % every == 0]
    y_ticks = [(y(top * k / 4), _label(top * k / 4)) for k in range(5)]
    values_table = [list(vs) for _, vs in series]
    return Chart(
        id=chart_id, title=title, desc=desc, unit=unit, labels=labels, lines=lines, values=values_table, y_ticks=y_ticks, x_ticks=x_ticks
    )


def report_charts(report: dict[str, Any]) -> list[Chart]:
    weekly = report["weekly"]
    labels = [w["week"] for w in weekly]
    span = f"{labels[0]} to {labels[-1]}" if labels else "no weeks"
    nw = report["trends"]["notifiers_weekly"]
    return [
        line_chart(
            "chart-volume",
            "Claims received and items decided per week",
            f"Weeks {span}: claims received (by receipt date) and items decided (by decision date).",
            "count",
            labels,
            [("Claims received", [w["received"] for w in weekly]), ("Items decided", [w["decided"] for w in weekly])],
        ),
        line_chart(
            "chart-hours",
            "Median hours to decision per week",
            f"Weeks {span}: median hours from receipt to decision of the items decided that week; gaps are weeks without decisions.",
            "hours",
            labels,
            [("Median hours to decision", [w["median_hours_to_decision"] for w in weekly])],
        ),
        line_chart(
            "chart-notifiers",
            "Claims per week by notifier",
            f"Weeks {span}: claims received from each of the {nw['top']} notifiers with the most claims, and from all others.",
            "claims",
            nw["weeks"],
            [(s["name"], s["claims"]) for s in nw["series"]],
        ),
    ]
