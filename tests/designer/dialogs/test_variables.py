"""Variables and Parameters: a list and a form; every change an undo step, invalid values refused."""

from __future__ import annotations

import pytest

from designer.dialogs import ParametersDialog, VariablesDialog
from designer.dialogs.parameters import parse_value, show_value
from engine.fill import check_expressions


@pytest.fixture
def window(make_window):
    return make_window()


def open_dialog(window, action, kind):
    action.trigger()
    dialog = window.report_actions.dialog
    assert isinstance(dialog, kind) and dialog.isVisible()
    return dialog


def test_edit_a_variable(window):
    doc = window.document
    dialog = open_dialog(window, window.report_actions.variables_action, VariablesDialog)
    assert dialog.list.count() == len(doc.report.variables)
    dialog.list.setCurrentRow(2)  # grand_total, reset on the report
    assert not dialog.reset_group_combo.isEnabled()
    dialog.calculation_combo.setCurrentText("max")
    dialog.reset_combo.setCurrentText("group")
    assert dialog.reset_group_combo.isEnabled()
    dialog.running_box.setChecked(True)
    dialog.apply_button.click()
    variable = doc.report.variables[2]
    assert (variable.calculation, variable.reset, variable.reset_group) == (
        "max",
        "group",
        "country",
    )
    assert variable.running and doc.undo_stack.count() == 1
    window.undo_action.trigger()
    assert doc.report.variables[2].calculation == "sum"


def test_a_duplicate_variable_name_is_refused_with_the_engines_message(window):
    doc = window.document
    before = doc.report
    dialog = open_dialog(window, window.report_actions.variables_action, VariablesDialog)
    dialog.list.setCurrentRow(1)
    dialog.name_edit.setText("country_total")
    dialog.accept()
    assert dialog.isVisible() and dialog.error_label.text()
    assert doc.report == before
    dialog.reject()


def test_add_move_remove_variables(window):
    doc = window.document
    names = [v.name for v in doc.report.variables]
    dialog = open_dialog(window, window.report_actions.variables_action, VariablesDialog)
    dialog.add_button.click()
    assert [v.name for v in doc.report.variables] == [*names, "variable1"]
    dialog.up_button.click()
    assert doc.report.variables[-2].name == "variable1"
    dialog.remove_button.click()
    assert [v.name for v in doc.report.variables] == names
    assert doc.undo_stack.count() == 3


def test_edit_parameters(window):
    doc = window.document
    dialog = open_dialog(window, window.report_actions.parameters_action, ParametersDialog)
    assert dialog.default_edit.text() == "2009-01-01"
    dialog.add_button.click()
    dialog.type_combo.setCurrentText("integer")
    dialog.label_edit.setText("Top")
    dialog.default_edit.setText("10")
    dialog.required_box.setChecked(True)
    dialog.choices_edit.setText("5, 10, 20")
    dialog.accept()
    parameter = doc.report.parameters[1]
    assert (parameter.type, parameter.label, parameter.default) == ("integer", "Top", 10)
    assert parameter.required and parameter.choices == (5, 10, 20)
    assert doc.undo_stack.count() == 2


def test_a_bad_parameter_name_is_refused(window):
    doc = window.document
    dialog = open_dialog(window, window.report_actions.parameters_action, ParametersDialog)
    dialog.name_edit.setText("")
    assert not dialog.apply()
    assert "parameters[0].name" in dialog.error_label.text()
    assert doc.report.parameters[0].name == "start"


def test_values_read_as_json_else_text():
    assert parse_value("12") == 12 and parse_value("abc") == "abc"
    assert parse_value(show_value("12")) == "12"


def _expressions(report):
    """Every element expression of the report, by band type."""
    return [
        (b.type, e.expression)
        for b in report.bands
        for e in b.elements
        if getattr(e, "expression", None)
    ]


def test_renaming_a_variable_rewrites_the_expressions_that_read_it(window):
    doc = window.document
    before = _expressions(doc.report)
    dialog = open_dialog(window, window.report_actions.variables_action, VariablesDialog)
    dialog.list.setCurrentRow(1)  # country_count: read by the group header and footer
    dialog.name_edit.setText("invoices_here")
    dialog.accept()
    assert not dialog.isVisible() and doc.undo_stack.count() == 1
    after = _expressions(doc.report)
    assert (
        "group_header",
        "str(vars.invoices_here) + (' invoice' if vars.invoices_here == 1 else ' invoices')",
    ) in after
    assert not any("vars.country_count" in text for _, text in after)
    assert ("summary", "vars.grand_total") in after  # others untouched
    assert doc.report.variables[1].name == "invoices_here"
    assert check_expressions(doc.report) == []  # every name the expressions read exists
    window.undo_action.trigger()
    assert _expressions(doc.report) == before and doc.report.variables[1].name == "country_count"
    window.redo_action.trigger()
    assert _expressions(doc.report) == after


def test_renaming_a_parameter_rewrites_expressions_and_the_query(window):
    doc = window.document
    dialog = open_dialog(window, window.report_actions.parameters_action, ParametersDialog)
    dialog.name_edit.setText("since")
    dialog.accept()
    report = doc.report
    assert [p.name for p in report.parameters] == ["since"]
    assert report.data_source.query.endswith("WHERE i.InvoiceDate >= :since")
    title = next(text for kind, text in _expressions(report) if kind == "title")
    assert "format(params.since, 'd MMMM yyyy')" in title and "params.start" not in title
    assert check_expressions(report) == []
    window.undo_action.trigger()
    assert (
        doc.report.data_source.query.endswith(":start") and doc.report.parameters[0].name == "start"
    )
