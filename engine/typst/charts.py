"""Chart scenes → native Typst drawing code (vector shapes and text in the document's fonts), and the chart element's code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..charts import EMPTY, Scene, draw_chart, look_of
from ..charts.scene import Dot, Label, Legend, Line, Polygon, Polyline, Rect, Shape
from .escape import typst_color, typst_string

#: shape type → function writing its Typst code (one statement inside the chart's code block)
SHAPE_CODE: dict[type, Callable[[Any], str]] = {}


def shape_code(kind: type) -> Callable[[Callable[[Any], str]], Callable[[Any], str]]:
    """Register the code writer of one shape type."""

    def register(fn: Callable[[Any], str]) -> Callable[[Any], str]:
        SHAPE_CODE[kind] = fn
        return fn

    return register


def _pt(value: float) -> str:
    return f"{round(value, 2):g}pt"


def _xy(point: tuple[float, float]) -> str:
    return f"({_pt(point[0])}, {_pt(point[1])})"


def _note(text: str) -> str:
    return f"// point: {' '.join(text.split())}\n" if text else ""


@shape_code(Rect)
def _rect(r: Rect) -> str:
    return _note(r.note) + (
        f"place(dx: {_pt(r.x)}, dy: {_pt(r.y)}, rect(width: {_pt(r.width)}, height: {_pt(r.height)}, "
        f"fill: {typst_color(r.fill)}, stroke: none))\n"
    )


@shape_code(Line)
def _line(ln: Line) -> str:
    dash = ', dash: "dashed"' if ln.dashed else ""
    return (
        f"place(line(start: {_xy((ln.x1, ln.y1))}, end: {_xy((ln.x2, ln.y2))}, "
        f"stroke: (paint: {typst_color(ln.color)}, thickness: {_pt(ln.width)}{dash})))\n"
    )


@shape_code(Polyline)
def _polyline(p: Polyline) -> str:
    if len(p.points) < 2:
        return ""
    steps = ", ".join(
        [f"curve.move({_xy(p.points[0])})", *(f"curve.line({_xy(q)})" for q in p.points[1:])]
    )
    stroke = f'(paint: {typst_color(p.color)}, thickness: {_pt(p.width)}, join: "round")'
    return f"place(curve(stroke: {stroke}, {steps}))\n"


@shape_code(Polygon)
def _polygon(p: Polygon) -> str:
    stroke = f"(paint: {typst_color(p.stroke)}, thickness: 0.6pt)" if p.stroke else "none"
    points = ", ".join(_xy(q) for q in p.points)
    return _note(p.note) + (
        f"place(polygon(fill: {typst_color(p.fill)}, stroke: {stroke}, {points}))\n"
    )


@shape_code(Dot)
def _dot(d: Dot) -> str:
    return _note(d.note) + (
        f"place(dx: {_pt(d.x - d.radius)}, dy: {_pt(d.y - d.radius)}, "
        f"circle(radius: {_pt(d.radius)}, fill: {typst_color(d.fill)}, stroke: none))\n"
    )


def _text(size: float, color: str, text: str, bold: bool = False) -> str:
    weight = ', weight: "bold"' if bold else ""
    lines = text.split("\n")
    body = (
        " + linebreak() + ".join(typst_string(t) for t in lines)
        if len(lines) > 1
        else typst_string(text)
    )
    return f"text(size: {_pt(size)}, fill: {typst_color(color)}{weight}, {body})"


_ALIGN = {"start": "left", "middle": "center", "end": "right"}
_VALIGN = {"top": "top", "middle": "horizon", "bottom": "bottom"}


@shape_code(Label)
def _label(t: Label) -> str:
    body = _text(t.size, t.color, t.text, t.bold)
    if t.rotate:
        body = f"rotate({t.rotate}deg, {body})"  # about its centre, laid out unrotated
    width = t.width or max(20.0, len(t.text) * t.size)
    left = {"start": t.x, "middle": t.x - width / 2, "end": t.x - width}[t.anchor]
    if t.rotate:  # a rotated label is centred on (x + half a line, y)
        left = t.x + t.size * 0.7 - width / 2
    if t.anchor == "start" and t.baseline == "top" and not t.rotate:
        return f"place(dx: {_pt(t.x)}, dy: {_pt(t.y)}, {body})\n"
    align = f"{_ALIGN['middle' if t.rotate else t.anchor]} + {_VALIGN['middle' if t.rotate else t.baseline]}"
    height = "0pt" if t.baseline != "top" or t.rotate else "auto"
    return (
        f"place(dx: {_pt(left)}, dy: {_pt(t.y)}, box(width: {_pt(width)}, height: {height}, "
        f"align({align}, {body})))\n"
    )


@shape_code(Legend)
def _legend(g: Legend) -> str:
    items = [
        f"box(stack(dir: ltr, spacing: 3pt, box(width: {_pt(g.size)}, height: {_pt(g.size)}, "
        f"fill: {typst_color(color)}), {_text(g.size, g.color, label)}))"
        for color, label in g.items
    ]
    if g.direction == "ttb":
        body = f"stack(dir: ttb, spacing: {_pt(g.size * 0.45)}, {', '.join(items)})"
    else:
        body = "align(center, " + " + h(8pt) + ".join(items) + ")"
    return f"place(dx: {_pt(g.x)}, dy: {_pt(g.y)}, box(width: {_pt(g.width)}, height: {_pt(g.height)}, {body}))\n"


def scene_code(scene: Scene) -> str:
    """A chart scene as a Typst block of its exact size, every shape placed in it."""
    body = "".join(SHAPE_CODE[type(shape)](shape) for shape in scene.shapes)
    font = f"set text(font: {typst_string(scene.font)})\n" if scene.font else ""
    return (
        f"box(width: {_pt(scene.width)}, height: {_pt(scene.height)}, {{\n"
        f'set text(top-edge: "ascender", bottom-edge: "descender")\n{font}{body}}})'
    )


def shapes_code(shapes: list[Shape]) -> str:
    """The code of some shapes alone (for tests and previews)."""
    return "".join(SHAPE_CODE[type(s)](s) for s in shapes)


def empty_chart_code(element: Any, theme: str, locale: str) -> str:
    """An element's chart drawn without data: its frame and title (a chart the fill gave no data)."""
    look = look_of(theme, locale, element.font)
    return scene_code(draw_chart(element.chart, EMPTY, element.width, element.height, look))
