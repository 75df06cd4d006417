"""Pie and donut charts: each category's share of the total as a wedge with its percentage, drawn into a Scene."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from engine.expr.formatting import default_text, format_percent
from engine.model import Chart

from .axes import number_text
from .frame import TEXT_SIZE, Area, Look, drawer
from .points import ChartData
from .scene import Label, Polygon, Scene

#: a wedge's arc is drawn with a corner at least every this many degrees
ARC_STEP = 3.0
#: a donut's hole, as a share of the radius
HOLE = 0.55


def totals(data: ChartData) -> list[Any]:
    """Each category's value summed over the series (nulls and negatives count as nothing)."""
    found = []
    for c in range(len(data.categories)):
        parts = [v for row in data.values if (v := row[c]) is not None and v > 0]
        found.append(sum(parts, start=0))
    return found


def _arc(cx: float, cy: float, r: float, start: float, end: float) -> list[tuple[float, float]]:
    steps = max(1, math.ceil(abs(end - start) / ARC_STEP))
    return [
        (cx + r * math.cos(math.radians(a)), cy + r * math.sin(math.radians(a)))
        for a in (start + (end - start) * i / steps for i in range(steps + 1))
    ]


@drawer("pie")
def _pie(scene: Scene, area: Area, chart: Chart, data: ChartData, look: Look) -> None:
    values = totals(data)
    total = sum(values, start=0)
    cx, cy = (area.x0 + area.x1) / 2, (area.y0 + area.y1) / 2
    radius = max(4.0, min(area.width, area.height) / 2 - 2)
    if total <= 0:
        scene.add(
            Label(
                cx,
                cy,
                "No data",
                TEXT_SIZE + 1,
                look.text_color,
                "middle",
                "middle",
                width=area.width,
            )
        )
        return
    donut = bool(chart.extensions.get("x_donut"))
    inner = radius * HOLE if donut else 0.0
    angle = -90.0
    for c, value in enumerate(values):
        if not value:
            continue
        share = Decimal(value) / Decimal(total)
        sweep = float(share) * 360.0
        outer = _arc(cx, cy, radius, angle, angle + sweep)
        hole = _arc(cx, cy, inner, angle + sweep, angle) if donut else [(cx, cy)]
        text = f"{data.categories[c]} = {default_text(value)} ({share:.6f})"
        scene.add(Polygon(tuple(outer + hole), look.color(c), text, stroke="#ffffff"))
        if share >= Decimal("0.04"):
            middle = math.radians(angle + sweep / 2)
            at = (radius + inner) / 2 if donut else radius * 0.64
            label = format_percent(share, "#,##0.0%", look.locale)
            if chart.data_labels:
                label = f"{number_text(value, look.locale)}\n{label}"
            scene.add(Label(cx + at * math.cos(middle), cy + at * math.sin(middle), label,
                            TEXT_SIZE, "#ffffff", "middle", "middle", bold=True, width=60))  # fmt: skip
        angle += sweep
