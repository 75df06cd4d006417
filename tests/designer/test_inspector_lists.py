"""List editors of the inspector: conditional styles and subreport parameters, one undo step per edit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from designer.commands import AddElementCommand, EditPropertyPartCommand
from designer.inspector import InspectorPanel
from designer.palette import new_element
from engine.data import FieldInfo
from engine.model import ConditionalStyle

from .helpers import band_ref, element_ref


@pytest.fixture
def panel(document, qtbot):
    document.set_fields([FieldInfo("Total", "decimal"), FieldInfo("InvoiceId", "integer")])
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    return panel


@pytest.fixture
def field_ref(document):
    ref = element_ref(document, "detail", 2)
    assert document.element(ref).conditional_styles == ()
    document.set_selection([ref])
    return ref


def test_add_a_conditional_style_and_set_its_keys(panel, document, qtbot, field_ref):
    before = document.element(field_ref)
    editor = panel.editor("conditional_styles")
    editor.add_button.click()
    assert document.element(field_ref).conditional_styles == (ConditionalStyle(when="True"),)
    assert document.undo_stack.count() == 1
    editor.when.line.selectAll()
    qtbot.keyClicks(editor.when.line, "Total > 10")
    editor.keys.flags["bold"].setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(editor.keys.color.line, "#b91c1c")
    qtbot.keyClicks(editor.keys.size, "12")
    assert document.element(field_ref).conditional_styles == (
        ConditionalStyle(when="Total > 10", bold=True, color="#b91c1c", size=12),
    )
    assert document.undo_stack.count() == 5  # add, condition, bold, colour, size
    assert editor.list.item(0).text() == "Total > 10 → size, bold, color"
    document.undo_stack.undo()
    assert document.element(field_ref).conditional_styles[0].size is None
    assert editor.keys.size.text() == ""
    for _ in range(4):
        document.undo_stack.undo()
    assert document.element(field_ref) == before


def test_a_wrong_condition_is_shown_and_not_committed(panel, document, qtbot, field_ref):
    editor = panel.editor("conditional_styles")
    editor.add_button.click()
    editor.when.line.selectAll()
    qtbot.keyClicks(editor.when.line, "Totl > 1")
    assert editor.when.property("invalid") and "Totl" in editor.when.toolTip()
    assert document.element(field_ref).conditional_styles[0].when == "True"
    assert document.undo_stack.count() == 1


def test_remove_and_reorder_rows_are_one_step_each(panel, document, qtbot, field_ref):
    styles = (ConditionalStyle(when="Total > 10", bold=True), ConditionalStyle(when="Total < 0"))
    editor = panel.editor("conditional_styles")
    editor.add_button.click()
    editor.add_button.click()
    for row, style in enumerate(styles):
        editor.list.setCurrentRow(row)
        editor.when.line.selectAll()
        qtbot.keyClicks(editor.when.line, style.when)
        if style.bold:
            editor.keys.flags["bold"].setCheckState(Qt.CheckState.Checked)
    assert document.element(field_ref).conditional_styles == styles
    document.undo_stack.clear()

    editor.list.setCurrentRow(1)
    editor.up_button.click()
    assert document.element(field_ref).conditional_styles == styles[::-1]
    assert editor.current_row() == 0 and editor.when.line.text() == "Total < 0"
    editor.remove_button.click()
    assert document.element(field_ref).conditional_styles == styles[:1]
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    assert document.element(field_ref).conditional_styles == styles[::-1]
    document.undo_stack.undo()
    assert document.element(field_ref).conditional_styles == styles
    assert [editor.list.item(i).text() for i in range(2)] == [
        "Total > 10 → bold",
        "Total < 0 → (nothing yet)",
    ]


def test_subreport_parameters_table(panel, document, qtbot):
    command = AddElementCommand(
        document, band_ref(document, "detail"), new_element("subreport", 0, 0)
    )
    document.push(command)
    document.undo_stack.clear()
    document.set_selection([command.ref])
    before = document.element(command.ref)
    editor = panel.editor("parameters")
    editor.add_button.click()
    assert document.element(command.ref).parameters == {"param1": "None"}
    editor.set_cell(0, 0, "invoice_id")
    editor.set_cell(0, 1, "InvoiceId")
    assert document.element(command.ref).parameters == {"invoice_id": "InvoiceId"}
    editor.set_cell(0, 1, "InvoiceIdd")
    assert editor.property("invalid") and "InvoiceIdd" in editor.toolTip()
    editor.set_cell(0, 0, "2nd")
    assert document.element(command.ref).parameters == {"invoice_id": "InvoiceId"}
    editor.set_cell(0, 0, "invoice_id")
    editor.set_cell(0, 1, "InvoiceId")
    assert not editor.property("invalid")
    assert document.undo_stack.count() == 3  # add, rename, expression
    document.undo_stack.undo()
    assert document.element(command.ref).parameters == {"invoice_id": "None"}
    document.undo_stack.redo()
    editor.table.setCurrentCell(0, 0)
    editor.remove_button.click()
    assert document.element(command.ref).parameters == {}
    document.undo_stack.undo()
    assert editor.rows() == [("invoice_id", "InvoiceId")]
    for _ in range(3):
        document.undo_stack.undo()
    assert document.element(command.ref) == before


def test_edit_part_command_merges_only_one_part(document):
    ref = element_ref(document, "detail", 0)
    before = document.report
    first = ConditionalStyle(when="Total > 1")
    document.push(EditPropertyPartCommand(document, ref, "conditional_styles", (first,), None))
    typed = (first.replace(when="Total > 10"),)
    document.push(EditPropertyPartCommand(document, ref, "conditional_styles", typed, "0.when"))
    typed = (first.replace(when="Total > 100"),)
    document.push(EditPropertyPartCommand(document, ref, "conditional_styles", typed, "0.when"))
    document.push(EditPropertyPartCommand(document, ref, "conditional_styles", (), None))
    assert document.undo_stack.count() == 3
    document.undo_stack.undo()
    assert document.element(ref).conditional_styles == typed
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.report == before
