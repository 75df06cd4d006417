"""The diagnostics dock: problems found after edits, reported problems, and clicks that select the element."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from designer.commands import SetPropertyCommand
from designer.diagnostics import DiagnosticsPanel
from engine.errors import ParameterError, RenderError, ReportValidationError, error, warning

from .helpers import element_ref


def _click_entry(qtbot, panel, row):
    tree = panel.tree
    item = tree.topLevelItem(row)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_broken_expression_is_listed_and_a_click_selects_its_element(qtbot, make_window):
    window = make_window()
    panel = window.diagnostics
    panel.revalidate()
    assert panel.entries == []
    assert panel.summary.text() == "No problems found"
    document = window.document
    ref = element_ref(document, "title", 1)
    document.push(SetPropertyCommand(document, ref, "expression", "vars.no_such_total + 1"))
    qtbot.waitUntil(lambda: len(panel.entries) == 1, timeout=3000)
    entry = panel.entries[0]
    b = [band.type for band in document.report.bands].index("title")
    assert entry.source == "expression"
    assert entry.diagnostic.path == f"bands[{b}].elements[1].expression"
    assert "no_such_total" in entry.diagnostic.message
    assert panel.tree.topLevelItem(0).text(1) == "expression"
    assert panel.summary.text() == "1 error(s), 0 warning(s)"

    document.set_selection([])
    window.diagnostics_dock.show()
    _click_entry(qtbot, panel, 0)
    assert document.selection == [ref]
    assert window.inspector.target == ref
    editor = window.inspector.editor("expression")
    focused = QApplication.focusWidget()
    assert focused is editor or editor.isAncestorOf(focused)

    document.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.entries == [], timeout=3000)


def test_reported_errors_show_with_their_source_and_clear(qtbot, document):
    panel = DiagnosticsPanel(document)
    qtbot.addWidget(panel)
    invalid = ReportValidationError(
        [error("expression", "unknown function 'sume'", "bands[3].elements[0].expression", "field")]
    )
    panel.show_errors("render", invalid)
    panel.show_errors("data", [warning("slow", "the query took 12 s")])
    assert [(e.source, e.diagnostic.is_error) for e in panel.entries] == [
        ("data", False),
        ("render", True),
    ]
    assert panel.tree.topLevelItem(1).text(2) == "bands[3].elements[0].expression"
    panel.show_errors("render", RenderError("typst: unknown font"))
    assert panel.messages()[-1] == "typst: unknown font"
    panel.show_errors("render", ParameterError("bad", problems=["parameter 'start': no date"]))
    assert panel.messages()[-1] == "parameter 'start': no date"
    panel.show_errors("render", None)
    panel.show_errors("data", [])
    assert panel.entries == []


def test_a_file_that_fails_to_open_lists_its_errors_without_paths(qtbot, make_window, tmp_path):
    bad = tmp_path / "bad.ashr"
    bad.write_text('{"format": "ashr", "version": 1, "name": "x", "theme": "neon"}')
    window = make_window()
    window.show_error = lambda title, lines: None
    assert not window.open_file(bad, confirmed=True)
    entries = window.diagnostics.entries
    assert entries and entries[0].source == "load"
    assert entries[0].diagnostic.path == ""
    assert entries[0].diagnostic.message.startswith("bad.ashr: theme:")


def test_view_menu_lists_the_diagnostics_dock(make_window):
    window = make_window()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.diagnostics_dock.toggleViewAction() in view_menu.actions()
