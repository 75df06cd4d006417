"""Inspector editors of lengths in the user's unit, font families and named styles."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from designer.commands import SetStylesCommand
from designer.inspector import InspectorPanel
from designer.widgets import INHERIT

from .helpers import band_ref, element_ref


@pytest.fixture
def panel(document, qtbot):
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_lengths_are_typed_in_mm_and_stored_in_points(panel, document, qtbot):
    panel.set_unit("mm")
    ref = element_ref(document, "detail", 0)
    document.set_selection([ref])
    width = panel.editor("width")
    assert width.field.suffix.text() == "mm"
    width.line.selectAll()
    qtbot.keyClicks(width.line, "10")
    assert document.element(ref).width == 28.346
    assert width.line.text() == "10"
    document.undo_stack.undo()
    document.undo_stack.redo()
    assert panel.editor("width").line.text() == "10"
    panel.set_unit("in")
    assert width.line.text() == "0.394" and width.field.suffix.text() == "in"
    panel.set_unit("pt")
    assert width.line.text() == "28.35"
    assert document.undo_stack.count() == 1


def test_length_limits_units_and_margins(panel, document, qtbot):
    panel.set_unit("mm")
    ref = element_ref(document, "detail", 0)
    document.set_selection([ref])
    height = panel.editor("height")
    height.line.selectAll()
    qtbot.keyClicks(height.line, "-3")
    assert height.property("invalid") and document.undo_stack.count() == 0
    height.line.selectAll()
    qtbot.keyClicks(height.line, "12pt")  # a unit written after the number wins
    assert document.element(ref).height == 12
    document.set_selection([])
    margin = panel.editor("page.margins.left")
    assert margin.field.suffix.text() == "mm"
    margin.line.selectAll()
    qtbot.keyClicks(margin.line, "20")
    assert document.report.page.margins.left == round(20 * 72 / 25.4, 3)
    document.set_selection([band_ref(document, "detail")])
    assert panel.editor("height").field.suffix.text() == "mm"


def test_font_size_stays_a_number_in_points(panel, document):
    panel.set_unit("mm")
    document.set_selection([element_ref(document, "detail", 0)])
    assert panel.editor("size").descriptor.kind == "number"
    assert panel.editor("padding").descriptor.kind == "length"


def test_font_family_editor_picks_types_and_inherits(panel, document, qtbot):
    ref = element_ref(document, "detail", 0)
    document.set_selection([ref])
    combo = panel.editor("font").combo
    assert combo.itemText(0) == INHERIT and combo.isEditable()
    assert combo.findText("Liberation Mono") > 0
    combo.setCurrentIndex(combo.findText("Liberation Mono"))
    combo.activated.emit(combo.currentIndex())
    assert document.element(ref).font == "Liberation Mono"
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "Some Print Font")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert document.element(ref).font == "Some Print Font"
    assert "not installed" in combo.toolTip()
    assert document.undo_stack.count() == 1  # edits of one property merge
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    assert document.element(ref).font is None
    assert document.undo_stack.count() == 0  # back where it started: the step is obsolete


def test_style_editor_offers_the_reports_styles(panel, document):
    ref = element_ref(document, "detail", 0)
    document.set_selection([ref])
    editor = panel.editor("style")
    names = [s.name for s in document.report.styles]
    assert editor.names() == ["(none)", *names]
    assert editor.combo.currentData() == document.element(ref).style == "detail"
    editor.combo.setCurrentIndex(editor.combo.findData("total"))
    assert document.element(ref).style == "total"
    editor.combo.setCurrentIndex(0)
    assert document.element(ref).style is None
    editor.combo.setCurrentIndex(editor.combo.findData("total"))
    styles = tuple(
        s.replace(name="sums") if s.name == "total" else s for s in document.report.styles
    )
    document.push(SetStylesCommand(document, styles, "Rename", renames={"total": "sums"}))
    assert "sums" in editor.names() and "total" not in editor.names()
    assert editor.combo.currentText() == "sums" and document.element(ref).style == "sums"
