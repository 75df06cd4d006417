"""The band item: a horizontal strip with its caption above it and a draggable lower edge."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

#: height of the caption strip above each band, in points
CAPTION_HEIGHT = 13.0

_CAPTION_FILL = QColor("#e2e8f0")
_CAPTION_SELECTED = QColor("#bfdbfe")
_CAPTION_TEXT = QColor("#334155")
_EDGE = QColor("#94a3b8")
_SELECTED_EDGE = QColor("#2563eb")


class BandItem(QGraphicsItem):
    """One band: the origin is the band's top-left corner, element items are its children."""

    def __init__(self, ref: int, band: Any, caption: str, width: float) -> None:
        super().__init__()
        self.ref = ref
        self.band = band
        self.caption = caption
        self._width = width
        self._height = band.height
        self._selected = False
        self._grid = 0.0
        self.setZValue(-1)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_band(self, band: Any, caption: str, width: float) -> None:
        """Follow a changed model."""
        self.prepareGeometryChange()
        self.band, self.caption, self._width = band, caption, width
        self._height = band.height
        self.update()

    def set_height(self, height: float) -> None:
        """Show another height (live feedback of an edge drag; the model is not changed)."""
        self.prepareGeometryChange()
        self._height = max(0.0, height)
        self.update()

    def set_highlighted(self, selected: bool) -> None:
        if selected != self._selected:
            self._selected = selected
            self.update()

    def set_grid(self, grid: float) -> None:
        """Draw grid dots this many points apart (0: none)."""
        self._grid = grid
        self.update()

    @property
    def height(self) -> float:
        return self._height

    @property
    def width(self) -> float:
        return self._width

    def body_rect(self) -> QRectF:
        return QRectF(0, 0, self._width, self._height)

    def caption_rect(self) -> QRectF:
        return QRectF(0, -CAPTION_HEIGHT, self._width, CAPTION_HEIGHT)

    def edge_at(self, point: QPointF, tolerance: float) -> bool:
        """Whether a point in item coordinates is on the draggable lower edge."""
        return abs(point.y() - self._height) <= tolerance and -tolerance <= point.x() <= self._width

    def boundingRect(self) -> QRectF:
        return QRectF(-1, -CAPTION_HEIGHT - 1, self._width + 2, CAPTION_HEIGHT + self._height + 3)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        body = self.body_rect()
        background = self.band.background
        painter.fillRect(body, QColor(background) if background else QColor("white"))
        if self._grid >= 2 and body.height() > 0:
            self._paint_grid(painter, body, option.exposedRect)
        caption = self.caption_rect()
        painter.fillRect(caption, _CAPTION_SELECTED if self._selected else _CAPTION_FILL)
        font = QFont(painter.font())
        dpi = painter.device().logicalDpiY() if painter.device() is not None else 72
        font.setPointSizeF(7.5 * 72.0 / (dpi or 72))
        painter.setFont(font)
        painter.setPen(_CAPTION_TEXT)
        painter.drawText(
            caption.adjusted(4, 0, -4, 0),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.caption,
        )
        edge = _SELECTED_EDGE if self._selected else _EDGE
        painter.setPen(QPen(edge, 0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(body.united(caption))
        painter.setPen(QPen(edge, 0, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(0, self._height), QPointF(self._width, self._height))

    def _paint_grid(self, painter: QPainter, body: QRectF, exposed: QRectF) -> None:
        area = body.intersected(exposed) if not exposed.isEmpty() else body
        step = self._grid
        painter.setPen(QPen(QColor("#dbe2ea"), 0))
        x0 = int(area.left() // step) * step
        y0 = int(area.top() // step) * step
        y = y0
        points = []
        while y <= area.bottom():
            x = x0
            while x <= area.right():
                points.append(QPointF(x, y))
                x += step
            y += step
        if len(points) < 20000:
            painter.drawPoints(points)
