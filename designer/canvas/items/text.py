"""The text item: labels, fields, expressions, aggregates and page numbers drawn with their resolved style."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter

from ..style import alignment, color, font_for
from .element import ElementItem, item_for


def display_text(element: Any) -> str:
    """What the canvas shows for a text element: a label's text, or the source of a computed value."""
    if element.type in ("label", "page_number"):
        return element.text
    if element.type == "field":
        return f"[{element.field}]"
    if element.type == "aggregate":
        return f"{element.calculation}({element.expression})"
    return f"={element.expression}"


@item_for("label", "field", "expression", "aggregate", "page_number")
class TextItem(ElementItem):
    """Draws text in the element's font, size, weight, slant, colour, background and alignment."""

    def text(self) -> str:
        return display_text(self.element)

    def paint_content(self, painter: QPainter) -> None:
        style = self.style
        rect = self.content_rect()
        if style.background:
            painter.fillRect(rect, color(style.background))
        pad = float(style.padding or 0)
        inner = rect.adjusted(pad, pad, -pad, -pad) if rect.width() > 2 * pad else rect
        painter.setClipRect(rect)
        painter.setFont(font_for(style, painter))
        painter.setPen(color(style.color))
        flags = alignment(style)
        if style.align == "justify":
            flags = (flags & ~Qt.AlignmentFlag.AlignHorizontal_Mask) | Qt.AlignmentFlag.AlignLeft
        text = self.text()
        metrics = painter.fontMetrics()
        if metrics.horizontalAdvance(text) > inner.width():
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(max(inner.width(), 1)))
        painter.drawText(QRectF(inner), int(flags) | int(Qt.TextFlag.TextSingleLine), text)
