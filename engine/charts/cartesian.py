"""Charts on two axes — bar (vertical, horizontal, grouped, stacked), line, area, scatter — drawn into a Scene."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.expr.formatting import default_text
from engine.model import Chart

from .axes import decimals_of, nice_ticks, number_text, text_width, value_range
from .frame import TEXT_SIZE, Area, Look, drawer
from .points import ChartData
from .scene import Dot, Label, Line, Polygon, Polyline, Rect, Scene

LINE_HEIGHT = TEXT_SIZE * 1.35


def note(data: ChartData, s: int, c: int, value: Any) -> str:
    """The comment kept with a point's shape: '[series | ]category = exact value'."""
    head = f"{data.series[s]} | " if data.series[s] else ""
    return f"{head}{data.categories[c]} = {default_text(value)}"


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass
class ValueAxis:
    """Maps values to positions along a span (pixels grow from ``start`` towards ``end``)."""

    ticks: list[float]
    start: float
    end: float

    @property
    def low(self) -> float:
        return self.ticks[0]

    @property
    def high(self) -> float:
        return self.ticks[-1]

    def at(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.start + (value - self.low) / span * (self.end - self.start)

    @property
    def base(self) -> float:
        """Where bars start: 0 when the axis holds it, else its low end."""
        return self.at(min(max(0.0, self.low), self.high))


def _stacks(data: ChartData) -> list[float]:
    """Every top and bottom a stacked chart reaches (positives stack up, negatives down)."""
    ends = []
    for c in range(len(data.categories)):
        up = down = 0.0
        for s in range(len(data.series)):
            v = _num(data.values[s][c]) or 0.0
            if v >= 0:
                up += v
            else:
                down += v
        ends += [up, down]
    return ends


def _all(data: ChartData) -> list[float]:
    return [float(v) for row in data.values for v in row if v is not None]


def _tick_labels(ticks: list[float], look: Look) -> list[str]:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = decimals_of(step)
    return [number_text(Decimal(repr(t)), look.locale, decimals) for t in ticks]


def _across_ticks(
    low: float, high: float, length: float, per_tick: float, look: Look
) -> tuple[list[float], list[str]]:
    """Ticks and labels for an axis running across: as many as ``length`` gives room for, fewer
    while the widest label would not fit between two ticks (500,000,000 needs more than 45 pt)."""
    count = max(2, min(6, int(length / per_tick)))
    while True:
        ticks = nice_ticks(low, high, count)
        labels = _tick_labels(ticks, look)
        spacing = length / max(1, len(ticks) - 1)
        widest = max(text_width(text, TEXT_SIZE) for text in labels)
        if widest + 4 <= spacing or count <= 1:
            return ticks, labels
        count -= 1


def _fit(text: str, width: float, size: float) -> str:
    """The text cut (with an ellipsis) to about ``width`` points."""
    room = int(width / (size * 0.56))
    if len(text) <= room or room < 2:
        return text if room >= 2 else ""
    return text[: room - 1] + "…"


def _category_labels(
    scene: Scene, labels: tuple[str, ...], x0: float, slot: float, y: float, look: Look,
    *, cut: bool = False,
) -> None:  # fmt: skip
    """Category names under their slots: cut to fit (``cut``, names) or every k-th one (dates, numbers)."""
    widest = max((text_width(t, TEXT_SIZE) for t in labels), default=0.0)
    every = max(1, math.ceil((widest + 6) / max(slot, 1.0)))
    if cut and slot >= text_width("Abcd…", TEXT_SIZE):
        every = 1
    elif labels:
        # the first label moves right when it would reach into the value axis: keep a gap
        # between it and the next label shown
        first = text_width(labels[0], TEXT_SIZE)
        if first / 2 > slot / 2 + 3:
            while every < len(labels) and slot * (every + 0.5) < first + widest / 2 + 4:
                every += 1
    every = min(every, max(1, len(labels)))
    room = slot * every
    for i in range(0, len(labels), every):
        text = _fit(labels[i], room - 2, TEXT_SIZE)
        x = x0 + slot * (i + 0.5)
        half = text_width(text, TEXT_SIZE) * 0.9 / 2
        if i == 0 and x - half < x0 - 3:
            # the first label would reach into the value axis' "0": shift it right just enough
            left = x0 - 3
            scene.add(Label(left, y, text, TEXT_SIZE, look.text_color, "start", width=room))
            continue
        scene.add(Label(x, y, text, TEXT_SIZE, look.text_color, "middle", width=room))


def _vertical_frame(
    scene: Scene, area: Area, chart: Chart, values: list[float], look: Look
) -> tuple[Area, ValueAxis]:
    """Axis labels, value ticks and gridlines of a chart whose values run up; returns the plot area."""
    x0, y1 = area.x0, area.y1
    if chart.y_label:
        scene.add(Label(area.x0, (area.y0 + area.y1) / 2, chart.y_label, TEXT_SIZE, look.text_color,
                        "middle", "middle", rotate=-90, width=area.height))  # fmt: skip
        x0 += LINE_HEIGHT
    if chart.x_label:
        scene.add(Label((area.x0 + area.x1) / 2, y1 - LINE_HEIGHT, chart.x_label, TEXT_SIZE,
                        look.text_color, "middle", width=area.width))  # fmt: skip
        y1 -= LINE_HEIGHT
    low, high = value_range(values, zero=chart.kind != "scatter")
    ticks = nice_ticks(low, high, max(2, min(6, int((y1 - area.y0) / 28))))
    labels = _tick_labels(ticks, look)
    x0 += max(text_width(t, TEXT_SIZE) for t in labels) + 3
    plot = Area(x0, area.y0 + TEXT_SIZE / 2, area.x1 - 2, y1 - LINE_HEIGHT - 2)
    axis = ValueAxis(ticks, plot.y1, plot.y0)
    for tick, text in zip(ticks, labels, strict=True):
        y = axis.at(tick)
        scene.add(Line(plot.x0, y, plot.x1, y, look.grid_color, 0.4))
        scene.add(
            Label(plot.x0 - 3, y, text, TEXT_SIZE, look.text_color, "end", "middle", width=x0)
        )
    scene.add(Line(plot.x0, plot.y0, plot.x0, plot.y1, look.line_color, 0.6))
    scene.add(Line(plot.x0, axis.base, plot.x1, axis.base, look.line_color, 0.6))
    return plot, axis


def _horizontal_frame(
    scene: Scene, area: Area, chart: Chart, data: ChartData, values: list[float], look: Look
) -> tuple[Area, ValueAxis]:
    """A chart whose categories run down the left and values along the bottom."""
    x0, y1 = area.x0, area.y1
    if chart.x_label:  # the category axis
        scene.add(Label(area.x0, (area.y0 + area.y1) / 2, chart.x_label, TEXT_SIZE, look.text_color,
                        "middle", "middle", rotate=-90, width=area.height))  # fmt: skip
        x0 += LINE_HEIGHT
    if chart.y_label:  # the value axis
        scene.add(Label((area.x0 + area.x1) / 2, y1 - LINE_HEIGHT, chart.y_label, TEXT_SIZE,
                        look.text_color, "middle", width=area.width))  # fmt: skip
        y1 -= LINE_HEIGHT
    names_width = min(area.width * 0.35, max(text_width(c, TEXT_SIZE) for c in data.categories) + 4)
    low, high = value_range(values)
    plot_x0 = x0 + names_width
    ticks, labels = _across_ticks(low, high, area.x1 - plot_x0, 45, look)
    half = text_width(labels[-1], TEXT_SIZE) / 2
    plot = Area(plot_x0, area.y0, area.x1 - half, y1 - LINE_HEIGHT - 2)
    axis = ValueAxis(ticks, plot.x0, plot.x1)
    for tick, text in zip(ticks, labels, strict=True):
        x = axis.at(tick)
        scene.add(Line(x, plot.y0, x, plot.y1, look.grid_color, 0.4))
        scene.add(Label(x, plot.y1 + 3, text, TEXT_SIZE, look.text_color, "middle", width=60))
    scene.add(Line(axis.base, plot.y0, axis.base, plot.y1, look.line_color, 0.6))
    slot = plot.height / len(data.categories)
    for i, name in enumerate(data.categories):
        scene.add(Label(plot.x0 - 3, plot.y0 + slot * (i + 0.5), _fit(name, names_width - 4, TEXT_SIZE),
                        TEXT_SIZE, look.text_color, "end", "middle", width=names_width))  # fmt: skip
    return plot, axis


@drawer("bar")
def _bars(scene: Scene, area: Area, chart: Chart, data: ChartData, look: Look) -> None:
    stacked = chart.stacked and len(data.series) > 1
    values = _stacks(data) if stacked else _all(data)
    horizontal = chart.orientation == "horizontal"
    if horizontal:
        plot, axis = _horizontal_frame(scene, area, chart, data, values, look)
        span = plot.height
    else:
        plot, axis = _vertical_frame(scene, area, chart, values, look)
        span = plot.width
        _category_labels(
            scene, data.categories, plot.x0, plot.width / len(data.categories), plot.y1 + 2, look,
            cut=chart.bucket is None,
        )  # fmt: skip
    n, ns = len(data.categories), len(data.series)
    slot = span / n
    thick = slot * (0.7 if stacked or ns == 1 else 0.8 / ns)
    start = plot.y0 if horizontal else plot.x0
    for c in range(n):
        up = down = 0.0
        for s in range(ns):
            raw = data.values[s][c]
            if raw is None:
                continue
            v = float(raw)
            if stacked:
                bottom = up if v >= 0 else down
                top = bottom + v
                if v >= 0:
                    up = top
                else:
                    down = top
                offset = (slot - thick) / 2
            else:
                bottom, top = 0.0, v
                offset = (slot - thick * (1 if ns == 1 else ns)) / 2 + thick * s
            a, b = axis.at(_clamp(bottom, axis)), axis.at(_clamp(top, axis))
            lo, hi = min(a, b), max(a, b)
            along = start + slot * c + offset
            text = note(data, s, c, raw)
            color = look.color(s)
            if horizontal:
                scene.add(Rect(lo, along, hi - lo, thick, color, text))
            else:
                scene.add(Rect(along, lo, thick, hi - lo, color, text))
            if chart.data_labels:
                _bar_label(scene, raw, horizontal, stacked, (lo, hi), along, thick, v, look)


def _clamp(value: float, axis: ValueAxis) -> float:
    return min(max(value, axis.low), axis.high)


def _bar_label(scene: Scene, raw: Any, horizontal: bool, stacked: bool, ends: tuple[float, float],
               along: float, thick: float, v: float, look: Look) -> None:  # fmt: skip
    text = number_text(raw, look.locale)
    color = "#ffffff" if stacked else look.text_color  # inside a coloured segment
    lo, hi = ends
    middle = along + thick / 2
    if horizontal:
        x = (lo + hi) / 2 if stacked else (hi + 2 if v >= 0 else lo - 2)
        anchor = "middle" if stacked else ("start" if v >= 0 else "end")
        scene.add(Label(x, middle, text, TEXT_SIZE - 1, color, anchor, "middle", width=80))
    else:
        y = (lo + hi) / 2 if stacked else (lo - 1 if v >= 0 else hi + 1)
        baseline = "middle" if stacked else ("bottom" if v >= 0 else "top")
        scene.add(Label(middle, y, text, TEXT_SIZE - 1, color, "middle", baseline,
                        width=max(thick * 2, 40)))  # fmt: skip


@drawer("line", "area")
def _lines(scene: Scene, area: Area, chart: Chart, data: ChartData, look: Look) -> None:
    stacked = chart.kind == "area" and chart.stacked and len(data.series) > 1
    values = _stacks(data) if stacked else _all(data)
    plot, axis = _vertical_frame(scene, area, chart, values, look)
    n = len(data.categories)
    slot = plot.width / n
    _category_labels(scene, data.categories, plot.x0, slot, plot.y1 + 2, look)
    below = [0.0] * n
    for s in range(len(data.series)):
        color = look.color(s)
        row = [_num(v) for v in data.values[s]]
        if stacked:
            row = [(v or 0.0) + below[c] for c, v in enumerate(row)]
        xs = [plot.x0 + slot * (c + 0.5) for c in range(n)]
        for run in _runs(row):
            points = tuple((xs[c], axis.at(row[c])) for c in run)  # type: ignore[arg-type]
            if chart.kind == "area":
                floor = [
                    (xs[c], axis.at(below[c]) if stacked else axis.base) for c in reversed(run)
                ]
                fill = color if stacked else color + "99"
                scene.add(Polygon(points + tuple(floor), fill))
            scene.add(Polyline(points, color, 1.5 if chart.kind == "line" else 1.0))
        for c in range(n):
            raw = data.values[s][c]
            if raw is None:
                continue
            y = axis.at(row[c])  # type: ignore[arg-type]
            radius = 2.2 if chart.kind == "line" else 1.2
            scene.add(Dot(xs[c], y, radius, color, note(data, s, c, raw)))
            if chart.data_labels:
                scene.add(Label(xs[c], y - 3, number_text(raw, look.locale), TEXT_SIZE - 1,
                                look.text_color, "middle", "bottom", width=max(slot, 40)))  # fmt: skip
        if stacked:
            below = [v or 0.0 for v in row]


def _runs(row: list[float | None]) -> list[list[int]]:
    """Index runs of consecutive non-null values (a line breaks where a value is missing)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, v in enumerate(row):
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(i)
    if current:
        runs.append(current)
    return runs


@drawer("scatter")
def _scatter(scene: Scene, area: Area, chart: Chart, data: ChartData, look: Look) -> None:
    numeric = all(
        isinstance(k, int | float | Decimal) and not isinstance(k, bool) for k in data.keys
    )
    plot, axis = _vertical_frame(scene, area, chart, _all(data), look)
    if numeric:
        xs_values = [float(k) for k in data.keys]
        ticks, labels = _across_ticks(min(xs_values), max(xs_values), plot.width - 8, 50, look)
        x_axis = ValueAxis(ticks, plot.x0 + 4, plot.x1 - 4)
        for tick, text in zip(ticks, labels, strict=True):
            scene.add(
                Label(
                    x_axis.at(tick),
                    plot.y1 + 2,
                    text,
                    TEXT_SIZE,
                    look.text_color,
                    "middle",
                    width=60,
                )
            )
        xs = [x_axis.at(v) for v in xs_values]
    else:
        slot = plot.width / len(data.categories)
        _category_labels(scene, data.categories, plot.x0, slot, plot.y1 + 2, look)
        xs = [plot.x0 + slot * (c + 0.5) for c in range(len(data.categories))]
    for s in range(len(data.series)):
        for c, raw in enumerate(data.values[s]):
            if raw is None:
                continue
            y = axis.at(float(raw))
            scene.add(Dot(xs[c], y, 2.4, look.color(s), note(data, s, c, raw)))
            if chart.data_labels:
                scene.add(Label(xs[c], y - 3, number_text(raw, look.locale), TEXT_SIZE - 1,
                                look.text_color, "middle", "bottom", width=40))  # fmt: skip
