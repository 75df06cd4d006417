"""Page Setup: size, orientation, margins in the user's unit and columns become one undo step."""

from __future__ import annotations

import pytest

from designer.dialogs import PageSetupDialog
from designer.settings import set_unit_preference

from ..helpers import band_ref


@pytest.fixture
def window(make_window):
    set_unit_preference("mm")
    return make_window()


def open_page_setup(window) -> PageSetupDialog:
    window.report_actions.page_setup_action.trigger()
    dialog = window.report_actions.dialog
    assert isinstance(dialog, PageSetupDialog) and dialog.isVisible()
    return dialog


def band_width(window):
    doc = window.document
    return window.view.report_scene.band_items[band_ref(doc, "detail")].width


def test_landscape_widens_the_bands_and_undo_restores(window):
    doc = window.document
    before, width = doc.report.page, band_width(window)
    dialog = open_page_setup(window)
    dialog.orientation_combo.setCurrentIndex(1)
    dialog.accept()
    assert doc.report.page.orientation == "landscape"
    assert doc.report.page.margins == before.margins  # untouched lengths keep their points
    assert band_width(window) == pytest.approx(841.89 - 72)
    assert band_width(window) > width
    assert doc.undo_stack.count() == 1
    window.undo_action.trigger()
    assert doc.report.page == before
    assert band_width(window) == pytest.approx(width)


def test_margins_are_entered_in_the_users_unit_and_stored_in_points(window):
    dialog = open_page_setup(window)
    assert dialog.margin_spins["left"].suffix() == " mm"
    dialog.margin_spins["left"].setValue(25.4)
    dialog.columns_spin.setValue(2)
    dialog.gap_spin.setValue(10)
    dialog.accept()
    page = window.document.report.page
    assert page.margins.left == pytest.approx(72.0)
    assert page.margins.right == 36
    assert (page.columns, page.column_gap) == (2, pytest.approx(28.3465, abs=1e-3))


def test_custom_size_enables_width_and_height(window):
    dialog = open_page_setup(window)
    assert not dialog.width_spin.isEnabled()
    dialog.size_combo.setCurrentIndex(dialog.size_combo.count() - 1)
    assert dialog.width_spin.isEnabled()
    dialog.width_spin.setValue(100)
    dialog.height_spin.setValue(150)
    dialog.accept()
    page = window.document.report.page
    assert page.size == "custom"
    assert page.width == pytest.approx(100 * 72 / 25.4, abs=1e-3)


def test_margins_that_leave_no_room_are_refused(window):
    doc = window.document
    before = doc.report.page
    dialog = open_page_setup(window)
    dialog.margin_spins["left"].setValue(150)
    dialog.margin_spins["right"].setValue(150)
    dialog.accept()
    assert dialog.isVisible()
    assert "no room" in dialog.error_label.text()
    assert doc.report.page == before and doc.undo_stack.count() == 0
    dialog.reject()


def test_unchanged_dialog_pushes_nothing(window):
    dialog = open_page_setup(window)
    dialog.accept()
    assert window.document.undo_stack.count() == 0


def test_tab_walks_the_page_setup_widgets_in_order(window, qtbot):
    dialog = open_page_setup(window)
    dialog.size_combo.setFocus()
    qtbot.waitUntil(lambda: dialog.size_combo.hasFocus())
    seen = [dialog.focusWidget()]
    for _ in range(5):
        dialog.focusNextChild()
        seen.append(dialog.focusWidget())
    # width and height are disabled for a named size, so Tab skips them
    assert seen[:3] == [dialog.size_combo, dialog.orientation_combo, dialog.margin_spins["top"]]
    assert dialog.margin_spins["bottom"] in seen
    dialog.reject()
