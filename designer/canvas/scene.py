"""The report scene: bands stacked in print order with their element items, following the document's signals."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene

from ..bands import band_caption, print_order
from ..document import ElementRef, ReportDocument
from .items import CAPTION_HEIGHT, BandItem, ElementItem, create_item
from .snapping import grid_preference
from .style import style_resolver

#: vertical space between one band's lower edge and the next band's caption, in points
BAND_GAP = 6.0
#: empty space around the bands, in points
SCENE_MARGIN = 24.0
GUIDE_COLOR = QColor("#db2777")


class ReportScene(QGraphicsScene):
    """Draws one document; rebuilt incrementally from `report_changed` through a ref → item map."""

    def __init__(self, document: ReportDocument, parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.grid = grid_preference()
        self.band_items: dict[ElementRef, BandItem] = {}
        self.element_items: dict[ElementRef, ElementItem] = {}
        self._height_overrides: dict[ElementRef, float] = {}
        self._handle_size = 7.0
        self._grid_display = 0.0
        self._syncing = False
        #: snap moves and resizes to the grid and (with guides) to other elements' edges
        self.snap_enabled = True
        #: snap to other elements' edges and draw guide lines while dragging
        self.guides_enabled = True
        #: how close an edge snaps to another element's edge, in scene units (the view sets it)
        self.snap_tolerance = 4.0
        self.guide_items: list[QGraphicsLineItem] = []
        self.setBackgroundBrush(QBrush(QColor("#cbd5e1")))
        document.report_changed.connect(self.sync)
        document.selection_changed.connect(self.sync_selection)
        self.selectionChanged.connect(self._qt_selection_changed)
        self.sync()

    # -- following the document ------------------------------------------------------

    def sync(self, *_: Any) -> None:
        """Create, update and remove items so that they match the document's report."""
        doc = self.document
        report = doc.report
        width = report.page.content_width
        resolver = style_resolver(report)
        self._syncing = True
        try:
            alive = {ref for _, ref, _ in doc.iter_elements()}
            for ref in [r for r in self.element_items if r not in alive]:
                item = self.element_items.pop(ref)
                if item.scene() is self:
                    self.removeItem(item)
            alive_bands = set(doc.band_refs())
            for ref in [r for r in self.band_items if r not in alive_bands]:
                self.removeItem(self.band_items.pop(ref))
            for ref, band in zip(doc.band_refs(), report.bands, strict=True):
                item = self.band_items.get(ref)
                if item is None:
                    item = self.band_items[ref] = BandItem(ref, band, band_caption(band), width)
                    self.addItem(item)
                else:
                    item.set_band(band, band_caption(band), width)
                item.set_grid(self._grid_display)
            stacking: dict[ElementRef, int] = {}
            for band_ref, ref, element in doc.iter_elements():
                stacking[band_ref] = stacking.get(band_ref, -1) + 1
                style = resolver.element_style(element)
                item = self.element_items.get(ref)
                if item is None or item.element.type != element.type:
                    if item is not None:
                        self.removeItem(item)
                    item = self.element_items[ref] = create_item(ref, element, style)
                else:
                    item.set_element(element, style)
                parent = self.band_items[band_ref]
                if item.parentItem() is not parent:
                    item.setParentItem(parent)
                item.setZValue(stacking[band_ref])  # later elements print over earlier ones
            self._height_overrides.clear()
            self.layout()
        finally:
            self._syncing = False
        self.sync_selection(doc.selection)

    def layout(self) -> None:
        """Stack the band items in print order, captions above the bands."""
        report = self.document.report
        refs = self.document.band_refs()
        y = CAPTION_HEIGHT
        for index in print_order(report):
            item = self.band_items[refs[index]]
            if item.ref in self._height_overrides:
                item.set_height(self._height_overrides[item.ref])
            item.setPos(0, y)
            y += item.height + BAND_GAP + CAPTION_HEIGHT
        width = report.page.content_width
        self.setSceneRect(
            QRectF(-SCENE_MARGIN, -SCENE_MARGIN, width + 2 * SCENE_MARGIN, y + 2 * SCENE_MARGIN)
        )

    def sync_selection(self, refs: list[ElementRef]) -> None:
        """Show the document's selection: element items selected, a selected band highlighted."""
        wanted = set(refs)
        self._syncing = True
        try:
            for ref, item in self.element_items.items():
                item.setSelected(ref in wanted)
            for ref, band in self.band_items.items():
                band.set_highlighted(ref in wanted)
        finally:
            self._syncing = False
        self._update_handles()

    def _qt_selection_changed(self) -> None:
        if self._syncing:
            return
        self.document.set_selection(self.selected_refs())
        self._update_handles()

    def _update_handles(self) -> None:
        selected = [i for i in self.element_items.values() if i.isSelected()]
        for item in self.element_items.values():
            item.show_handles(self._handle_size if len(selected) == 1 and item.isSelected() else 0)

    # -- queries used by the view ------------------------------------------------------

    def selected_refs(self) -> list[ElementRef]:
        """Refs of the selected element items, in file order."""
        order = {r: i for i, r in enumerate(self.document.element_refs())}
        refs = [i.ref for i in self.selectedItems() if isinstance(i, ElementItem)]
        return sorted(refs, key=lambda r: order.get(r, 0))

    def ordered_band_items(self) -> list[BandItem]:
        return sorted(self.band_items.values(), key=lambda b: b.y())

    def band_at(self, scene_y: float) -> BandItem | None:
        """The band whose caption or body (or the gap below it) holds a scene y; the nearest one outside."""
        bands = self.ordered_band_items()
        if not bands:
            return None
        for band in bands:
            if scene_y < band.y() + band.height + BAND_GAP:
                return band
        return bands[-1]

    def set_handle_size(self, size: float) -> None:
        """Handle size in scene units (the view keeps it a constant number of pixels)."""
        self._handle_size = size
        self._update_handles()

    def set_grid_display(self, step: float) -> None:
        """Draw grid dots this far apart in the bands (0 hides them)."""
        self._grid_display = step
        for band in self.band_items.values():
            band.set_grid(step)

    # -- live feedback of gestures ------------------------------------------------------

    def preview_band_height(self, ref: ElementRef, height: float) -> None:
        """Show a band at another height while its edge is dragged (the model is unchanged)."""
        self._height_overrides[ref] = max(0.0, height)
        self.layout()

    def show_guides(self, xs: list[float], ys: list[float]) -> None:
        """Draw vertical guides at scene xs and horizontal ones at scene ys (replacing the old ones)."""
        self.clear_guides()
        rect = self.sceneRect()
        lines = [QLineF(x, rect.top(), x, rect.bottom()) for x in xs]
        lines += [QLineF(rect.left(), y, rect.right(), y) for y in ys]
        pen = QPen(GUIDE_COLOR, 0, Qt.PenStyle.DashLine)
        for line in lines:
            item = QGraphicsLineItem(line)
            item.setPen(pen)
            item.setZValue(1000)
            self.addItem(item)
            self.guide_items.append(item)

    def clear_guides(self) -> None:
        """Remove the guide lines of a drag."""
        for item in self.guide_items:
            self.removeItem(item)
        self.guide_items.clear()

    def end_preview(self) -> None:
        """Forget live feedback and show the model again."""
        self._height_overrides.clear()
        self.sync()
