"""The main window: docks, menus, title, open and save through engine.model, the unsaved-changes prompt."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDockWidget, QGraphicsView, QMessageBox

from designer.commands import SetPropertyCommand
from designer.mainwindow import MainWindow
from engine.model import load_report

from .conftest import INVOICES
from .helpers import element_ref

Button = QMessageBox.StandardButton


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_file(INVOICES)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def errors(monkeypatch):
    shown = []
    monkeypatch.setattr(
        MainWindow, "show_error", lambda self, title, lines: shown.append((title, lines))
    )
    return shown


def edit(window):
    doc = window.document
    doc.push(SetPropertyCommand(doc, element_ref(doc, "title", 0), "text", "Changed"))


def test_object_names_of_view_and_docks(window):
    assert isinstance(window.findChild(QGraphicsView, "canvasView"), QGraphicsView)
    for name in ("toolboxDock", "propertiesDock", "outlineDock"):
        assert isinstance(window.findChild(QDockWidget, name), QDockWidget)


def test_title_shows_star_when_modified(window):
    assert window.windowTitle().startswith("invoices_by_country.ashr —")
    edit(window)
    assert "invoices_by_country.ashr*" in window.windowTitle()
    window.undo_action.trigger()
    assert "*" not in window.windowTitle()


def test_save_then_open_gives_an_equal_report(window, tmp_path, qtbot):
    edit(window)
    target = tmp_path / "copy.ashr"
    assert window.save_to(target)
    assert not window.document.modified
    assert load_report(target) == window.document.report
    other = MainWindow()
    qtbot.addWidget(other)
    assert other.open_file(target)
    assert other.document.report == window.document.report
    edit(window)
    assert window.save()  # to the same file: the old one is kept as .bak
    assert (tmp_path / "copy.ashr.bak").exists()


def test_broken_file_shows_diagnostics_and_stays_untouched(window, tmp_path, errors):
    broken = tmp_path / "broken.ashr"
    text = INVOICES.read_text().replace('"height": 15', '"height": -15', 1)
    broken.write_text(text)
    before = window.document.report
    assert not window.open_file(broken)
    assert broken.read_text() == text
    assert window.document.report is before
    title, lines = errors[0]
    assert "broken.ashr" in title
    assert any("bands[3].height" in line and str(broken) in line for line in lines)


def test_unsaved_changes_cancel_keeps_window_discard_closes(window, monkeypatch):
    edit(window)
    asked = []

    def answer(button):
        def question(*args, **kwargs):
            asked.append(args[2])
            return button

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(Button.Cancel))
    assert not window.close()
    assert window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", answer(Button.Discard))
    assert window.close()
    assert len(asked) == 2


def test_unsaved_changes_save_writes_the_file(window, monkeypatch, tmp_path):
    target = tmp_path / "saved.ashr"
    window.save_to(target)
    edit(window)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: Button.Save)
    assert window.close()
    assert load_report(target).bands[0].elements[0].text == "Changed"


def test_delete_and_select_all_actions(window):
    doc = window.document
    total = len(doc.element_refs())
    window.select_all_action.trigger()
    assert len(doc.selection) == total
    doc.set_selection([element_ref(doc, "detail", 0)])
    window.delete_action.trigger()
    assert len(doc.element_refs()) == total - 1
    window.undo_action.trigger()
    assert doc.report == load_report(INVOICES)


def test_new_and_add_band(window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: Button.Discard)
    edit(window)
    window.new_report()
    assert window.document.path is None and window.document.report.name == "untitled"
    count = len(window.document.report.bands)
    window.add_band("column_header")
    assert len(window.document.report.bands) == count + 1
    assert window.document.is_band(window.document.selection[0])


def test_outline_follows_selection(window):
    doc = window.document
    ref = element_ref(doc, "detail", 1)
    doc.set_selection([ref])
    assert [i.text(0) for i in window.outline.selectedItems()] == ["field [InvoiceId]"]
    window.outline.clearSelection()
    assert doc.selection == []
