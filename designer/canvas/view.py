"""The canvas view: zoom, hit-testing of elements, handles and band edges, keyboard nudges and toolbox drops."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QWidget

from ..commands import AddElementCommand, AddElementsCommand, nudge
from ..document import ElementRef, ReportDocument
from ..palette import ELEMENT_MIME, FIELD_MIME, new_element, new_value_element
from .interactions import BandHeightGesture, Gesture, MoveGesture, ResizeGesture
from .items import HANDLE_PIXELS, BandItem, ElementItem
from .ruler import RULER_SIZE, RulerWidget
from .scene import ReportScene
from .snapping import SNAP_PIXELS, snap

log = logging.getLogger(__name__)

MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
ZOOM_STEP = 1.25
#: how close to a band's lower edge a press grabs it, in pixels
EDGE_PIXELS = 4.0

_HANDLE_CURSORS = {
    "top_left": Qt.CursorShape.SizeFDiagCursor, "bottom_right": Qt.CursorShape.SizeFDiagCursor,
    "top_right": Qt.CursorShape.SizeBDiagCursor, "bottom_left": Qt.CursorShape.SizeBDiagCursor,
    "top": Qt.CursorShape.SizeVerCursor, "bottom": Qt.CursorShape.SizeVerCursor,
    "left": Qt.CursorShape.SizeHorCursor, "right": Qt.CursorShape.SizeHorCursor,
}  # fmt: skip


class ReportView(QGraphicsView):
    """Shows a ReportScene; turns mouse, wheel, keys and drops into undo commands on the document."""

    zoom_changed = Signal(float)
    #: the mouse is over a band: its caption and the point inside it, in points
    cursor_moved = Signal(str, float, float)

    def __init__(self, document: ReportDocument, parent: Any = None) -> None:
        self.document = document
        self.report_scene = ReportScene(document)
        super().__init__(self.report_scene, parent)
        # the view owns its scene: it goes with the view, never later with a garbage collection
        # (which could delete it, and its items, in an order Qt aborts on)
        self.report_scene.setParent(self)
        self.setObjectName("canvasView")
        self.setAccessibleName("Report canvas")
        self.setAccessibleDescription("The report's bands and elements; arrow keys nudge")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setAcceptDrops(True)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._zoom = 1.0
        self._gesture: Gesture | None = None
        self._press: QPointF | None = None
        self._grid_visible = True
        #: the band of the last press on the canvas (where a paste goes when nothing is selected)
        self.last_band: ElementRef | None = None
        self.top_ruler = RulerWidget(self, Qt.Orientation.Horizontal)
        self.left_ruler = RulerWidget(self, Qt.Orientation.Vertical)
        self._corner = QWidget(self)
        self._corner.setStyleSheet("background: #e2e8f0")
        self._rulers_visible = True
        self.setViewportMargins(RULER_SIZE, RULER_SIZE, 0, 0)
        self.report_scene.sceneRectChanged.connect(self.update_rulers)
        document.report_changed.connect(self.update_rulers)
        self.set_zoom(1.0)

    # -- rulers ----------------------------------------------------------------------

    @property
    def rulers(self) -> tuple[RulerWidget, RulerWidget]:
        return self.top_ruler, self.left_ruler

    @property
    def rulers_visible(self) -> bool:
        return self._rulers_visible

    def set_rulers_visible(self, visible: bool) -> None:
        """Show or hide the rulers (the viewport takes their space when hidden)."""
        self._rulers_visible = bool(visible)
        size = RULER_SIZE if visible else 0
        self.setViewportMargins(size, size, 0, 0)
        for widget in (*self.rulers, self._corner):
            widget.setVisible(self._rulers_visible)
        self._place_rulers()

    def set_unit(self, unit: str) -> None:
        """Measure the rulers in mm, in or pt."""
        for ruler in self.rulers:
            ruler.set_unit(unit)

    def update_rulers(self, *_: Any) -> None:
        for ruler in self.rulers:
            ruler.update()

    def _place_rulers(self) -> None:
        vp = self.viewport().geometry()
        self.top_ruler.setGeometry(vp.x(), vp.y() - RULER_SIZE, vp.width(), RULER_SIZE)
        self.left_ruler.setGeometry(vp.x() - RULER_SIZE, vp.y(), RULER_SIZE, vp.height())
        self._corner.setGeometry(vp.x() - RULER_SIZE, vp.y() - RULER_SIZE, RULER_SIZE, RULER_SIZE)
        self.update_rulers()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_rulers()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.update_rulers()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:
            for ruler in self.rulers:
                ruler.set_cursor(None)
        return super().viewportEvent(event)

    # -- zoom ------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float) -> None:
        """Show the report at ``zoom`` (1.0 = 100 %: one point is one pixel), clamped to 25–400 %."""
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        self._zoom = zoom
        self.resetTransform()
        self.scale(zoom, zoom)
        self.report_scene.set_handle_size(HANDLE_PIXELS / zoom)
        self.report_scene.snap_tolerance = SNAP_PIXELS / zoom
        self._show_grid()
        self.update_rulers()
        self.zoom_changed.emit(zoom)

    def _show_grid(self) -> None:
        step = self.report_scene.grid if self._grid_visible else 0.0
        while step and step * self._zoom < 8:
            step *= 2
        self.report_scene.set_grid_display(step)

    def set_grid_visible(self, visible: bool) -> None:
        """Show or hide the grid dots (snapping is separate)."""
        self._grid_visible = bool(visible)
        self._show_grid()

    def set_snap_enabled(self, enabled: bool) -> None:
        """Snap moves, resizes and band edges to the grid and to other elements."""
        self.report_scene.snap_enabled = bool(enabled)

    def set_guides_enabled(self, enabled: bool) -> None:
        """Snap to other elements' edges with guide lines while dragging."""
        self.report_scene.guides_enabled = bool(enabled)

    def fit_width(self, largest: float = 2.0, smallest: float = 1.0) -> None:
        """Zoom so that the bands fill the view's width (between ``smallest`` and ``largest``), in 5 % steps."""
        width = self.report_scene.sceneRect().width()
        available = self.viewport().width() - self.verticalScrollBar().sizeHint().width() - 4
        if width > 0 and available > 0:
            self.set_zoom(min(largest, max(smallest, int(available / width * 20) / 20)))

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / ZOOM_STEP)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.set_zoom(self._zoom * ZOOM_STEP**steps)
            event.accept()
            return
        super().wheelEvent(event)

    # -- hit testing ---------------------------------------------------------------------

    def _element_at(self, scene_pos: QPointF) -> ElementItem | None:
        for item in self.report_scene.items(scene_pos):
            if isinstance(item, ElementItem) and item.shape().contains(
                item.mapFromScene(scene_pos)
            ):
                return item
        return None

    def _handle_at(self, scene_pos: QPointF) -> tuple[ElementItem, str] | None:
        for item in self.report_scene.element_items.values():
            if item.isSelected():
                handle = item.handle_at(item.mapFromScene(scene_pos))
                if handle:
                    return item, handle
        return None

    def _edge_at(self, scene_pos: QPointF) -> BandItem | None:
        tolerance = EDGE_PIXELS / self._zoom
        for band in self.report_scene.band_items.values():
            if band.edge_at(band.mapFromScene(scene_pos), tolerance):
                return band
        return None

    # -- mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = self.mapToScene(event.position().toPoint())
        self._press = pos
        scene, doc = self.report_scene, self.document
        pressed_band = scene.band_at(pos.y())
        self.last_band = pressed_band.ref if pressed_band is not None else None
        hit = self._handle_at(pos)
        if hit is not None:
            self._gesture = ResizeGesture(scene, doc, hit[0], hit[1], pos)
            event.accept()
            return
        band = self._edge_at(pos)
        element = self._element_at(pos) if band is None else None
        if band is not None:
            doc.set_selection([band.ref])
            self._gesture = BandHeightGesture(scene, doc, band, pos)
            event.accept()
            return
        if element is not None:
            toggle = event.modifiers() & (
                Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
            )
            was_selected = element.isSelected()
            if toggle:
                element.setSelected(not element.isSelected())
                if not element.isSelected():
                    event.accept()
                    return
            elif not element.isSelected():
                scene.clearSelection()
                element.setSelected(True)
            items = [i for i in scene.element_items.values() if i.isSelected()]
            self._gesture = MoveGesture(
                scene, doc, element, pos, items, click_selects_only=was_selected and not toggle
            )
            event.accept()
            return
        super().mousePressEvent(event)  # rubber band over empty space

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = self.mapToScene(event.position().toPoint())
        self.top_ruler.set_cursor(event.position().x())
        self.left_ruler.set_cursor(event.position().y())
        band = self.report_scene.band_at(pos.y())
        if band is not None:
            local = band.mapFromScene(pos)
            self.cursor_moved.emit(band.caption, local.x(), local.y())
        if self._gesture is not None:
            self._gesture.move(pos)
            event.accept()
            return
        if not event.buttons():
            self._update_cursor(pos)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pos = self.mapToScene(event.position().toPoint())
        gesture, self._gesture = self._gesture, None
        if gesture is not None and event.button() == Qt.MouseButton.LeftButton:
            gesture.finish(pos)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if (
            event.button() == Qt.MouseButton.LeftButton
            and press is not None
            and (pos - press).manhattanLength() * self._zoom < 3
            and not self.report_scene.selected_refs()
        ):
            band = self.report_scene.band_at(pos.y())
            if band is not None and band.contains(band.mapFromScene(pos)):
                self.document.set_selection([band.ref])

    def _update_cursor(self, pos: QPointF) -> None:
        hit = self._handle_at(pos)
        if hit is not None:
            self.viewport().setCursor(_HANDLE_CURSORS[hit[1]])
        elif self._edge_at(pos) is not None:
            self.viewport().setCursor(Qt.CursorShape.SizeVerCursor)
        elif self._element_at(pos) is not None:
            self.viewport().setCursor(Qt.CursorShape.SizeAllCursor)
        else:
            self.viewport().unsetCursor()

    # -- keys -------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        arrows = {
            Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1),
        }  # fmt: skip
        direction = arrows.get(Qt.Key(event.key()))
        refs = [r for r in self.document.selection if not self.document.is_band(r)]
        if direction is not None and refs and self._gesture is None:
            step = 10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
            self.document.push(nudge(self.document, refs, direction[0] * step, direction[1] * step))
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and self._gesture is not None:
            self._gesture.cancel()
            self._gesture = None
            event.accept()
            return
        super().keyPressEvent(event)

    # -- toolbox drops ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _ours(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _ours(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        pos = self.mapToScene(event.position().toPoint())
        if mime.hasFormat(FIELD_MIME):
            source = bytes(mime.data(FIELD_MIME).data()).decode("utf-8")
            dropped = self.drop_field(source, pos)
        elif mime.hasFormat(ELEMENT_MIME):
            element_type = bytes(mime.data(ELEMENT_MIME).data()).decode("utf-8")
            dropped = self.drop_element(element_type, pos)
        else:
            super().dropEvent(event)
            return
        if dropped is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def _drop_point(self, scene_pos: QPointF) -> tuple[Any, float, float] | None:
        band = self.report_scene.band_at(scene_pos.y())
        if band is None:
            return None
        grid = self.report_scene.grid
        x = max(0.0, snap(scene_pos.x(), grid))
        y = max(0.0, snap(scene_pos.y() - band.y(), grid))
        return band, x, y

    def drop_field(self, source: str, scene_pos: QPointF) -> Any:
        """A field (or ``=expression``) dropped on a band: its element and, dropped on a detail band
        of a report with a column header, a label with its name above it; one undo step."""
        spot = self._drop_point(scene_pos)
        if spot is None or not source.strip("="):
            return None
        band, x, y = spot
        element = new_value_element(source, x, y)
        additions = [(band.ref, element)]
        headers = [
            r for r in self.document.band_refs() if self.document.band(r).type == "column_header"
        ]
        if band.band.type == "detail" and headers:
            header = self.document.band(headers[0])
            label = new_element("label", x, 0).replace(
                text=source.lstrip("=").removeprefix("params.").removeprefix("vars."),
                width=element.width,
            )
            y_label = max(0.0, header.height - label.height - 2)
            additions.append((headers[0], label.replace(y=y_label)))
        name = source.lstrip("=")
        command = AddElementsCommand(self.document, additions, f"Add {name}")
        self.document.push(command)
        self.document.set_selection(command.refs[:1])
        self.setFocus()
        return command.refs[0]

    def drop_element(self, element_type: str, scene_pos: QPointF) -> Any:
        """Create an element of a type at a scene point, in the band under it; returns its ref."""
        spot = self._drop_point(scene_pos)
        if spot is None:
            return None
        band, x, y = spot
        try:
            element = new_element(element_type, x, y)
        except KeyError:
            log.warning("the toolbox dropped an unknown element type %r", element_type)
            return None
        command = AddElementCommand(self.document, band.ref, element)
        self.document.push(command)
        self.document.set_selection([command.ref])
        self.setFocus()
        return command.ref


def _ours(mime: Any) -> bool:
    return mime.hasFormat(ELEMENT_MIME) or mime.hasFormat(FIELD_MIME)
