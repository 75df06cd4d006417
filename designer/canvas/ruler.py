"""Rulers along the canvas view's top and left edges: the view's zoom and scroll in, ticks in the user's unit out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

#: unit → points per unit (the same table as designer.settings, which panes don't import)
UNIT_POINTS: dict[str, float] = {"mm": 72 / 25.4, "in": 72.0, "pt": 1.0}
#: thickness of a ruler, in pixels
RULER_SIZE = 20
#: labelled ticks at least this many pixels apart
MAJOR_PIXELS = 48.0
#: unlabelled ticks at least this many pixels apart
MINOR_PIXELS = 5.0
_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000)
_SUBDIVISIONS = {"in": (8, 4, 2), "mm": (10, 5, 2), "pt": (10, 5, 2)}
BACKGROUND = QColor("#f1f5f9")
INACTIVE = QColor("#e2e8f0")
TICK = QColor("#475569")
MARKER = QColor("#db2777")


def tick_steps(unit: str, zoom: float) -> tuple[float, int]:
    """(major step in units, minor ticks per major step) that suit a zoom (pixels per point)."""
    pixels_per_unit = UNIT_POINTS[unit] * zoom
    major = next((s for s in _STEPS if s * pixels_per_unit >= MAJOR_PIXELS), _STEPS[-1])
    if unit == "in" and pixels_per_unit >= MAJOR_PIXELS * 2:
        major = 1
    for parts in _SUBDIVISIONS[unit]:
        if major * pixels_per_unit / parts >= MINOR_PIXELS:
            return float(major), parts
    return float(major), 1


class RulerWidget(QWidget):
    """One ruler; spans (start, length) in points are the measured parts (the content width, each band)."""

    def __init__(self, view: Any, orientation: Qt.Orientation) -> None:
        super().__init__(view)
        self.view = view
        self.orientation = orientation
        self.unit = "mm"
        #: the cursor along this ruler, in viewport pixels (None: not over the view)
        self.cursor: float | None = None
        horizontal = orientation == Qt.Orientation.Horizontal
        self.setObjectName("horizontalRuler" if horizontal else "verticalRuler")
        self.setAccessibleName("Horizontal ruler" if horizontal else "Vertical ruler")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        font = QFont(self.font())
        font.setPointSizeF(7.0)
        self.setFont(font)

    @property
    def horizontal(self) -> bool:
        return self.orientation == Qt.Orientation.Horizontal

    def set_unit(self, unit: str) -> None:
        """Measure in mm, in or pt."""
        UNIT_POINTS[unit]
        self.unit = unit
        self.update()

    def set_cursor(self, position: float | None) -> None:
        """Mark the cursor at a viewport pixel along this ruler (None hides the marker)."""
        if position != self.cursor:
            self.cursor = position
            self.update()

    def spans(self) -> list[tuple[float, float, float]]:
        """(scene start, scene length, origin) of each measured part: ticks count from the origin."""
        scene = self.view.report_scene
        if self.horizontal:
            width = scene.document.report.page.content_width
            return [(0.0, width, 0.0)]
        return [(b.y(), b.height, b.y()) for b in scene.ordered_band_items()]

    def to_pixel(self, scene_value: float) -> float:
        """Where a scene coordinate along this ruler falls, in the ruler's (= viewport's) pixels."""
        point = QPointF(scene_value, 0.0) if self.horizontal else QPointF(0.0, scene_value)
        mapped = self.view.viewportTransform().map(point)
        return mapped.x() if self.horizontal else mapped.y()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), INACTIVE)
        zoom = self.view.zoom
        major, parts = tick_steps(self.unit, zoom)
        points = UNIT_POINTS[self.unit]
        thickness = self.height() if self.horizontal else self.width()
        for start, length, origin in self.spans():
            a, b = self.to_pixel(start), self.to_pixel(start + length)
            self._fill(painter, a, b, thickness)
            self._ticks(painter, a, b, self.to_pixel(origin), major, parts, points * zoom)
        painter.setPen(QPen(TICK, 1))
        if self.horizontal:
            painter.drawLine(0, thickness - 1, self.width(), thickness - 1)
        else:
            painter.drawLine(thickness - 1, 0, thickness - 1, self.height())
        if self.cursor is not None:
            painter.setPen(QPen(MARKER, 1))
            c = round(self.cursor)
            if self.horizontal:
                painter.drawLine(c, 0, c, thickness)
            else:
                painter.drawLine(0, c, thickness, c)
        painter.end()

    def _fill(self, painter: QPainter, a: float, b: float, thickness: int) -> None:
        if self.horizontal:
            painter.fillRect(QRectF(a, 0, b - a, thickness), BACKGROUND)
        else:
            painter.fillRect(QRectF(0, a, thickness, b - a), BACKGROUND)

    def _ticks(
        self,
        painter: QPainter,
        a: float,
        b: float,
        origin: float,
        major: float,
        parts: int,
        pixels_per_unit: float,
    ) -> None:
        painter.setPen(QPen(TICK, 1))
        thickness = self.height() if self.horizontal else self.width()
        minor_pixels = major * pixels_per_unit / parts
        if minor_pixels <= 0:
            return
        length = self.width() if self.horizontal else self.height()
        first = max(a, 0.0)
        last = min(b, float(length))
        i = max(0, int((first - origin) // minor_pixels))
        while True:
            p = origin + i * minor_pixels
            if p > last + 0.5:
                break
            if p >= first - 0.5:
                labelled = i % parts == 0
                size = thickness * (0.6 if labelled else 0.25)
                if parts % 2 == 0 and i % parts == parts // 2:
                    size = thickness * 0.4
                x = round(p)
                if self.horizontal:
                    painter.drawLine(x, thickness - int(size), x, thickness)
                    if labelled:
                        painter.drawText(x + 2, 9, _label(i // parts * major))
                else:
                    painter.drawLine(thickness - int(size), x, thickness, x)
                    if labelled:
                        painter.save()
                        painter.translate(9, x + 2)
                        painter.rotate(-90)
                        painter.drawText(
                            -painter.fontMetrics().horizontalAdvance(_label(i // parts * major)),
                            0,
                            _label(i // parts * major),
                        )
                        painter.restore()
            i += 1


def _label(value: float) -> str:
    return f"{value:g}"
