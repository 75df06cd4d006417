"""The scrolling page view: page sizes and rendered tiles in, continuous pages with search highlights painted out.

Only the pages in (or next to) the viewport are asked of the PageRenderer: a small
low-resolution image first, then tiles at the screen's resolution; what is not there
yet is painted from what is (a stale tile of the previous document, the small image,
or a blank page), so painting never waits.
"""

from __future__ import annotations

import bisect
import math
from collections import OrderedDict

from PySide6.QtCore import QPointF, QRect, QRectF, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QResizeEvent, Qt, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from .pagerenderer import THUMB_SCALE, TILE, PageImage, PageRenderer, TileKey

MIN_ZOOM, MAX_ZOOM = 0.1, 8.0
ZOOM_STEPS = (
    0.1,
    0.25,
    0.33,
    0.5,
    0.67,
    0.75,
    0.9,
    1.0,
    1.1,
    1.25,
    1.5,
    1.75,
    2.0,
    2.5,
    3.0,
    4.0,
    5.0,
    6.0,
    8.0,
)
#: pixels around and between pages
MARGIN = 12
#: screen pixels per point at 100 %
POINT = 96 / 72
#: tiles kept in memory (512×512 RGB: 0.75 MiB each)
MAX_TILES = 160

HIT = QColor(255, 213, 0, 110)
CURRENT_HIT = QColor(255, 120, 0, 150)


