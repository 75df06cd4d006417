"""The base of every element item: geometry from the model, selection outline and resize handles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ...geometry import Box, element_box

#: handle name → which box edges it moves, as (left, top, right, bottom)
HANDLES: dict[str, tuple[bool, bool, bool, bool]] = {
    "top_left": (True, True, False, False),
    "top": (False, True, False, False),
    "top_right": (False, True, True, False),
    "right": (False, False, True, False),
    "bottom_right": (False, False, True, True),
    "bottom": (False, False, False, True),
    "bottom_left": (True, False, False, True),
    "left": (True, False, False, False),
}

#: handle size on screen, in pixels, at any zoom
HANDLE_PIXELS = 7.0
SELECTION_COLOR = QColor("#2563eb")
OUTLINE_COLOR = QColor(148, 163, 184, 150)

#: element type → item class, filled by @item_for
ITEM_KINDS: dict[str, type[ElementItem]] = {}


def item_for(*element_types: str) -> Callable[[type[ElementItem]], type[ElementItem]]:
    """Register an item class as the one that draws these element types."""

    def register(cls: type[ElementItem]) -> type[ElementItem]:
        for element_type in element_types:
            ITEM_KINDS[element_type] = cls
        return cls

    return register


def create_item(ref: int, element: Any, style: Any) -> ElementItem:
    """A new item that draws ``element``."""
    return ITEM_KINDS[element.type](ref, element, style)


class ElementItem(QGraphicsItem):
    """One element on the canvas, positioned at its box in its band item; subclasses paint the content."""

    def __init__(self, ref: int, element: Any, style: Any) -> None:
        super().__init__()
        self.ref = ref
        self.element = element
        self.style = style
        self._box = element_box(element)
        self._handle = 0.0  # handle size in scene units; 0 hides the handles
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(False)
        self.setPos(self._box.x, self._box.y)

    # -- model -------------------------------------------------------------------

    def set_element(self, element: Any, style: Any) -> None:
        """Follow a changed model."""
        self.element = element
        self.style = style
        self.set_box(element_box(element))

    def set_box(self, box: Box) -> None:
        """Show the element at another box (live feedback of a drag; the model is not changed)."""
        self.prepareGeometryChange()
        self._box = Box(*box)
        self.setPos(box.x, box.y)
        self.update()

    @property
    def box(self) -> Box:
        return self._box

    def content_rect(self) -> QRectF:
        """The element's box in item coordinates."""
        return QRectF(0, 0, self._box.width, self._box.height)

    # -- handles -----------------------------------------------------------------

    def show_handles(self, size: float) -> None:
        """Show resize handles ``size`` scene units wide (0 hides them)."""
        if size != self._handle:
            self.prepareGeometryChange()
            self._handle = size
            self.update()

    def handle_rects(self, size: float | None = None) -> dict[str, QRectF]:
        """Handle name → its square in item coordinates."""
        s = self._handle if size is None else size
        r = self.content_rect()
        xs = {"left": r.left(), "mid": r.center().x(), "right": r.right()}
        ys = {"top": r.top(), "mid": r.center().y(), "bottom": r.bottom()}
        spots = {
            "top_left": (xs["left"], ys["top"]), "top": (xs["mid"], ys["top"]),
            "top_right": (xs["right"], ys["top"]), "right": (xs["right"], ys["mid"]),
            "bottom_right": (xs["right"], ys["bottom"]), "bottom": (xs["mid"], ys["bottom"]),
            "bottom_left": (xs["left"], ys["bottom"]), "left": (xs["left"], ys["mid"]),
        }  # fmt: skip
        return {name: QRectF(x - s / 2, y - s / 2, s, s) for name, (x, y) in spots.items()}

    def handle_at(self, point: QPointF) -> str | None:
        """The handle under a point in item coordinates, when handles are shown."""
        if not self._handle:
            return None
        grown = self._handle * 0.75
        for name, rect in self.handle_rects().items():
            if rect.adjusted(-grown / 2, -grown / 2, grown / 2, grown / 2).contains(point):
                return name
        return None

    # -- QGraphicsItem -----------------------------------------------------------

    def boundingRect(self) -> QRectF:
        m = max(self._handle, 2.0)
        return self.content_rect().adjusted(-m, -m, m, m)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        rect = self.content_rect()
        if rect.width() < 3 or rect.height() < 3:
            path.moveTo(rect.topLeft())
            path.lineTo(rect.bottomRight())
            stroker = QPainterPathStroker()
            stroker.setWidth(4)
            return stroker.createStroke(path) | _rect_path(rect)
        return _rect_path(rect)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.save()
        self.paint_content(painter)
        painter.restore()
        self.paint_frame(painter)

    def paint_content(self, painter: QPainter) -> None:
        """Draw the element as it prints (subclasses)."""

    def paint_frame(self, painter: QPainter) -> None:
        """A faint outline, or the selection outline and handles."""
        rect = self.content_rect()
        if not self.isSelected():
            pen = QPen(OUTLINE_COLOR, 0, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)
            return
        painter.setPen(QPen(SELECTION_COLOR, 0, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        if self._handle:
            painter.setPen(QPen(SELECTION_COLOR, 0))
            painter.setBrush(QBrush(QColor("white")))
            for handle in self.handle_rects().values():
                painter.drawRect(handle)


def _rect_path(rect: QRectF) -> QPainterPath:
    path = QPainterPath()
    path.addRect(rect)
    return path
