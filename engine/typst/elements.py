"""Report elements → Typst code that places them inside a band function; one generator per element type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .escape import typst_color, typst_length, typst_string

#: element types whose value is text drawn with the `T` helper
TEXT_TYPES: frozenset[str] = frozenset({"label", "field", "expression", "aggregate", "page_number"})

#: element type → function(element, index, layout) -> Typst code drawing it (inside a code block)
ELEMENT_CODE: dict[str, Callable[[Any, int, Placement], str]] = {}


class Placement:
    """Where an element lands inside its band: shifts and growth for growing bands, clipping."""

    def __init__(self, dy: str = "", grow: str = "", clip: bool = False) -> None:
        self.dy = dy  # extra Typst length expression added to y (elements below a growing one)
        self.grow = grow  # extra Typst length expression added to the height
        self.clip = clip

    def y(self, element: Any) -> str:
        base = typst_length(element.y)
        return f"{base} + {self.dy}" if self.dy else base

    def height(self, element: Any) -> str:
        base = typst_length(element.height)
        return f"{base} + {self.grow}" if self.grow else base


def element_code(
    *types: str,
) -> Callable[[Callable[[Any, int, Placement], str]], Callable[[Any, int, Placement], str]]:
    """Register the code generator of one or more element types."""

    def register(fn: Callable[[Any, int, Placement], str]) -> Callable[[Any, int, Placement], str]:
        for name in types:
            ELEMENT_CODE[name] = fn
        return fn

    return register


def _guarded(i: int, code: str) -> str:
    return f"if v.at({i}) != none {{ {code} }}\n"


@element_code(*TEXT_TYPES)
def _text(element: Any, i: int, at: Placement) -> str:
    if not (at.clip or at.dy or at.grow):
        # the text surely fits on one line (the paginator checked): place it, no box around it
        box = f"P({typst_length(element.x)}, {typst_length(element.y)}, {typst_length(element.width)}, {typst_length(element.height)}, s.at({i}), v.at({i}))"
        return _guarded(i, box)
    clip = ", clip: true" if at.clip else ""
    box = f"T({typst_length(element.width)}, {at.height(element)}, s.at({i}), v.at({i}){clip})"
    return _guarded(i, f"place(dx: {typst_length(element.x)}, dy: {at.y(element)}, {box})")


_DASH = {"solid": "none", "dashed": '"dashed"', "dotted": '"dotted"'}


def stroke_code(stroke: Any) -> str:
    """A Typst stroke dictionary for a model Stroke, or `none`."""
    if stroke is None or stroke.width == 0:
        return "none"
    return f"(paint: {typst_color(stroke.color)}, thickness: {typst_length(stroke.width)}, dash: {_DASH[stroke.dash]})"


@element_code("line")
def _line(element: Any, i: int, at: Placement) -> str:
    end = f"({typst_length(element.x2 - element.x)}, {typst_length(element.y2 - element.y)})"
    line = f"line(start: (0pt, 0pt), end: {end}, stroke: {stroke_code(element.stroke)})"
    return _guarded(i, f"place(dx: {typst_length(element.x)}, dy: {at.y(element)}, {line})")


@element_code("box")
def _box(element: Any, i: int, at: Placement) -> str:
    rect = (
        f"rect(width: {typst_length(element.width)}, height: {at.height(element)}, fill: {typst_color(element.fill)}, "
        f"stroke: {stroke_code(element.stroke)}, radius: {typst_length(element.radius)})"
    )
    return _guarded(i, f"place(dx: {typst_length(element.x)}, dy: {at.y(element)}, {rect})")


@element_code("image")
def _image(element: Any, i: int, at: Placement) -> str:
    picture = (
        f"box(width: {typst_length(element.width)}, height: {at.height(element)}, clip: true, "
        f'image(v.at({i}), width: 100%, height: 100%, fit: "{element.fit}"))'
    )
    return _guarded(i, f"place(dx: {typst_length(element.x)}, dy: {at.y(element)}, {picture})")


def _placeholder(label: Callable[[Any], str]) -> Callable[[Any, int, Placement], str]:
    def code(element: Any, i: int, at: Placement) -> str:
        box = f"G({typst_length(element.width)}, {at.height(element)}, {typst_string(label(element))})"
        return _guarded(i, f"place(dx: {typst_length(element.x)}, dy: {at.y(element)}, {box})")

    return code


@element_code("chart")
def _chart(element: Any, i: int, at: Placement) -> str:
    """A chart's drawing from the table C (``charts``); without data (no feed) its empty frame."""
    from .charts import empty_chart_code  # only a report with charts loads them

    empty = empty_chart_code(element, "default", "en_US")
    drawing = f"if v.at({i}) == true {{ {empty} }} else {{ v.at({i}) }}"
    return _guarded(i, f"place(dx: {typst_length(element.x)}, dy: {at.y(element)}, {drawing})")


ELEMENT_CODE["barcode"] = _placeholder(lambda e: f"{e.symbology} barcode")
ELEMENT_CODE["subreport"] = _placeholder(lambda e: f"subreport {e.report}")
