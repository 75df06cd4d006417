"""PDF bytes → page sizes, page tiles as QImages and search hits, made by the one thread that owns the pymupdf Document.

PyMuPDF holds the GIL while it renders, so the thread does small steps only: a tile of
at most TILE×TILE pixels from a cached display list, one page's text search. Requests
from the GUI replace each other (only what is visible now is wanted), a new document
starts a new generation and answers carry it, so the view drops stale ones.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pymupdf
from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QImage

from .service import ServiceThread

log = logging.getLogger(__name__)

#: tile edge in device pixels
TILE = 512
#: scale (pixels per point) of the low-resolution page images painted first
THUMB_SCALE = 0.35
#: display lists kept (one per page; parsing a page again costs more than drawing it)
DISPLAY_LISTS = 24


@dataclass(frozen=True)
class TileKey:
    """One tile of one page at one scale (device pixels per point); x = y = -1 is the whole page, small."""

    page: int
    scale: float
    x: int
    y: int

    @property
    def is_thumb(self) -> bool:
        return self.x < 0


class PageImage:
    """A rendered tile: the QImage shares the pixmap's memory, so the pixmap is kept with it."""

    __slots__ = ("image", "key", "origin", "pixmap")

    def __init__(self, key: TileKey, pixmap: Any) -> None:
        self.key = key
        self.pixmap = pixmap
        #: the tile's top-left corner in device pixels of the whole page at its scale
        self.origin = (pixmap.x, pixmap.y)
        self.image = QImage(
            pixmap.samples_mv, pixmap.width, pixmap.height, pixmap.stride,
            QImage.Format.Format_RGB888,
        )  # fmt: skip


def tile_clip(key: TileKey, width: float, height: float) -> pymupdf.Rect:
    """The part of the page (points) a tile shows."""
    if key.is_thumb:
        return pymupdf.Rect(0, 0, width, height)
    step = TILE / key.scale
    return pymupdf.Rect(
        key.x * step, key.y * step, min(width, (key.x + 1) * step), min(height, (key.y + 1) * step)
    )


