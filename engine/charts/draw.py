"""Chart layout: a chart definition, its data and a box size in, a Scene of shapes out (title, legend, then the kind's plot)."""

from __future__ import annotations

import math

from engine.model import Chart

from . import cartesian, pies  # noqa: F401  (register the drawers of every kind)
from .axes import text_width
from .frame import DRAWERS, TEXT_SIZE, Area, Look
from .points import ChartData
from .scene import Label, Legend, Scene

__all__ = ["TEXT_SIZE", "Area", "Look", "draw_chart", "legend_items"]

PAD = 4.0
TITLE_SIZE = 10.0


def legend_items(chart: Chart, data: ChartData, look: Look) -> tuple[tuple[str, str], ...]:
    """(colour, label) of what the colours tell apart: a pie's categories, else the series (two or more)."""
    if chart.kind == "pie":
        return tuple((look.color(i), c) for i, c in enumerate(data.categories))
    if len(data.series) > 1:
        return tuple((look.color(i), s) for i, s in enumerate(data.series))
    return ()


def draw_chart(chart: Chart, data: ChartData, width: float, height: float, look: Look) -> Scene:
    """The scene of a chart in a box of ``width`` × ``height`` points: title, legend and plot."""
    scene = Scene(width, height, font=look.font)
    area = Area(PAD, PAD, width - PAD, height - PAD)
    if chart.title:
        scene.add(
            Label(width / 2, PAD, chart.title, TITLE_SIZE, look.text_color, "middle", bold=True,
                  width=width - 2 * PAD)
        )  # fmt: skip
        area = Area(area.x0, area.y0 + TITLE_SIZE * 1.4, area.x1, area.y1)
    if data.empty:
        scene.add(
            Label((area.x0 + area.x1) / 2, (area.y0 + area.y1) / 2, "No data", TEXT_SIZE + 1,
                  look.text_color, "middle", "middle",
                  width=area.width)
        )  # fmt: skip
        return scene
    items = legend_items(chart, data, look)
    if items and chart.legend != "none":
        area = _legend(scene, area, chart.legend, items, look)
    if area.width > 10 and area.height > 10:
        DRAWERS[chart.kind](scene, area, chart, data, look)
    return scene


def _legend(
    scene: Scene, area: Area, where: str, items: tuple[tuple[str, str], ...], look: Look
) -> Area:
    """Place the legend on one side of the area; the rest of the area is returned."""
    size = TEXT_SIZE
    row = size * 1.45
    if where in ("right", "left"):
        widest = max(text_width(label, size) for _, label in items) + size + 6
        width = min(area.width * 0.35, widest)
        x = area.x1 - width if where == "right" else area.x0
        height = min(area.height, row * len(items))
        top = area.y0 + max(0.0, (area.height - height) / 2)
        scene.add(Legend(x, top, width, height, items, "ttb", size, look.text_color))
        if where == "right":
            return Area(area.x0, area.y0, x - 6, area.y1)
        return Area(x + width + 6, area.y0, area.x1, area.y1)
    total = sum(text_width(label, size) + size + 12 for _, label in items)
    rows = max(1, math.ceil(total / max(1.0, area.width)))
    height = min(area.height / 3, rows * row)
    y = area.y0 if where == "top" else area.y1 - height
    scene.add(Legend(area.x0, y, area.width, height, items, "ltr", size, look.text_color))
    if where == "top":
        return Area(area.x0, y + height + 4, area.x1, area.y1)
    return Area(area.x0, area.y0, area.x1, y - 4)
