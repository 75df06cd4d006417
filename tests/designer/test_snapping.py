"""Snapping to other elements' edges with guide lines while dragging, and the View menu's toggles."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint

from designer.canvas import ReportView
from designer.canvas.snapping import EdgeSnapper

from .helpers import band_ref, element_ref, move, press, release, scene_point, view_point


@pytest.fixture
def view(document, qtbot):
    view = ReportView(document)
    view.resize(900, 900)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.report_scene.grid = 5.0
    return view


def test_edge_snapper_finds_the_nearest_line_within_tolerance():
    snapper = EdgeSnapper([0, 100, 413])
    assert snapper.nearest([411, 50], 4) == (2, 413)
    assert snapper.nearest([96.5, 103], 4) == (-3, 100)
    assert snapper.nearest([50], 4) == (0, None)


def test_drag_snaps_to_a_neighbours_edge_and_shows_a_guide(view, document):
    scene = view.report_scene
    ref = element_ref(document, "detail", 2)  # Customer x=160 w=240; Total starts at 413
    start = view_point(view, scene_point(view, band_ref(document, "detail"), 200, 7))
    press(view, start)
    move(view, start + QPoint(5, 0))
    move(view, start + QPoint(11, 0))  # right edge at 411: 2 pt from Total's left edge
    vertical = [g.line() for g in scene.guide_items if g.line().dx() == 0]
    assert [line.x1() for line in vertical] == [413]
    assert all(g.scene() is scene for g in scene.guide_items)
    release(view, start + QPoint(11, 0))
    assert document.element(ref).x == 173  # the grid alone would give 170
    assert scene.guide_items == []
    assert not [i for i in scene.items() if type(i).__name__ == "QGraphicsLineItem"]
    assert document.undo_stack.count() == 1


def test_far_from_any_edge_the_grid_wins(view, document):
    ref = element_ref(document, "detail", 2)
    start = view_point(view, scene_point(view, band_ref(document, "detail"), 200, 7))
    press(view, start)
    move(view, start + QPoint(-22, 0))  # left 138: 2 from 140 (Invoice's right edge)
    release(view, start + QPoint(-22, 0))
    assert document.element(ref).x == 140
    document.undo_stack.undo()
    view.set_guides_enabled(False)
    press(view, start)
    move(view, start + QPoint(-22, 0))
    assert view.report_scene.guide_items == []
    release(view, start + QPoint(-22, 0))
    assert document.element(ref).x == 140 - 0  # snap(138, 5) is 140 as well
    document.undo_stack.undo()
    view.set_snap_enabled(False)
    press(view, start)
    move(view, start + QPoint(-22, 0))
    release(view, start + QPoint(-22, 0))
    assert document.element(ref).x == 138


def test_tolerance_is_four_pixels_at_any_zoom(view):
    assert view.report_scene.snap_tolerance == 4
    view.set_zoom(2.0)
    assert view.report_scene.snap_tolerance == 2


def test_view_menu_toggles_grid_snap_and_guides(make_window):
    window = make_window()
    scene = window.view.report_scene
    band = next(iter(scene.band_items.values()))
    assert band._grid > 0
    window.grid_action.trigger()
    assert band._grid == 0
    window.snap_action.trigger()
    assert not scene.snap_enabled
    window.guides_action.trigger()
    assert not scene.guides_enabled
    window.grid_action.trigger()
    assert band._grid > 0