class PageRenderer(ServiceThread):
    """Owns the preview's pymupdf Document; renders wanted tiles and searches text on request."""

    #: generation, list of (width, height) in points: a new or grown document
    loaded = Signal(int, list)
    #: generation, PageImage
    tile_ready = Signal(int, object)
    #: generation, needle, page index, list[QRectF] (points)
    found = Signal(int, str, int, list)
    #: generation, needle, number of hits
    search_finished = Signal(int, str, int)

    def __init__(self) -> None:
        super().__init__()
        self._cond = threading.Condition()
        self._commands: list[tuple[str, int, bytes]] = []
        self._wanted: list[TileKey] = []
        self._wanted_generation = 0
        self.generation = 0  # of the last document asked for (GUI side)
        self._needle = ""
        self._search_page = 0
        self._hits = 0
        # owned by the thread
        self._docs: list[tuple[int, pymupdf.Document]] = []  # (first page index, document)
        self._sizes: list[tuple[float, float]] = []
        self._doc_generation = 0
        self._lists: OrderedDict[int, Any] = OrderedDict()
        self._texts: dict[int, Any] = {}

    # -- the GUI side ----------------------------------------------------------------------

    def load(self, pdf: bytes) -> int:
        """Show a new document; returns its generation."""
        with self._cond:
            self.generation += 1
            self._commands.append(("load", self.generation, pdf))
            self._wanted = []
            self._cond.notify()
        self.ensure_started()
        return self.generation

    def append(self, pdf: bytes) -> None:
        """Add pages at the end of the current document (early chunks of a long report)."""
        with self._cond:
            self._commands.append(("append", self.generation, pdf))
            self._cond.notify()
        self.ensure_started()

    def request(self, generation: int, keys: list[TileKey]) -> None:
        """Render these tiles, in this order; replaces the previous request."""
        with self._cond:
            self._wanted = list(keys)
            self._wanted_generation = generation
            self._cond.notify()
        self.ensure_started()

    def search(self, needle: str) -> None:
        """Find `needle` on every page (case-insensitive); "" stops searching."""
        with self._cond:
            self._needle = needle
            self._search_page = 0
            self._hits = 0
            self._cond.notify()
        self.ensure_started()

    def wake(self) -> None:
        with self._cond:
            self._cond.notify()

    # -- the thread ------------------------------------------------------------------------

    def serve(self) -> None:
        try:
            while True:
                step = self._next_step()
                if step is None:
                    return
                try:
                    step()
                except Exception:  # one bad page must not stop the previews to come
                    log.exception("rendering a preview page failed")
        finally:
            self._close()

    def _next_step(self) -> Any:
        """The next small piece of work: a command, a tile, one page of a search; None to stop."""
        with self._cond:
            while True:
                if self.stopping:
                    return None
                if self._commands:
                    kind, generation, data = self._commands.pop(0)
                    return lambda: self._command(kind, generation, data)
                if self._wanted and self._wanted_generation == self._doc_generation:
                    key = self._wanted.pop(0)
                    return lambda: self._render(key)
                if self._needle and self._docs and 0 <= self._search_page < self._page_count:
                    page, needle = self._search_page, self._needle
                    self._search_page = page + 1 if page + 1 < self._page_count else -1
                    return lambda: self._search(page, needle)
                self._cond.wait()

    def _command(self, kind: str, generation: int, data: bytes) -> None:
        try:
            part = pymupdf.open(stream=data, filetype="pdf")
        except Exception as exc:  # a damaged PDF must not stop the thread
            log.warning("cannot open the preview PDF: %s", exc)
            return
        # early chunks stay separate documents: merging them would hold the GIL for long
        if kind == "load" or not self._docs:
            self._close()
            self._doc_generation = generation
        first = self._page_count
        self._docs.append((first, part))
        self._sizes.extend(
            (r.width, r.height) for r in (part.page_cropbox(i) for i in range(part.page_count))
        )
        with self._cond:
            if self._needle:  # search the new pages too (all of them after a load)
                if kind == "load":
                    self._search_page, self._hits = 0, 0
                elif self._search_page < 0:
                    self._search_page = first
        self.loaded.emit(self._doc_generation, list(self._sizes))

    @property
    def _page_count(self) -> int:
        return len(self._sizes)

    def _page(self, index: int) -> Any:
        """Page `index` (0-based, over every chunk) of the document shown."""
        starts = [first for first, _ in self._docs]
        first, doc = self._docs[bisect.bisect_right(starts, index) - 1]
        return doc[index - first]

    def _display_list(self, index: int) -> Any:
        found = self._lists.get(index)
        if found is None:
            found = self._lists[index] = self._page(index).get_displaylist()
            while len(self._lists) > DISPLAY_LISTS:
                self._lists.popitem(last=False)
        else:
            self._lists.move_to_end(index)
        return found

    def _render(self, key: TileKey) -> None:
        if not 0 <= key.page < self._page_count:
            return
        listed = self._display_list(key.page)
        rect = listed.rect
        clip = tile_clip(key, rect.width, rect.height)
        if clip.is_empty:
            return
        pixmap = listed.get_pixmap(
            matrix=pymupdf.Matrix(key.scale, key.scale), alpha=False, clip=clip
        )
        self.tile_ready.emit(self._doc_generation, PageImage(key, pixmap))

    def _search(self, index: int, needle: str) -> None:
        if index >= self._page_count:
            return
        cached = self._texts.get(index)
        if cached is None:  # the text layer keeps only a weak reference to its page: keep both
            page = self._page(index)
            cached = self._texts[index] = (page, page.get_textpage())
        page, text = cached
        rects = [
            QRectF(r.x0, r.y0, r.width, r.height) for r in page.search_for(needle, textpage=text)
        ]
        with self._cond:
            current = needle == self._needle
            if current:
                self._hits += len(rects)
            done = current and self._search_page < 0
            hits = self._hits
        if not current:
            return
        if rects:
            self.found.emit(self._doc_generation, needle, index, rects)
        if done:
            self.search_finished.emit(self._doc_generation, needle, hits)

    def _close(self) -> None:
        self._lists.clear()
        self._texts.clear()
        for _, doc in self._docs:
            doc.close()
        self._docs = []
        self._sizes = []