class PageView(QAbstractScrollArea):
    """Pages one under the other, zoomable; emits the page at the top of the view."""

    current_page_changed = Signal(int)  # 0-based
    #: the document shown changed (new generation) or grew: generation
    pages_changed = Signal(int)
    zoom_changed = Signal(float)

    def __init__(self, renderer: PageRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPages")
        self.renderer = renderer
        self.generation = 0
        self.sizes: list[tuple[float, float]] = []
        self.zoom = 1.0
        self.fit_mode: str | None = "width"
        self._tops: list[float] = []
        self._tiles: OrderedDict[TileKey, PageImage] = OrderedDict()
        self._stale: dict[int, list[PageImage]] = {}
        self.hits: dict[int, list[QRectF]] = {}
        self.current_hit: tuple[int, int] | None = None
        self._current_page = -1
        self._request_timer = QTimer(self, singleShot=True, interval=0)
        self._request_timer.timeout.connect(self._request_visible)
        renderer.loaded.connect(self._loaded)
        renderer.tile_ready.connect(self._tile_ready)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _: self.viewport().update())
        self.viewport().setAutoFillBackground(True)
        palette = self.viewport().palette()
        palette.setColor(self.viewport().backgroundRole(), QColor("#5b6270"))
        self.viewport().setPalette(palette)

    # -- document --------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return len(self.sizes)

    def clear(self) -> None:
        """Show no pages (a failed first render)."""
        self.sizes = []
        self._tiles.clear()
        self._stale.clear()
        self._relayout()

    def _loaded(self, generation: int, sizes: list[tuple[float, float]]) -> None:
        if generation != self.renderer.generation:
            return  # an older document: a newer one is on its way
        if generation != self.generation:
            # keep the old pictures to paint until the new ones arrive (no flash of blank pages)
            self._stale = {}
            ordered = sorted(self._tiles.values(), key=lambda i: not i.key.is_thumb)
            for image in ordered:  # small images first, tiles over them
                self._stale.setdefault(image.key.page, []).append(image)
            self._tiles.clear()
            self.generation = generation
        self.sizes = list(sizes)
        self._relayout()
        self.pages_changed.emit(generation)

    def _tile_ready(self, generation: int, image: PageImage) -> None:
        if generation != self.generation:
            return
        self._tiles[image.key] = image
        while len(self._tiles) > MAX_TILES:
            self._tiles.popitem(last=False)
        self.viewport().update()

    # -- geometry --------------------------------------------------------------------------

    @property
    def scale(self) -> float:
        """Logical pixels per point."""
        return self.zoom * POINT

    def _relayout(self) -> None:
        if self.fit_mode is not None:
            self._apply_fit()
        tops, y = [], float(MARGIN)
        for _, height in self.sizes:
            tops.append(y)
            y += height * self.scale + MARGIN
        self._tops = tops
        width = max((w for w, _ in self.sizes), default=0.0) * self.scale + 2 * MARGIN
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setRange(0, max(0, int(y) - self.viewport().height()))
        vbar.setPageStep(self.viewport().height())
        vbar.setSingleStep(40)
        hbar.setRange(0, max(0, int(width) - self.viewport().width()))
        hbar.setPageStep(self.viewport().width())
        self._scrolled()
        self.viewport().update()

    def page_rect(self, index: int) -> QRectF:
        """A page's rectangle in content coordinates (logical pixels, before scrolling)."""
        width, height = self.sizes[index]
        content = max(
            self.viewport().width(), max(w for w, _ in self.sizes) * self.scale + 2 * MARGIN
        )
        x = (content - width * self.scale) / 2
        return QRectF(x, self._tops[index], width * self.scale, height * self.scale)

    def _offset(self) -> QPointF:
        return QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())

    def visible_pages(self) -> list[int]:
        """Indexes of the pages that intersect the viewport."""
        if not self.sizes:
            return []
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = max(0, self._page_at(top))
        found = []
        for i in range(first, len(self.sizes)):
            if self._tops[i] > bottom:
                break
            found.append(i)
        return found

    def _page_at(self, y: float) -> int:
        return bisect.bisect_right(self._tops, y + MARGIN / 2) - 1

    def current_page(self) -> int:
        """The page at the top of the view (0-based), -1 without pages."""
        return self._current_page

    def _scrolled(self, *_: object) -> None:
        bar = self.verticalScrollBar()
        if not self.sizes:
            page = -1
        elif bar.maximum() > 0 and bar.value() >= bar.maximum():
            page = len(self.sizes) - 1  # scrolled to the end: the last page is in view
        else:
            page = max(0, self._page_at(bar.value() + 1))
        if page != self._current_page:
            self._current_page = page
            self.current_page_changed.emit(page)
        self.viewport().update()

    # -- navigation and zoom ---------------------------------------------------------------

    def go_to_page(self, index: int) -> None:
        if self.sizes:
            index = max(0, min(index, len(self.sizes) - 1))
            self.verticalScrollBar().setValue(int(self._tops[index] - MARGIN / 2))

    def set_zoom(self, zoom: float, *, fit: str | None = None) -> None:
        """Zoom to a factor (1.0 = actual size), keeping the page at the top in view."""
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self.fit_mode = fit
        if math.isclose(zoom, self.zoom):
            return
        anchor = self._anchor()
        self.zoom = zoom
        self._relayout()
        self._restore(anchor)
        self.zoom_changed.emit(zoom)

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self.zoom + 1e-3), MAX_ZOOM))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self.zoom - 1e-3), MIN_ZOOM))

    def fit_width(self) -> None:
        self.fit_mode = "width"
        self._fit()

    def fit_page(self) -> None:
        self.fit_mode = "page"
        self._fit()

    def _fit(self) -> None:
        anchor = self._anchor()
        old = self.zoom
        self._relayout()
        self._restore(anchor)
        if not math.isclose(old, self.zoom):
            self.zoom_changed.emit(self.zoom)

    def _apply_fit(self) -> None:
        if not self.sizes:
            return
        width = max(w for w, _ in self.sizes)
        room_w = max(50, self.viewport().width() - 2 * MARGIN - 2)
        zoom = room_w / (width * POINT)
        if self.fit_mode == "page":
            height = max(h for _, h in self.sizes)
            room_h = max(50, self.viewport().height() - 2 * MARGIN)
            zoom = min(zoom, room_h / (height * POINT))
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))

    def _anchor(self) -> tuple[int, float]:
        page = self.current_page()
        if page < 0:
            return (0, 0.0)
        rect = self.page_rect(page)
        return page, (self.verticalScrollBar().value() - rect.top()) / max(1.0, rect.height())

    def _restore(self, anchor: tuple[int, float]) -> None:
        page, fraction = anchor
        if 0 <= page < len(self.sizes):
            rect = self.page_rect(page)
            self.verticalScrollBar().setValue(int(rect.top() + fraction * rect.height()))

    def ensure_visible(self, page: int, rect: QRectF) -> None:
        """Scroll so that a rectangle (points) of a page is in view."""
        if not 0 <= page < len(self.sizes):
            return
        box = self.page_rect(page)
        target = QRectF(
            box.left() + rect.left() * self.scale, box.top() + rect.top() * self.scale,
            rect.width() * self.scale, rect.height() * self.scale,
        )  # fmt: skip
        view = QRectF(self._offset(), self.viewport().size().toSizeF())
        if not view.contains(target):
            self.verticalScrollBar().setValue(int(target.center().y() - view.height() / 2))
            if target.left() < view.left() or target.right() > view.right():
                self.horizontalScrollBar().setValue(int(target.center().x() - view.width() / 2))

    # -- highlights ------------------------------------------------------------------------

    def set_hits(self, hits: dict[int, list[QRectF]], current: tuple[int, int] | None) -> None:
        self.hits = hits
        self.current_hit = current
        self.viewport().update()

    # -- painting --------------------------------------------------------------------------

    def _device_scale(self) -> float:
        return round(self.scale * self.devicePixelRatioF(), 3)

    def _wanted_tiles(self, page: int, view: QRectF) -> list[TileKey]:
        scale = self._device_scale()
        box = self.page_rect(page)
        seen = view.intersected(box).translated(-box.topLeft())
        if seen.isEmpty():
            return []
        dpr = self.devicePixelRatioF()
        step = TILE / dpr
        keys = []
        for ty in range(int(seen.top() // step), math.ceil(seen.bottom() / step)):
            for tx in range(int(seen.left() // step), math.ceil(seen.right() / step)):
                keys.append(TileKey(page, scale, tx, ty))
        return keys

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        offset = self._offset()
        painter.translate(-offset)
        view = QRectF(offset, self.viewport().size().toSizeF())
        missing = False
        for page in self.visible_pages():
            box = self.page_rect(page)
            painter.fillRect(box.translated(2, 2), QColor(0, 0, 0, 60))
            painter.fillRect(box, Qt.GlobalColor.white)
            thumb = self._tiles.get(TileKey(page, THUMB_SCALE, -1, -1))
            if thumb is not None:
                self._tiles.move_to_end(thumb.key)
                painter.drawImage(box, thumb.image)
            # the previous document's pictures stand in until this page's are all there
            for image in self._stale.get(page, []):
                self._draw_tile(painter, box, image)
            complete = thumb is not None
            for key in self._wanted_tiles(page, view):
                image = self._tiles.get(key)
                if image is None:
                    complete = False
                    continue
                self._tiles.move_to_end(key)
                self._draw_tile(painter, box, image)
            if complete:
                self._stale.pop(page, None)
            missing = missing or not complete
            self._paint_hits(painter, page, box)
        painter.end()
        if missing:
            self._request_timer.start()

    def _draw_tile(self, painter: QPainter, box: QRectF, image: PageImage) -> None:
        if image.key.is_thumb:
            painter.drawImage(box, image.image)
            return
        factor = self.scale / image.key.scale  # logical pixels per pixel of the tile
        x, y = image.origin
        target = QRectF(
            box.left() + x * factor, box.top() + y * factor,
            image.image.width() * factor, image.image.height() * factor,
        )  # fmt: skip
        painter.drawImage(target, image.image)

    def _paint_hits(self, painter: QPainter, page: int, box: QRectF) -> None:
        rects = self.hits.get(page)
        if not rects:
            return
        painter.setPen(QPen(Qt.PenStyle.NoPen))
        for i, rect in enumerate(rects):
            colour = CURRENT_HIT if self.current_hit == (page, i) else HIT
            painter.fillRect(
                QRectF(
                    box.left() + rect.left() * self.scale, box.top() + rect.top() * self.scale,
                    rect.width() * self.scale, rect.height() * self.scale,
                ),
                colour,
            )  # fmt: skip

    def _request_visible(self) -> None:
        """Ask the renderer for what the view shows: small images first, then tiles; one page on either side."""
        if not self.sizes:
            return
        view = QRectF(self._offset(), self.viewport().size().toSizeF())
        pages = self.visible_pages()
        around = (
            [p for p in (pages[0] - 1, pages[-1] + 1) if 0 <= p < len(self.sizes)] if pages else []
        )
        keys = [TileKey(p, THUMB_SCALE, -1, -1) for p in [*pages, *around]]
        for page in pages:
            keys.extend(self._wanted_tiles(page, view))
        keys = [k for k in keys if k not in self._tiles]
        if keys:
            self.renderer.request(self.generation, keys)

    # -- Qt events -------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        anchor = self._anchor()
        old = self.zoom
        self._relayout()
        self._restore(anchor)
        if not math.isclose(old, self.zoom):
            self.zoom_changed.emit(self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            (self.zoom_in if event.angleDelta().y() > 0 else self.zoom_out)()
            event.accept()
            return
        super().wheelEvent(event)

    def viewport_rect(self) -> QRect:
        return self.viewport().rect()
