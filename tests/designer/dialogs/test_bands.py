"""Bands: the list in print order, Add with a type and group, Remove, Move among bands of one type."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QStandardItemModel

from designer.dialogs import BandsDialog


@pytest.fixture
def window(make_window):
    return make_window()


def open_bands(window) -> BandsDialog:
    window.report_actions.bands_action.trigger()
    dialog = window.report_actions.dialog
    assert isinstance(dialog, BandsDialog) and dialog.isVisible()
    return dialog


def captions(dialog):
    return [dialog.list.item(i).text().split("   ")[0] for i in range(dialog.list.count())]


def choose_type(dialog, band_type):
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(band_type))


def test_lists_the_bands_in_print_order(window):
    dialog = open_bands(window)
    assert captions(dialog) == [
        "Title", "Column header", "Group header: country", "Detail",
        "Group footer: country", "Page footer", "Summary", "No data",
    ]  # fmt: skip


def test_once_only_types_present_are_disabled(window):
    dialog = open_bands(window)
    model = dialog.type_combo.model()
    assert isinstance(model, QStandardItemModel)
    title = dialog.type_combo.findData("title")
    page_header = dialog.type_combo.findData("page_header")
    assert not model.item(title).isEnabled()
    assert model.item(page_header).isEnabled()
    choose_type(dialog, "group_header")  # country already has its header
    assert dialog.group_combo.count() == 0 and not dialog.add_button.isEnabled()


def test_add_and_remove_are_undo_steps(window):
    doc = window.document
    before = doc.report
    dialog = open_bands(window)
    choose_type(dialog, "page_header")
    dialog.add_button.click()
    assert "Page header" in captions(dialog)
    assert dialog.list.currentItem().text().startswith("Page header")
    dialog.remove_button.click()
    assert "Page header" not in captions(dialog)
    assert doc.undo_stack.count() == 2
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert doc.report == before


def test_detail_bands_move_among_themselves(window):
    doc = window.document
    dialog = open_bands(window)
    choose_type(dialog, "detail")
    second = dialog.add_band()
    first = next(r for r in doc.band_refs() if doc.band(r).type == "detail" and r != second)
    assert dialog.current_ref() == second
    assert dialog.up_button.isEnabled() and not dialog.down_button.isEnabled()
    dialog.up_button.click()
    details = [r for r in doc.band_refs() if doc.band(r).type == "detail"]
    assert details == [second, first]
    assert dialog.current_ref() == second and not dialog.up_button.isEnabled()
    window.undo_action.trigger()
    assert [r for r in doc.band_refs() if doc.band(r).type == "detail"] == [first, second]


def test_a_band_of_another_type_does_not_move(window):
    dialog = open_bands(window)
    dialog.list.setCurrentRow(0)
    assert not dialog.up_button.isEnabled() and not dialog.down_button.isEnabled()
    assert not dialog.move(1)
