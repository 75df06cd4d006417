"""File ▸ Close and the menu order; the File, Edit, Arrange and View toolbars and the saved window state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox, QToolBar

from designer.commands import SetPropertyCommand
from designer.mainwindow import MainWindow
from designer.toolbars import PAINTERS, STANDARD, drawn_icon

from .conftest import INVOICES
from .helpers import element_ref

Button = QMessageBox.StandardButton
TOOLBARS = ("fileToolBar", "editToolBar", "arrangeToolBar", "viewToolBar")


@pytest.fixture
def window(make_window):
    return make_window()


def edit(window):
    doc = window.document
    doc.push(SetPropertyCommand(doc, element_ref(doc, "title", 0), "text", "Changed"))


def answer(monkeypatch, button):
    asked = []

    def ask(self):
        asked.append(self.document.report.name)
        return button

    monkeypatch.setattr(MainWindow, "ask_save_changes", ask)
    return asked


def test_file_menu_order_and_close_shortcut(window):
    menu = window.menuBar().actions()[0].menu()
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert texts == [
        "New",
        "New from Template…",
        "Open…",
        "Open Recent",
        "Save",
        "Save As…",
        "Export…",
        "Print…",
        "Close",
        "Quit",
    ]
    assert window.close_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Close)


def test_close_asks_when_modified_and_leaves_a_new_report(window, monkeypatch):
    edit(window)
    asked = answer(monkeypatch, Button.Cancel)
    window.close_action.trigger()
    assert window.document.path is not None and window.document.modified
    assert window.document.report.bands[0].elements[0].text == "Changed"
    answer(monkeypatch, Button.Discard)
    window.close_action.trigger()
    doc = window.document
    assert doc.path is None and doc.report.name == "untitled" and not doc.modified
    assert doc.undo_stack.count() == 0 and window.isVisible()
    assert "untitled (unsaved)" in window.windowTitle()
    assert len(asked) == 1


def test_close_unmodified_does_not_ask_and_save_saves(window, monkeypatch, tmp_path):
    asked = answer(monkeypatch, Button.Cancel)
    assert window.close_document()
    assert asked == [] and window.document.path is None
    assert window.open_file(INVOICES)
    target = tmp_path / "copy.ashr"
    assert window.save_to(target)
    edit(window)
    answer(monkeypatch, Button.Save)
    assert window.close_document()
    assert "Changed" in target.read_text()


def test_toolbars_hold_the_common_actions_with_icons(window):
    expected = {
        "fileToolBar": [window.new_action, window.open_action, window.save_action],
        "editToolBar": [
            window.undo_action, window.redo_action, window.edit_actions.cut_action,
            window.edit_actions.copy_action, window.edit_actions.paste_action,
            window.delete_action,
        ],
        "arrangeToolBar": [
            window.edit_actions.arrange_actions[n]
            for n in ("left", "hcenter", "right", "top", "vcenter", "bottom")
        ],
        "viewToolBar": [window.zoom_out_action, window.zoom_in_action, window.fit_width_action],
    }  # fmt: skip
    for name in TOOLBARS:
        bar = window.findChild(QToolBar, name)
        assert bar is not None and bar.isVisible()
        actions = [a for a in bar.actions() if not a.isSeparator()]
        assert actions == expected[name]
        for action in actions:
            button = bar.widgetForAction(action)
            assert button.isVisible()
            assert not button.icon().isNull() or button.text()
    assert not drawn_icon("cut").pixmap(24, 24).toImage().isNull()
    assert set(PAINTERS) | set(STANDARD) >= {"cut", "copy", "paste", "zoom_in", "fit_width"}


def test_toolbar_buttons_trigger_their_actions(window, qtbot):
    bar = window.findChild(QToolBar, "viewToolBar")
    zoom = window.view.zoom
    qtbot.mouseClick(bar.widgetForAction(window.zoom_in_action), Qt.MouseButton.LeftButton)
    assert window.view.zoom > zoom
    doc = window.document
    doc.set_selection([element_ref(doc, "detail", 0), element_ref(doc, "detail", 1)])
    edit_bar = window.findChild(QToolBar, "editToolBar")
    count = len(doc.element_refs())
    qtbot.mouseClick(edit_bar.widgetForAction(window.delete_action), Qt.MouseButton.LeftButton)
    assert len(doc.element_refs()) == count - 2


def test_toolbars_are_part_of_the_saved_window_state(window, make_window):
    bar = window.findChild(QToolBar, "arrangeToolBar")
    bar.hide()
    state = window.saveState()
    other = make_window(None)
    assert other.findChild(QToolBar, "arrangeToolBar").isVisible()
    assert other.restoreState(state)
    assert not other.findChild(QToolBar, "arrangeToolBar").isVisible()
    texts = [a.text() for a in window.toolbars_menu.actions()]
    assert texts == ["&File", "&Edit", "&Arrange", "&View"]
