"""The box item: a rectangle with the element's fill, stroke and corner radius."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter

from ..style import color, stroke_pen
from .element import ElementItem, item_for


@item_for("box")
class BoxItem(ElementItem):
    """Draws a filled, stroked, optionally rounded rectangle."""

    def paint_content(self, painter: QPainter) -> None:
        e = self.element
        rect = self.content_rect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(color(e.fill) if e.fill else Qt.BrushStyle.NoBrush)
        if e.stroke is not None and e.stroke.width > 0:
            painter.setPen(stroke_pen(e.stroke))
            half = e.stroke.width / 2
            rect = rect.adjusted(half, half, -half, -half)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        if e.radius:
            painter.drawRoundedRect(rect, e.radius, e.radius)
        else:
            painter.drawRect(rect)
