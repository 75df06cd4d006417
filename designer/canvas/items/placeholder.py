"""The placeholder item: images, charts, barcodes and subreports as a labelled, hatched box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen

from .element import ElementItem, item_for


def placeholder_caption(element: Any) -> str:
    """``Image: logo.png``, ``Chart: bar of Total``, ``Barcode: qr``, ``Subreport: lines.ashr``."""
    if element.type == "image":
        source = element.source
        what = source.file or (f"[{source.field}]" if source.field else "embedded")
        return f"Image: {what}"
    if element.type == "chart":
        return f"Chart: {element.chart.kind} of {element.chart.value}"
    if element.type == "barcode":
        return f"Barcode: {element.symbology}"
    return f"Subreport: {element.report}"


@item_for("image", "chart", "barcode", "subreport")
class PlaceholderItem(ElementItem):
    """Stands in for content the engine draws at run time."""

    def paint_content(self, painter: QPainter) -> None:
        rect = self.content_rect()
        painter.fillRect(rect, QColor("#f8fafc"))
        painter.fillRect(rect, QBrush(QColor("#cbd5e1"), Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(QColor("#64748b"), 0))
        painter.drawRect(rect)
        font = QFont(painter.font())
        dpi = painter.device().logicalDpiY() if painter.device() is not None else 72
        font.setPointSizeF(8 * 72.0 / (dpi or 72))
        painter.setFont(font)
        painter.setPen(QColor("#334155"))
        painter.setClipRect(rect)
        painter.drawText(
            rect.adjusted(2, 2, -2, -2),
            int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap),
            placeholder_caption(self.element),
        )
