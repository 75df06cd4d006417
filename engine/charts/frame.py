"""What the chart kinds share: the report's look, a plot area, the text size, and the registry of plot drawers by kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.model import Chart

from .points import ChartData
from .scene import Scene

TEXT_SIZE = 7.0


@dataclass(frozen=True)
class Look:
    """What a chart takes from the report: palette, text and line colours, locale, font."""

    palette: tuple[str, ...]
    text_color: str
    line_color: str
    grid_color: str
    locale: str
    font: str | None = None

    def color(self, index: int) -> str:
        return self.palette[index % len(self.palette)]


@dataclass(frozen=True)
class Area:
    """A rectangle of the chart box: left, top, right, bottom in points."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


Drawer = Callable[[Scene, Area, Chart, ChartData, Look], None]

#: chart kind → function drawing its plot into the area left by title and legend
DRAWERS: dict[str, Drawer] = {}


def drawer(*kinds: str) -> Callable[[Drawer], Drawer]:
    """Register the plot drawer of one or more chart kinds."""

    def register(fn: Drawer) -> Drawer:
        for kind in kinds:
            DRAWERS[kind] = fn
        return fn

    return register
