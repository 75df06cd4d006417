"""The parameter prompt: typed widgets driven like a user, values converted by the engine's rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QDialogButtonBox

from designer.dialogs.paramprompt import ParameterDialog, ask_parameters
from designer.document import untitled_report
from engine.model import Parameter


def _report(*params):
    return untitled_report().replace(parameters=tuple(Parameter(**p) for p in params))


PARAMS = (
    {"name": "start", "type": "date", "label": "Invoices from"},
    {"name": "limit", "type": "integer", "label": "At most"},
    {"name": "minimum", "type": "decimal", "default": "1.50"},
    {"name": "country", "type": "string", "choices": ["Canada", "France", "USA"], "default": "USA"},
    {"name": "paid", "type": "boolean", "default": False},
)


def _type(qtbot, widget, text):
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def test_typed_widgets_convert_to_engine_types(qtbot):
    dialog = ParameterDialog(_report(*PARAMS), {})
    qtbot.addWidget(dialog)
    dialog.show()
    w = dialog.widgets
    assert isinstance(w["start"], QDateEdit) and w["start"].calendarPopup()
    assert isinstance(w["country"], QComboBox)
    assert [w["country"].itemText(i) for i in range(3)] == ["Canada", "France", "USA"]
    assert w["country"].currentText() == "USA"  # the default
    assert w["start"].accessibleName() == "Invoices from"

    w["start"].setFocus()
    w["start"].setSelectedSection(QDateEdit.Section.YearSection)
    qtbot.keyClicks(w["start"], "20100315")  # typed section after section, as a user does
    _type(qtbot, w["limit"], "42")
    _type(qtbot, w["minimum"], "7.25")
    w["country"].setFocus()
    qtbot.keyClick(w["country"], Qt.Key.Key_Up)  # France
    w["paid"].setFocus()
    qtbot.keyClick(w["paid"], Qt.Key.Key_Space)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.values == {
        "start": dt.date(2010, 3, 15),
        "limit": 42,
        "minimum": Decimal("7.25"),
        "country": "France",
        "paid": True,
    }
    assert type(dialog.values["minimum"]) is Decimal


def test_a_value_the_engine_refuses_keeps_the_dialog_open(qtbot):
    dialog = ParameterDialog(_report({"name": "code", "type": "bytes", "label": "Code"}), {})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.widgets["code"], "not base64!")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible()
    assert "parameter 'code'" in dialog.error_label.text()


def _answer(qtbot, act):
    def run():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ParameterDialog)
        act(dialog)

    QTimer.singleShot(0, run)


def test_ask_parameters_prompts_for_missing_values_and_remembers_them(qtbot):
    report = _report(*PARAMS)
    remembered: dict = {}

    def fill(dialog):
        dialog.widgets["start"].setDate(QDate(2011, 1, 2))
        dialog.widgets["limit"].setValue(5)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    _answer(qtbot, fill)
    values = ask_parameters(report, None, remembered)
    assert values["start"] == dt.date(2011, 1, 2) and values["limit"] == 5
    assert values["minimum"] == Decimal("1.50") and values["country"] == "USA"
    assert remembered == values
    # every parameter has a value now: no prompt the next time
    assert ask_parameters(report, None, remembered) == values

    _answer(qtbot, lambda d: d.buttons.button(QDialogButtonBox.StandardButton.Cancel).click())
    assert ask_parameters(report, None, remembered, always=True) is None


def test_no_parameters_no_prompt():
    assert ask_parameters(untitled_report(), None) == {}


def test_defaults_only_resolve_without_a_prompt():
    report = _report({"name": "n", "type": "integer", "default": "7"})
    assert ask_parameters(report, None) == {"n": 7}
