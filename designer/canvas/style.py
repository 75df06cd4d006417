"""Painting helpers shared by the canvas items: resolved styles → QFont, QColor, QPen, alignment flags."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from engine.fill.styles import StyleResolver
from engine.model import Report

_DASHES = {
    "solid": Qt.PenStyle.SolidLine,
    "dashed": Qt.PenStyle.DashLine,
    "dotted": Qt.PenStyle.DotLine,
}
_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
    "justify": Qt.AlignmentFlag.AlignJustify,
}
_VALIGN = {
    "top": Qt.AlignmentFlag.AlignTop,
    "middle": Qt.AlignmentFlag.AlignVCenter,
    "bottom": Qt.AlignmentFlag.AlignBottom,
}


def style_resolver(report: Report) -> StyleResolver:
    """Resolves an element's style as the engine prints it: own keys, named style, theme."""
    return StyleResolver(report)


def color(value: str | None, default: str = "#000000") -> QColor:
    """A QColor from a `#rgb`/`#rrggbb`/`#rrggbbaa` string (the file's alpha is last, Qt's first)."""
    text = value or default
    if len(text) == 9:
        text = "#" + text[7:9] + text[1:7]
    elif len(text) == 5:
        text = "#" + text[4] + text[1:4]
    return QColor(text)


def font_for(style: Any, painter: QPainter) -> QFont:
    """The style's font sized so that 1 pt of the report is 1 scene unit at any screen resolution."""
    font = QFont(style.font)
    dpi = painter.device().logicalDpiY() if painter.device() is not None else 72
    font.setPointSizeF(max(0.5, style.size * 72.0 / (dpi or 72)))
    font.setBold(bool(style.bold))
    font.setItalic(bool(style.italic))
    font.setUnderline(bool(style.underline))
    return font


def alignment(style: Any) -> Qt.AlignmentFlag:
    """Qt alignment flags of a style's align and valign."""
    return _ALIGN.get(style.align, Qt.AlignmentFlag.AlignLeft) | _VALIGN.get(
        style.valign, Qt.AlignmentFlag.AlignTop
    )


def stroke_pen(stroke: Any) -> QPen:
    """The pen of a line or box stroke (width in points; a 0 width draws a hairline)."""
    pen = QPen(color(stroke.color))
    pen.setWidthF(stroke.width)
    pen.setStyle(_DASHES.get(stroke.dash, Qt.PenStyle.SolidLine))
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen
