"""Mouse gestures on the canvas: moving elements, resizing one, dragging a band's edge; one command each on release."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF

from ..commands import Move, MoveElementsCommand, ResizeElementCommand, SetBandHeightCommand
from ..document import ReportDocument
from ..geometry import Box
from .items import HANDLES, BandItem, ElementItem
from .scene import ReportScene
from .snapping import EdgeSnapper, snap

#: the smallest width or height a resize leaves, in points
MIN_SIZE = 1.0


class Gesture:
    """A press-drag-release on the canvas: live feedback on move, one undo command on finish."""

    def move(self, scene_pos: QPointF) -> None:
        raise NotImplementedError

    def finish(self, scene_pos: QPointF) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        raise NotImplementedError


@dataclass
class MoveGesture(Gesture):
    """Drag the selected elements together by a grid-snapped distance, possibly into another band."""

    scene: ReportScene
    document: ReportDocument
    primary: ElementItem
    press: QPointF
    items: list[ElementItem] = field(default_factory=list)
    #: a plain click (no drag) on an already selected element selects just that one
    click_selects_only: bool = False

    def __post_init__(self) -> None:
        self._start = {item.ref: item.pos() for item in self.items}
        self._band_of = {item.ref: item.parentItem() for item in self.items}
        self._delta = QPointF(0, 0)
        self._target: BandItem | None = None
        self._guides: tuple[list[float], list[float]] = ([], [])
        self._edges_x: EdgeSnapper | None = None
        self._edges_y: EdgeSnapper | None = None
        moving = {item.ref for item in self.items}
        bounds = [i.mapRectToScene(i.content_rect()) for i in self.items]
        #: the moving selection's left, right, top and bottom at the start, in scene units
        self._bounds = (
            (
                min(r.left() for r in bounds), max(r.right() for r in bounds),
                min(r.top() for r in bounds), max(r.bottom() for r in bounds),
            )
            if bounds
            else None
        )  # fmt: skip
        if bounds and self.scene.guides_enabled and self.scene.snap_enabled:
            xs: list[float] = []
            ys: list[float] = []
            for ref, item in self.scene.element_items.items():
                if ref not in moving:
                    r = item.mapRectToScene(item.content_rect())
                    xs += [r.left(), r.center().x(), r.right()]
                    ys += [r.top(), r.center().y(), r.bottom()]
            self._edges_x, self._edges_y = EdgeSnapper(xs), EdgeSnapper(ys)

    def _target_band(self, scene_pos: QPointF) -> BandItem | None:
        return self.scene.band_at(scene_pos.y())

    def _snapped_delta(self, scene_pos: QPointF) -> QPointF:
        grid = self.scene.grid if self.scene.snap_enabled else 0.0
        home = self._band_of[self.primary.ref]
        target = self._target_band(scene_pos) or home
        raw = scene_pos - self.press
        dx = snap(raw.x(), grid)
        if target is home:  # the drag distance snaps: off-grid elements keep their offsets
            delta = QPointF(dx, snap(raw.y(), grid))
        else:
            # into another band: the y inside that band snaps, since that is where it lands
            start_scene = home.mapToScene(self._start[self.primary.ref])
            y_in_target = snap(start_scene.y() + raw.y() - target.y(), grid)
            delta = QPointF(dx, target.y() + y_in_target - start_scene.y())
        return self._snap_to_edges(raw, delta)

    def _snap_to_edges(self, raw: QPointF, delta: QPointF) -> QPointF:
        """Prefer another element's edge within the tolerance over the grid, and show its guide."""
        self._guides = ([], [])
        if self._edges_x is None or self._edges_y is None or self._bounds is None:
            return delta
        tolerance = self.scene.snap_tolerance
        left, right, top, bottom = self._bounds
        left, right, top, bottom = left + raw.x(), right + raw.x(), top + raw.y(), bottom + raw.y()
        shift, line = self._edges_x.nearest([left, (left + right) / 2, right], tolerance)
        if line is not None:
            delta.setX(round(raw.x() + shift, 3))
            self._guides[0].append(line)
        shift, line = self._edges_y.nearest([top, (top + bottom) / 2, bottom], tolerance)
        if line is not None:
            delta.setY(round(raw.y() + shift, 3))
            self._guides[1].append(line)
        return delta

    def move(self, scene_pos: QPointF) -> None:
        self._delta = self._snapped_delta(scene_pos)
        self._target = self._target_band(scene_pos)
        for item in self.items:
            item.setPos(self._start[item.ref] + self._delta)
        if self._guides[0] or self._guides[1] or self.scene.guide_items:
            self.scene.show_guides(*self._guides)

    def finish(self, scene_pos: QPointF) -> None:
        self.move(scene_pos)
        self.scene.clear_guides()
        if self._delta.isNull():
            self.cancel()
            if self.click_selects_only:
                self.document.set_selection([self.primary.ref])
            return
        home = self._band_of[self.primary.ref]
        target = self._target if self._target is not None else home
        moves = []
        for item in self.items:
            band = self._band_of[item.ref]
            start = self._start[item.ref]
            if target is home:
                pos = start + self._delta
                moves.append(Move(item.ref, band.ref, pos.x(), pos.y()))
            else:
                pos = band.mapToScene(start) + self._delta - target.pos()
                moves.append(Move(item.ref, target.ref, pos.x(), round(pos.y(), 3)))
        self.document.push(MoveElementsCommand(self.document, moves))

    def cancel(self) -> None:
        self.scene.clear_guides()
        for item in self.items:
            item.setPos(self._start[item.ref])


@dataclass
class ResizeGesture(Gesture):
    """Drag one handle of one element; the moving edges snap to the grid."""

    scene: ReportScene
    document: ReportDocument
    item: ElementItem
    handle: str
    press: QPointF

    def __post_init__(self) -> None:
        self._start = self.item.box
        self._box = self._start

    def _box_at(self, scene_pos: QPointF) -> Box:
        grid = self.scene.grid if self.scene.snap_enabled else 0.0
        left_moves, top_moves, right_moves, bottom_moves = HANDLES[self.handle]
        d = scene_pos - self.press
        s = self._start
        left, top, right, bottom = s.x, s.y, s.x + s.width, s.y + s.height
        line = self.item.element.type == "line"
        least = 0.0 if line else MIN_SIZE
        if left_moves:
            left = min(snap(left + d.x(), grid), right - least)
        if right_moves:
            right = max(snap(right + d.x(), grid), left + least)
        if top_moves:
            top = min(snap(top + d.y(), grid), bottom - least)
        if bottom_moves:
            bottom = max(snap(bottom + d.y(), grid), top + least)
        return Box(left, top, right - left, bottom - top)

    def move(self, scene_pos: QPointF) -> None:
        self._box = self._box_at(scene_pos)
        self.item.set_box(self._box)

    def finish(self, scene_pos: QPointF) -> None:
        self.move(scene_pos)
        if self._box == self._start:
            return
        self.document.push(ResizeElementCommand(self.document, self.item.ref, self._box))

    def cancel(self) -> None:
        self.item.set_box(self._start)


@dataclass
class BandHeightGesture(Gesture):
    """Drag a band's lower edge; the height snaps to the grid; bands below follow live."""

    scene: ReportScene
    document: ReportDocument
    band: BandItem
    press: QPointF

    def __post_init__(self) -> None:
        self._start = self.band.height
        self._height = self._start

    def move(self, scene_pos: QPointF) -> None:
        grid = self.scene.grid if self.scene.snap_enabled else 0.0
        self._height = max(0.0, snap(self._start + scene_pos.y() - self.press.y(), grid))
        self.scene.preview_band_height(self.band.ref, self._height)

    def finish(self, scene_pos: QPointF) -> None:
        self.move(scene_pos)
        if self._height == self._start:
            self.cancel()
            return
        self.document.push(SetBandHeightCommand(self.document, self.band.ref, self._height))

    def cancel(self) -> None:
        self.scene.end_preview()
