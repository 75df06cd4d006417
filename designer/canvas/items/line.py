"""The line item: a straight line between the element's two end points, with its stroke."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainter

from ..style import stroke_pen
from .element import ElementItem, item_for


@item_for("line")
class LineItem(ElementItem):
    """Draws a line from (x, y) to (x2, y2); its box spans the two end points."""

    def end_points(self) -> tuple[QPointF, QPointF]:
        """The end points in item coordinates, scaled with the box during a resize drag."""
        e = self.element
        box = self.box
        x0, y0 = min(e.x, e.x2), min(e.y, e.y2)
        w0, h0 = abs(e.x2 - e.x), abs(e.y2 - e.y)

        def map_x(x: float) -> float:
            return (x - x0) / w0 * box.width if w0 else 0.0

        def map_y(y: float) -> float:
            return (y - y0) / h0 * box.height if h0 else 0.0

        return QPointF(map_x(e.x), map_y(e.y)), QPointF(map_x(e.x2), map_y(e.y2))

    def paint_content(self, painter: QPainter) -> None:
        painter.setPen(stroke_pen(self.element.stroke))
        start, end = self.end_points()
        painter.drawLine(start, end)

    def paint_frame(self, painter: QPainter) -> None:
        if self.isSelected():  # an unselected line needs no outline: it is its own outline
            super().paint_frame(painter)
