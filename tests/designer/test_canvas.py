"""The canvas with real mouse and key events: move, resize, band height, rubber band, zoom, toolbox drops."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QWheelEvent

from designer.canvas import ReportView
from designer.canvas.snapping import snap
from designer.palette import ELEMENT_MIME
from designer.toolbox import element_mime

from .helpers import band_ref, click, drag, element_ref, scene_point, view_point


@pytest.fixture
def view(document, qtbot):
    view = ReportView(document)
    view.resize(900, 900)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.report_scene.grid = 5.0
    view.report_scene.guides_enabled = False  # these tests check the grid alone
    return view


def test_every_band_and_element_has_an_item(view, document):
    scene = view.report_scene
    assert set(scene.band_items) == set(document.band_refs())
    assert set(scene.element_items) == set(document.element_refs())
    captions = [b.caption for b in scene.ordered_band_items()]
    assert captions[:4] == ["Title", "Column header", "Group header: country", "Detail"]


def test_drag_moves_element_by_snapped_distance_in_one_undo_step(view, document):
    ref = element_ref(document, "detail", 2)  # Customer at x=160, y=1
    before = document.element(ref)
    start = view_point(view, scene_point(view, band_ref(document, "detail"), 200, 7))
    drag(view, start, start + QPoint(23, 0))
    after = document.element(ref)
    assert (after.x, after.y) == (snap(160 + 23, 5), before.y)
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.element(ref) == before


def test_drag_snaps_and_moves_several_selected_elements_together(view, document):
    detail = band_ref(document, "detail")
    a, b = element_ref(document, "detail", 0), element_ref(document, "detail", 2)
    document.set_selection([a, b])
    start = view_point(view, scene_point(view, detail, 200, 7))
    drag(view, start, start + QPoint(-12, 0))
    assert document.element(b).x == 150
    assert document.element(a).x == -10  # same offset as the pressed element
    assert document.undo_stack.count() == 1


def test_drag_into_another_band_lands_under_the_cursor(view, document):
    ref = element_ref(document, "detail", 2)
    summary = band_ref(document, "summary")
    start = view_point(view, scene_point(view, band_ref(document, "detail"), 200, 7))
    end = view_point(view, scene_point(view, summary, 40, 36))
    drag(view, start, end)
    assert document.band_ref_of(ref) == summary
    element = document.element(ref)
    assert 0 <= element.y <= 40 and element.y % 5 == 0
    document.undo_stack.undo()
    assert document.band_ref_of(ref) == band_ref(document, "detail")


def test_resize_with_the_bottom_right_handle(view, document):
    ref = element_ref(document, "title", 0)  # label 523 x 26
    document.set_selection([ref])
    item = view.report_scene.element_items[ref]
    corner = view_point(view, item.mapToScene(item.handle_rects()["bottom_right"].center()))
    drag(view, corner, corner + QPoint(-50, 12))
    element = document.element(ref)
    assert (element.x, element.y, element.width, element.height) == (
        0,
        0,
        snap(473, 5),
        snap(38, 5),
    )
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.element(ref).width == 523


def test_resize_with_the_left_edge_handle_keeps_the_right_edge(view, document):
    ref = element_ref(document, "detail", 2)  # x=160, w=240
    document.set_selection([ref])
    item = view.report_scene.element_items[ref]
    left = view_point(view, item.mapToScene(item.handle_rects()["left"].center()))
    drag(view, left, left + QPoint(21, 0))
    element = document.element(ref)
    assert (element.x, element.width) == (180, 220)


def test_band_lower_edge_drag_changes_height_in_one_step(view, document):
    detail = band_ref(document, "detail")
    edge = view_point(view, scene_point(view, detail, 300, 15))
    drag(view, edge, edge + QPoint(0, 18))
    assert document.band(detail).height == snap(33, 5)
    assert document.undo_stack.count() == 1
    band_below = view.report_scene.ordered_band_items()[4]
    assert band_below.y() > view.report_scene.band_items[detail].y() + 35
    document.undo_stack.undo()
    assert document.band(detail).height == 15


def test_rubber_band_then_arrow_keys_move_selection(view, document, qtbot):
    header = band_ref(document, "column_header")
    refs = document.element_refs(header)
    top_left = view_point(view, scene_point(view, header, -8, 2))
    bottom_right = view_point(view, scene_point(view, header, 150, 12))
    drag(view, top_left, bottom_right)
    selected = set(document.selection)
    assert {refs[0], refs[1]} <= selected and refs[3] not in selected
    before = {r: document.element(r) for r in selected}
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    for ref in selected:
        assert document.element(ref).x == before[ref].x + 1
        assert document.element(ref).y == before[ref].y + 10
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert all(document.element(r) == before[r] for r in selected)


def test_shift_click_adds_and_plain_click_replaces(view, document):
    detail = band_ref(document, "detail")
    first, third = element_ref(document, "detail", 0), element_ref(document, "detail", 2)
    click(view, view_point(view, scene_point(view, detail, 20, 7)))
    assert document.selection == [first]
    click(
        view, view_point(view, scene_point(view, detail, 200, 7)), Qt.KeyboardModifier.ShiftModifier
    )
    assert document.selection == [first, third]
    click(view, view_point(view, scene_point(view, detail, 200, 7)))
    assert document.selection == [third]
    assert document.undo_stack.count() == 0


def test_click_on_empty_band_selects_the_band(view, document):
    summary = band_ref(document, "summary")
    click(view, view_point(view, scene_point(view, summary, 40, 40)))
    assert document.selection == [summary]


def test_ctrl_wheel_zooms_within_limits(view):
    center = QPointF(view.viewport().rect().center())
    for _ in range(20):
        event = QWheelEvent(
            center, view.viewport().mapToGlobal(center), QPoint(0, 0), QPoint(0, 120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        view.wheelEvent(event)
    assert view.zoom == 4.0
    view.set_zoom(0.01)
    assert view.zoom == 0.25


def test_drag_works_when_zoomed(view, document):
    view.set_zoom(2.0)
    ref = element_ref(document, "detail", 2)
    start = view_point(view, scene_point(view, band_ref(document, "detail"), 200, 7))
    drag(view, start, start + QPoint(40, 0))  # 40 px at 200 % = 20 pt
    assert document.element(ref).x == 180


def test_toolbox_drop_creates_element_in_band_under_cursor(view, document):
    """pytest-qt cannot run an OS drag: the view gets the QDragEnterEvent and QDropEvent the drag would send."""
    summary = band_ref(document, "summary")
    count = len(document.report.bands[document.state.locate(summary)[0]].elements)
    pos = QPointF(view_point(view, scene_point(view, summary, 22, 31)))
    mime = element_mime("label")
    enter = QDragEnterEvent(
        pos.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dropEvent(drop)
    refs = document.element_refs(summary)
    assert len(refs) == count + 1
    new = document.element(refs[-1])
    assert (new.type, new.x, new.y) == ("label", 20, 30)
    assert document.selection == [refs[-1]]
    assert refs[-1] in view.report_scene.element_items
    document.undo_stack.undo()
    assert len(document.element_refs(summary)) == count


def test_drop_of_foreign_data_is_ignored(view, document):
    mime = QMimeData()
    mime.setText("label")
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dropEvent(drop)
    assert document.undo_stack.count() == 0
    assert not mime.hasFormat(ELEMENT_MIME)


def test_undo_of_remove_brings_items_back(view, document):
    from designer.commands import RemoveBandCommand

    header = band_ref(document, "group_header")
    refs = document.element_refs(header)
    document.push(RemoveBandCommand(document, header))
    assert header not in view.report_scene.band_items
    assert not set(refs) & set(view.report_scene.element_items)
    document.undo_stack.undo()
    assert header in view.report_scene.band_items
    assert set(refs) <= set(view.report_scene.element_items)
