"""Inspector upgrades: expressions checked as you type with completion, the format editor, multi-selection."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from designer.commands import SetPropertyCommand
from designer.inspector import InspectorPanel
from engine.data import FieldInfo

from .helpers import band_ref, element_ref


@pytest.fixture
def panel(document, qtbot):
    document.set_fields([FieldInfo("Total", "decimal"), FieldInfo("Customer", "string")])
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_expression_is_checked_as_you_type(panel, document, qtbot):
    ref = element_ref(document, "title", 1)
    document.set_selection([ref])
    editor = panel.editor("expression")
    before = document.element(ref).expression
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "Totl * 2")
    assert editor.property("invalid")
    assert "Totl" in editor.toolTip()
    assert "border" in editor.styleSheet()
    assert document.element(ref).expression == before  # nothing committed
    qtbot.keyClick(editor.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.line, "params.start")
    assert not editor.property("invalid") and editor.toolTip() == ""
    assert document.element(ref).expression == "params.start"
    editor.line.selectAll()
    qtbot.keyClicks(editor.line, "upper(Customer) + (")
    assert editor.property("invalid") and editor.toolTip()
    # every valid prefix was committed (one merged step), the unfinished text is not
    assert document.element(ref).expression == "upper(Customer) "


def test_completer_lists_fields_params_vars_and_functions(panel, document):
    document.set_selection([element_ref(document, "title", 1)])
    editor = panel.editor("expression")
    assert "Total" in editor.completions("Tot")
    assert editor.completions("params.") == ["params.start"]
    assert "vars.country_total" in editor.completions("vars.c")
    assert "format" in editor.completions("form")
    editor.line.setText("1 + Cust")
    editor.line.setCursorPosition(8)
    editor.insert_completion("Customer")
    assert editor.line.text() == "1 + Customer"


def test_format_editor_shows_a_live_sample_in_the_report_locale(panel, document, qtbot):
    ref = element_ref(document, "detail", 1)  # InvoiceId, no format
    document.set_selection([ref])
    editor = panel.editor("format")
    assert editor.kind.currentData() is None
    editor.kind.setCurrentIndex(editor.kind.findData("number"))
    qtbot.keyClicks(editor.pattern, "#,##0.00")
    assert editor.sample.text() == "1,234.50"
    fmt = document.element(ref).format
    assert (fmt.kind, fmt.pattern) == ("number", "#,##0.00")
    document.push(SetPropertyCommand(document, None, "locale", "de_DE"))
    document.set_selection([ref])
    editor = panel.editor("format")
    assert editor.sample.text() == "1.234,50"
    editor.kind.setCurrentIndex(editor.kind.findData("currency"))
    editor.pattern.clear()
    qtbot.keyClicks(editor.currency, "EUR")
    assert document.element(ref).format.currency == "EUR"
    assert "€" in editor.sample.text()


def test_multi_selection_edits_shared_properties_in_one_step(panel, document, qtbot):
    refs = document.element_refs(band_ref(document, "detail"))[:3]
    document.set_selection(refs)
    assert "3 elements selected" in panel.title.text()
    assert "name" not in panel.editors and "field" in panel.editors
    assert panel.editor("y").line.text() == "1"  # all equal
    assert panel.editor("x").line.text() == ""  # they differ
    panel.editor("bold").box.setCheckState(Qt.CheckState.Checked)
    assert all(document.element(r).bold is True for r in refs)
    width = panel.editor("width")
    qtbot.keyClicks(width.line, "50")
    assert {document.element(r).width for r in refs} == {50}
    assert panel.editor("width").line.text() == "50"
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.element(refs[0]).bold is None
    assert panel.editor("x").line.text() == ""


def test_mixed_kinds_share_only_common_properties(panel, document):
    label = element_ref(document, "title", 0)
    line = element_ref(document, "title", 2)
    document.set_selection([label, line])
    assert "text" not in panel.editors
    assert "print_when" in panel.editors
