"""The Arrange menu: align, same size, distribute, stacking order; computed coordinates, one undo step each."""

from __future__ import annotations

import pytest

from designer.arrange import arrange
from designer.geometry import Box, element_box

from .helpers import band_ref

BOXES = {"a": Box(10, 5, 40, 10), "b": Box(70, 20, 20, 30), "c": Box(30, 0, 60, 15)}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("left", {"a": Box(10, 5, 40, 10), "b": Box(10, 20, 20, 30), "c": Box(10, 0, 60, 15)}),
        ("right", {"a": Box(50, 5, 40, 10), "b": Box(70, 20, 20, 30), "c": Box(30, 0, 60, 15)}),
        ("top", {"a": Box(10, 0, 40, 10), "b": Box(70, 0, 20, 30), "c": Box(30, 0, 60, 15)}),
        ("bottom", {"a": Box(10, 40, 40, 10), "b": Box(70, 20, 20, 30), "c": Box(30, 35, 60, 15)}),
        ("hcenter", {"a": Box(30, 5, 40, 10), "b": Box(40, 20, 20, 30), "c": Box(20, 0, 60, 15)}),
        ("vcenter", {"a": Box(10, 20, 40, 10), "b": Box(70, 10, 20, 30), "c": Box(30, 17.5, 60, 15)}),
        ("same_width", {"a": Box(10, 5, 40, 10), "b": Box(70, 20, 40, 30), "c": Box(30, 0, 40, 15)}),
        ("same_height", {"a": Box(10, 5, 40, 10), "b": Box(70, 20, 20, 10), "c": Box(30, 0, 60, 10)}),
        # left to right a(10..50) c(30..90) b(70..90): span 80, widths 120, gap -20
        ("distribute_h", {"a": Box(10, 5, 40, 10), "b": Box(70, 20, 20, 30), "c": Box(30, 0, 60, 15)}),
        # top to bottom c(0..15) a(5..15) b(20..50): span 50, heights 55, gap -2.5
        ("distribute_v", {"a": Box(10, 12.5, 40, 10), "b": Box(70, 20, 20, 30), "c": Box(30, 0, 60, 15)}),
    ],
)  # fmt: skip
def test_arrangements_compute_the_expected_boxes(name, expected):
    changed = arrange(name, BOXES)
    assert {**BOXES, **changed} == expected
    assert all(BOXES[k] != b for k, b in changed.items())


def test_distribute_horizontally_gives_equal_gaps():
    boxes = {1: Box(0, 0, 10, 5), 2: Box(17, 0, 20, 5), 3: Box(90, 0, 10, 5)}
    result = {**boxes, **arrange("distribute_h", boxes)}
    assert result[2].x == 40  # gaps (100 - 40) / 2 = 30
    assert arrange("left", {1: Box(0, 0, 1, 1)}) == {}


def detail_refs(doc):
    return doc.element_refs(band_ref(doc, "detail"))


def test_align_left_action_on_the_selection_is_one_step(make_window):
    window = make_window()
    doc = window.document
    refs = detail_refs(doc)[:3]  # x 0, 85, 160
    doc.set_selection(refs)
    window.edit_actions.arrange_actions["left"].trigger()
    assert [doc.element(r).x for r in refs] == [0, 0, 0]
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Align Left Edges"
    window.undo_action.trigger()
    assert [doc.element(r).x for r in refs] == [0, 85, 160]


def test_align_right_same_width_and_distribute_actions(make_window):
    window = make_window()
    doc = window.document
    refs = detail_refs(doc)[:3]
    boxes = [element_box(doc.element(r)) for r in refs]
    doc.set_selection(refs)
    window.edit_actions.arrange_actions["right"].trigger()
    right = max(b.x + b.width for b in boxes)
    assert [doc.element(r).x + doc.element(r).width for r in refs] == [right] * 3
    window.edit_actions.arrange_actions["same_width"].trigger()
    assert {doc.element(r).width for r in refs} == {boxes[0].width}
    window.undo_action.trigger()
    window.undo_action.trigger()
    window.edit_actions.arrange_actions["distribute_h"].trigger()
    xs = sorted((doc.element(r).x, doc.element(r).width) for r in refs)
    gaps = [round(xs[i + 1][0] - xs[i][0] - xs[i][1], 3) for i in range(2)]
    assert gaps[0] == gaps[1]
    assert doc.undo_stack.count() == 1


def test_bring_to_front_and_send_to_back_change_the_order_in_the_band(make_window):
    window = make_window()
    doc = window.document
    refs = list(detail_refs(doc))
    doc.set_selection([refs[0]])
    window.edit_actions.front_action.trigger()
    assert detail_refs(doc) == (*refs[1:], refs[0])
    items = window.view.report_scene.element_items
    assert items[refs[0]].zValue() > items[refs[-1]].zValue()
    doc.set_selection([refs[2], refs[3]])
    window.edit_actions.back_action.trigger()
    assert detail_refs(doc)[:2] == (refs[2], refs[3])
    assert doc.undo_stack.count() == 2
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert detail_refs(doc) == tuple(refs)
