"""Keyboard and accessibility: every menu action has text and a keyboard route, panes have names."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QGraphicsView, QMenu, QWidget

DOCKS = ("toolboxDock", "fieldsDock", "outlineDock", "propertiesDock", "undoHistoryDock")


@pytest.fixture
def window(make_window):
    return make_window()


def walk(menu: QMenu, path: list[str]):
    """(action, menu titles on the way) of every action under a menu, filling dynamic menus."""
    menu.aboutToShow.emit()
    for action in menu.actions():
        if action.isSeparator():
            continue
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield action, path
            yield from walk(sub, [*path, sub.title()])
        else:
            yield action, path


def test_every_menu_action_has_text_and_a_keyboard_route(window):
    bar = window.menuBar()
    seen = 0
    for top in bar.actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        assert "&" in menu.title(), menu.title()
        for action, path in walk(menu, [menu.title()]):
            assert isinstance(action, QAction)
            text = action.text()
            assert text.strip(), path
            assert all("&" in title for title in path), path
            assert "&" in text or not action.shortcut().isEmpty(), (path, text)
            seen += 1
    assert seen > 40


def test_mnemonics_do_not_clash_within_a_menu(window):
    for top in window.menuBar().actions():
        menu = top.menu()
        keys = [
            a.text().split("&", 1)[1][0].lower()
            for a in menu.actions()
            if not a.isSeparator() and "&" in a.text()
        ]
        assert len(keys) == len(set(keys)), (menu.title(), keys)


def test_common_actions_have_shortcuts(window):
    for action in (
        window.new_action, window.open_action, window.save_action, window.undo_action,
        window.redo_action, window.fit_width_action, window.report_actions.page_setup_action,
    ):  # fmt: skip
        assert not action.shortcut().isEmpty(), action.text()


def test_object_and_accessible_names(window):
    view = window.findChild(QGraphicsView, "canvasView")
    assert view is window.view and view.accessibleName()
    for name in DOCKS:
        dock = window.findChild(QDockWidget, name)
        assert isinstance(dock, QDockWidget), name
        assert dock.accessibleName() and dock.widget().accessibleName(), name
    for ruler in window.view.rulers:
        assert ruler.accessibleName()


@pytest.mark.parametrize("name", ["page_setup", "bands", "groups", "variables", "parameters"])
def test_dialog_widgets_have_accessible_names(window, name):
    dialog = getattr(window.report_actions, name)()
    assert dialog.accessibleName() and dialog.objectName()
    inputs = [
        w
        for w in dialog.findChildren(QWidget)
        if w.metaObject().className()
        in {"QLineEdit", "QComboBox", "QCheckBox", "QSpinBox", "QDoubleSpinBox", "QListWidget",
            "QPushButton"}
        and w.parent() is not None
        and w.parent().metaObject().className() != "QDialogButtonBox"
        and not w.objectName().startswith("qt_")
    ]  # fmt: skip
    assert inputs
    for widget in inputs:
        assert widget.accessibleName(), (name, widget.objectName(), widget.metaObject().className())
    dialog.reject()
