"""The drawing of a chart as plain shapes in points (rectangles, lines, polygons, dots, labels, a legend).

The charts stage lays a chart out into a ``Scene``; ``engine.typst`` writes it as native
Typst drawing code (and escapes the text there). Every data point leaves a ``note``
("series | category = value") the code keeps as a comment, so a reader of the generated
source — and the tests — can check each number against the shape drawn for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float = 0.5
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Polyline:
    """An open line through points (a line chart's series)."""

    points: tuple[Point, ...]
    color: str
    width: float = 1.5


@dataclass(frozen=True, slots=True)
class Polygon:
    """A closed filled shape (a pie wedge, an area)."""

    points: tuple[Point, ...]
    fill: str
    note: str = ""
    stroke: str | None = None


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    radius: float
    fill: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Label:
    """Text anchored at (x, y): ``anchor`` start/middle/end horizontally, ``baseline`` top/middle/bottom."""

    x: float
    y: float
    text: str
    size: float
    color: str
    anchor: str = "start"
    baseline: str = "top"
    bold: bool = False
    rotate: int = 0  # degrees; -90 reads bottom to top
    width: float = 0.0  # the box width for middle/end anchors (0: computed from the size)


@dataclass(frozen=True, slots=True)
class Legend:
    """Colour swatches and labels, stacked top to bottom (``ttb``) or flowing left to right (``ltr``)."""

    x: float
    y: float
    width: float
    height: float
    items: tuple[tuple[str, str], ...]  # (colour, label)
    direction: str
    size: float
    color: str


Shape = Rect | Line | Polyline | Polygon | Dot | Label | Legend


@dataclass
class Scene:
    """A chart drawn as shapes in a box of ``width`` × ``height`` points, origin top left."""

    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)
    font: str | None = None

    def add(self, *shapes: Shape) -> None:
        self.shapes.extend(shapes)

    def of(self, kind: type) -> list[Shape]:
        """The shapes of one type, in drawing order."""
        return [s for s in self.shapes if isinstance(s, kind)]
