"""The properties pane: descriptors from the model, editors by kind, edits as undoable commands."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from designer.inspector import InspectorPanel, descriptors_for
from designer.inspector.editors import EDITORS

from .helpers import band_ref, element_ref


@pytest.fixture
def panel(document, qtbot):
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def kinds(model):
    return {d.path: d.kind for d in descriptors_for(model)}


def test_descriptors_follow_the_model_fields(invoices_report):
    label = invoices_report.bands[0].elements[0]
    assert kinds(label)["text"] == "text"
    assert kinds(label)["color"] == "colour"
    assert kinds(label)["print_when"] == "expression"
    assert kinds(label)["bold"] == "bool"
    align = next(d for d in descriptors_for(label) if d.path == "align")
    assert align.choices == ("left", "center", "right", "justify") and align.optional
    line = invoices_report.bands[0].elements[2]
    assert kinds(line)["stroke.width"] == "length" and kinds(line)["size"] == "number"
    assert kinds(label)["font"] == "font" and kinds(label)["style"] == "style"
    report_kinds = kinds(invoices_report)
    assert report_kinds["page.size"] == "enum" and report_kinds["page.margins.top"] == "length"
    assert "bands" not in report_kinds and "type" not in kinds(label)
    assert set(EDITORS) >= {"text", "number", "int", "bool", "enum", "colour", "expression"}
    assert set(EDITORS) >= {"length", "font", "style"}


def test_typing_text_commits_one_merged_undo_step(panel, document, qtbot):
    ref = element_ref(document, "title", 0)
    document.set_selection([ref])
    editor = panel.editor("text")
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "Sales")
    assert document.element(ref).text == "Sales"
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.element(ref).text == "Invoices by Country"
    assert editor.line.text() == "Invoices by Country"  # undo updates the editor


def test_invalid_value_is_refused_and_shown(panel, document, qtbot):
    ref = element_ref(document, "title", 0)
    document.set_selection([ref])
    editor = panel.editor("name")
    qtbot.keyClicks(editor.line, "9lives")
    assert document.element(ref).name is None
    assert document.undo_stack.count() == 0
    assert editor.property("invalid")
    assert not panel.message.isHidden()


def test_number_bool_enum_and_colour_editors_commit(panel, document, qtbot):
    ref = element_ref(document, "detail", 2)
    document.set_selection([ref])
    size = panel.editor("size")
    qtbot.keyClicks(size.line, "12")
    assert document.element(ref).size == 12
    panel.editor("bold").box.setCheckState(Qt.CheckState.Checked)
    assert document.element(ref).bold is True
    combo = panel.editor("align").combo
    combo.setCurrentIndex(combo.findData("center"))
    assert document.element(ref).align == "center"
    colour = panel.editor("color")
    qtbot.keyClicks(colour.line, "#b91c1c")
    assert document.element(ref).color == "#b91c1c"
    assert document.undo_stack.count() == 4


def test_band_and_report_targets(panel, document, qtbot):
    detail = band_ref(document, "detail")
    document.set_selection([detail])
    assert panel.title.text() == "Band: Detail"
    height = panel.editor("height")
    height.line.selectAll()
    qtbot.keyClicks(height.line, "30")
    assert document.band(detail).height == 30
    document.set_selection([])
    assert panel.title.text().startswith("Report")
    panel.editor("page.margins.left").line.setText("")
    qtbot.keyClicks(panel.editor("page.margins.left").line, "50")
    assert document.report.page.margins.left == 50


def test_changes_from_elsewhere_update_the_editors(panel, document):
    from designer.commands import nudge

    ref = element_ref(document, "detail", 0)
    document.set_selection([ref])
    document.push(nudge(document, [ref], 5, 0))
    assert panel.editor("x").line.text() == "5"


def test_several_selected_elements_show_the_report(panel, document):
    document.set_selection(document.element_refs(band_ref(document, "detail"))[:2])
    assert "2 elements selected" in panel.title.text()
