"""Styles and Theme: the list and form of named styles, renames and removals carrying elements along."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase

from designer.dialogs import StylesDialog
from designer.dialogs.styles import style_users
from designer.widgets import INHERIT
from engine.model import load_report

from ..conftest import INVOICES


@pytest.fixture
def window(make_window):
    window = make_window()
    window.set_unit("mm")
    return window


def open_styles(window):
    window.report_actions.styles_action.trigger()
    dialog = window.report_actions.dialog
    assert isinstance(dialog, StylesDialog) and dialog.isVisible()
    return dialog


def select(dialog, name):
    row = [s.name for s in dialog.items()].index(name)
    dialog.list.setCurrentRow(row)


def test_every_style_key_is_edited_in_one_step(window, qtbot):
    doc = window.document
    dialog = open_styles(window)
    assert dialog.list.count() == len(doc.report.styles)
    select(dialog, "detail")
    assert not dialog.dirty()  # loading a style changes nothing, its padding in mm included
    assert dialog.padding_field.suffix.text() == "mm"
    dialog.font_combo.setCurrentIndex(dialog.font_combo.findText("Liberation Serif"))
    dialog.size_spin.setValue(10)
    dialog.flag_boxes["bold"].setCheckState(Qt.CheckState.Checked)
    dialog.flag_boxes["italic"].setCheckState(Qt.CheckState.Unchecked)
    dialog.flag_boxes["underline"].setCheckState(Qt.CheckState.PartiallyChecked)
    dialog.colour_field.line.clear()
    qtbot.keyClicks(dialog.colour_field.line, "#b91c1c")
    qtbot.keyClicks(dialog.background_field.line, "#fef3c7")
    dialog.align_combo.setCurrentIndex(dialog.align_combo.findData("right"))
    dialog.valign_combo.setCurrentIndex(dialog.valign_combo.findData("bottom"))
    dialog.padding_field.line.clear()
    qtbot.keyClicks(dialog.padding_field.line, "2")
    assert dialog.sample.font().bold() and dialog.sample.font().family() == "Liberation Serif"
    dialog.apply_button.click()
    style = doc.report.style("detail")
    assert (style.font, style.size, style.bold, style.italic, style.underline) == (
        "Liberation Serif", 10, True, False, None,
    )  # fmt: skip
    assert (style.color, style.background, style.align, style.valign) == (
        "#b91c1c", "#fef3c7", "right", "bottom",
    )  # fmt: skip
    assert style.padding == round(2 * 72 / 25.4, 3)
    assert doc.undo_stack.count() == 1
    dialog.size_spin.setValue(0)  # the special value: inherit
    dialog.font_combo.setCurrentIndex(0)
    dialog.apply_button.click()
    assert doc.report.style("detail").size is None and doc.report.style("detail").font is None
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert doc.report == load_report(INVOICES)


def test_font_list_is_the_installed_and_bundled_families(window):
    dialog = open_styles(window)
    combo = dialog.font_combo
    families = [combo.itemText(i) for i in range(combo.count())]
    assert families[0] == INHERIT and not combo.isEditable()
    assert {"Liberation Sans", "Liberation Serif", "Liberation Mono"} <= set(families)
    assert set(families[1:]) <= set(QFontDatabase.families())
    combo.set_family("Nonexistent Grotesk")  # kept, marked, not lost
    assert combo.family() == "Nonexistent Grotesk" and "not installed" in combo.toolTip()


def test_renaming_a_style_renames_the_elements_references(window):
    doc = window.document
    count = style_users(doc.report, "total")
    dialog = open_styles(window)
    select(dialog, "total")
    dialog.name_edit.setText("sum_row")
    dialog.accept()
    assert not dialog.isVisible()
    assert style_users(doc.report, "sum_row") == count and style_users(doc.report, "total") == 0
    assert doc.undo_stack.count() == 1
    window.undo_action.trigger()
    assert doc.report == load_report(INVOICES)


def test_a_bad_name_or_colour_is_refused(window):
    doc = window.document
    dialog = open_styles(window)
    select(dialog, "note")
    dialog.name_edit.setText("detail")
    assert not dialog.apply() and "detail" in dialog.error_label.text()
    dialog.name_edit.setText("note")
    dialog.colour_field.line.setText("red")
    assert not dialog.apply() and dialog.error_label.text()
    assert doc.report == load_report(INVOICES) and doc.undo_stack.count() == 0
    dialog.reject()


def test_removing_a_used_style_asks_and_clears_the_references(window, monkeypatch):
    doc = window.document
    asked = []
    monkeypatch.setattr(
        StylesDialog, "ask_clear_references", lambda self, n, c: asked.append((n, c)) or False
    )
    dialog = open_styles(window)
    select(dialog, "note")
    count = style_users(doc.report, "note")
    assert not dialog.remove_item()
    assert asked == [("note", count)] and doc.report.style("note") is not None
    monkeypatch.setattr(StylesDialog, "ask_clear_references", lambda self, n, c: True)
    dialog.remove_button.click()
    assert doc.report.style("note") is None and style_users(doc.report, "note") == 0
    assert doc.undo_stack.count() == 1
    window.undo_action.trigger()
    assert doc.report == load_report(INVOICES)


def test_add_an_unused_style_and_remove_it_without_asking(window, monkeypatch):
    doc = window.document
    monkeypatch.setattr(StylesDialog, "ask_clear_references", lambda *a: pytest.fail("asked"))
    dialog = open_styles(window)
    dialog.add_button.click()
    assert doc.report.styles[-1].name == "style1" and dialog.name_edit.text() == "style1"
    assert dialog.font_combo.currentText() == INHERIT and dialog.size_spin.value() == 0
    dialog.remove_button.click()
    assert doc.report == load_report(INVOICES) and doc.undo_stack.count() == 2


def test_theme_menu_is_an_undoable_property(window):
    doc = window.document
    actions = window.report_actions.theme_actions
    assert list(actions) == ["default", "corporate", "minimal", "vibrant"]
    assert actions["default"].isChecked()
    actions["corporate"].trigger()
    assert doc.report.theme == "corporate" and doc.undo_stack.count() == 1
    assert actions["corporate"].isChecked()
    window.undo_action.trigger()
    assert doc.report.theme == "default" and actions["default"].isChecked()
