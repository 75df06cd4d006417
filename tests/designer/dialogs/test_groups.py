"""Groups: edit, rename (bands follow), add with header and footer, refused removal, reorder."""

from __future__ import annotations

import pytest

from designer.dialogs import GroupsDialog


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def messages(monkeypatch):
    shown = []
    monkeypatch.setattr(GroupsDialog, "show_message", lambda self, text: shown.append(text))
    return shown


def open_groups(window, monkeypatch, add_bands=True) -> GroupsDialog:
    monkeypatch.setattr(GroupsDialog, "ask_add_bands", lambda self, name: add_bands)
    window.report_actions.groups_action.trigger()
    dialog = window.report_actions.dialog
    assert isinstance(dialog, GroupsDialog) and dialog.isVisible()
    return dialog


def test_edit_and_rename_a_group_in_one_undo_step(window, monkeypatch):
    doc = window.document
    before = doc.report
    dialog = open_groups(window, monkeypatch)
    assert dialog.name_edit.text() == "country"
    dialog.name_edit.setText("nation")
    dialog.flag_boxes["start_new_page"].setChecked(True)
    dialog.accept()
    assert not dialog.isVisible()
    group = doc.report.groups[0]
    assert (group.name, group.start_new_page) == ("nation", True)
    assert {b.group for b in doc.report.bands if b.type.startswith("group_")} == {"nation"}
    assert doc.undo_stack.count() == 1
    window.undo_action.trigger()
    assert doc.report == before


def test_a_bad_expression_shows_the_message_and_is_not_committed(window, monkeypatch):
    doc = window.document
    dialog = open_groups(window, monkeypatch)
    dialog.expression_edit.setText("BillingCountry +")
    assert "border" in dialog.expression_edit.styleSheet()
    assert not dialog.apply()
    assert "group country" in dialog.error_label.text()
    assert doc.report.groups[0].expression == "BillingCountry"
    dialog.accept()
    assert dialog.isVisible()  # OK stays open while the form is invalid
    dialog.reject()


def test_a_bad_name_shows_the_engines_message(window, monkeypatch):
    dialog = open_groups(window, monkeypatch)
    dialog.name_edit.setText("2 words")
    assert not dialog.apply()
    assert "groups[0].name" in dialog.error_label.text()
    assert window.document.undo_stack.count() == 0


def test_adding_a_group_offers_its_header_and_footer(window, monkeypatch):
    doc = window.document
    dialog = open_groups(window, monkeypatch, add_bands=True)
    dialog.add_button.click()
    assert [g.name for g in doc.report.groups] == ["country", "group1"]
    assert dialog.list.currentRow() == 1 and dialog.name_edit.text() == "group1"
    types = sorted(b.type for b in doc.report.bands if getattr(b, "group", None) == "group1")
    assert types == ["group_footer", "group_header"]
    assert doc.undo_stack.count() == 1
    dialog.up_button.click()
    assert [g.name for g in doc.report.groups] == ["group1", "country"]


def test_adding_without_bands(window, monkeypatch):
    doc = window.document
    dialog = open_groups(window, monkeypatch, add_bands=False)
    dialog.add_item()
    assert not [b for b in doc.report.bands if getattr(b, "group", None) == "group1"]


def test_removing_a_group_variables_reset_on_is_refused(window, monkeypatch, messages):
    doc = window.document
    dialog = open_groups(window, monkeypatch)
    dialog.remove_button.click()
    assert [g.name for g in doc.report.groups] == ["country"]
    assert "cannot be removed" in messages[0] and "variable country_total" in messages[0]


def test_removing_a_group_removes_its_bands_after_confirmation(window, monkeypatch):
    doc = window.document
    dialog = open_groups(window, monkeypatch, add_bands=True)
    dialog.add_item()
    monkeypatch.setattr(GroupsDialog, "ask_remove_bands", lambda self, name, n: n == 2)
    count = len(doc.report.bands)
    dialog.remove_button.click()
    assert [g.name for g in doc.report.groups] == ["country"]
    assert len(doc.report.bands) == count - 2
    window.undo_action.trigger()
    assert len(doc.report.bands) == count


def test_tab_walks_the_groups_dialog(window, monkeypatch, qtbot):
    dialog = open_groups(window, monkeypatch)
    dialog.list.setFocus()
    qtbot.waitUntil(lambda: dialog.list.hasFocus())
    seen = []
    for _ in range(6):
        dialog.focusNextChild()
        seen.append(dialog.focusWidget())
    # Move up/down are disabled with one group
    assert seen[:4] == [
        dialog.add_button, dialog.remove_button, dialog.name_edit, dialog.expression_edit,
    ]  # fmt: skip
    assert seen[4] is dialog.flag_boxes["descending"]
