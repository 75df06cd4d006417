"""The Data Source dialog against the real Chinook database: tables, rows, fields, parameters, undo."""

from __future__ import annotations

import os
import sqlite3
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from designer.dialogs.datasource import DataSourceDialog
from designer.dialogs.datasourceform import DataSourceForm
from designer.document import ReportDocument
from engine.model import Parameter
from tests.designer.conftest import EXAMPLES

CHINOOK = EXAMPLES / "chinook.sqlite"


def _sql(query, *args):
    with sqlite3.connect(CHINOOK) as conn:
        return conn.execute(query, args).fetchall()


@pytest.fixture
def untitled(qapp):
    return ReportDocument()


def _open(qtbot, document):
    dialog = DataSourceDialog(document)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _pick_chinook(qtbot, dialog, monkeypatch):
    monkeypatch.setattr(DataSourceForm, "ask_file", lambda self, caption, filt: str(CHINOOK))
    qtbot.mouseClick(dialog.form.browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.form.tables()), timeout=10000)


def test_picks_sqlite_file_lists_tables_shows_rows_and_applies_one_undo_step(
    qtbot, untitled, monkeypatch
):
    dialog = _open(qtbot, untitled)
    _pick_chinook(qtbot, dialog, monkeypatch)
    expected = sorted(
        (n for (n,) in _sql("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")),
        key=str.lower,
    )
    assert dialog.form.tables() == expected
    assert "Connected: 11 tables" in dialog.status_label.text()

    dialog.form.table_combo.setCurrentText("Invoice")
    qtbot.waitUntil(lambda: dialog.grid_model.rowCount() == 100, timeout=10000)
    model = dialog.grid_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[0] == "InvoiceId\ninteger"
    assert "Total\ndecimal" in headers
    total_col = [f.name for f in model.fields].index("Total")
    first_ids = [row[0] for row in _sql("SELECT * FROM Invoice LIMIT 100")]
    assert [int(model.index(r, 0).data()) for r in range(100)] == first_ids
    (total,) = _sql("SELECT CAST(Total AS TEXT) FROM Invoice WHERE InvoiceId = ?", first_ids[0])[0]
    assert Decimal(model.index(0, total_col).data()) == Decimal(total)
    assert "first 100 rows" in dialog.rows_label.text()

    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    source = untitled.report.data_source
    assert source.kind == "sql" and source.table == "Invoice"
    assert source.url == f"sqlite:///{CHINOOK}"
    assert untitled.undo_stack.count() == 1
    untitled.undo_stack.undo()
    assert untitled.report.data_source is None


def test_report_menu_opens_the_dialog_with_the_current_query(make_window):
    window = make_window()
    window.report_actions.data_source_action.trigger()
    dialog = window.report_actions.dialog
    assert isinstance(dialog, DataSourceDialog)
    assert dialog.form.uses_query()
    assert ":start" in dialog.form.params_label.text()
    assert dialog.form.unknown_parameters() == []


def test_undeclared_query_parameter_is_flagged_and_refused(qtbot, document):
    dialog = _open(qtbot, document)
    query = "SELECT InvoiceId, Total FROM Invoice WHERE InvoiceDate >= :start AND BillingCountry = :country"
    dialog.form.query_edit.setPlainText(query)
    assert dialog.form.unknown_parameters() == ["country"]
    assert "country</b> is not a declared parameter" in dialog.form.params_label.text()
    before = document.report
    assert not dialog.apply()
    assert ":country" in dialog.error_label.text()
    assert document.report == before

    dialog.form.query_edit.setPlainText(
        "SELECT InvoiceId, Total FROM Invoice WHERE InvoiceDate >= :start"
    )
    qtbot.mouseClick(dialog.rows_button, Qt.MouseButton.LeftButton)
    (count,) = _sql("SELECT COUNT(*) FROM Invoice WHERE InvoiceDate >= '2009-01-01'")[0]
    qtbot.waitUntil(lambda: dialog.grid_model.rowCount() == min(100, count), timeout=10000)
    assert [f.name for f in dialog.fields] == ["InvoiceId", "Total"]
    assert dialog.apply()
    assert document.report.data_source.query.endswith(":start")
    assert document.report.data_source.fields is None  # the old declared fields no longer fit


def test_literal_password_is_warned_and_moved_to_an_environment_variable(
    qtbot, untitled, monkeypatch
):
    monkeypatch.delenv("TEST_DB_PW", raising=False)
    dialog = _open(qtbot, untitled)
    form = dialog.form
    form.kind_combo.setCurrentIndex(3)
    form.url_edit.setText("postgresql://ann:s3cret@db.example.com/sales")
    assert form.password_button.isVisible()
    assert "holds a password" in form.url_note.text()
    monkeypatch.setattr(DataSourceForm, "ask_variable_name", lambda self: "TEST_DB_PW")
    qtbot.mouseClick(form.password_button, Qt.MouseButton.LeftButton)
    assert form.url_edit.text() == "postgresql://ann:${TEST_DB_PW}@db.example.com/sales"
    assert os.environ["TEST_DB_PW"] == "s3cret"
    assert not form.password_button.isVisible()
    form.table_combo.setEditText("orders")
    assert dialog.apply()
    assert "s3cret" not in untitled.report.data_source.url


def test_missing_driver_is_named(qtbot, untitled):
    dialog = _open(qtbot, untitled)
    dialog.form.kind_combo.setCurrentIndex(3)
    dialog.form.url_edit.setText("mysql://ann@db.example.com/sales")
    assert "not installed" in dialog.form.url_note.text()
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "pip install mysqlclient" in dialog.status_label.text()


def test_csv_file_shows_its_rows(qtbot, untitled, tmp_path, monkeypatch):
    path = tmp_path / "items.csv"
    path.write_text("sku;price\nA1;2.50\nB2;\n", encoding="utf-8")
    dialog = _open(qtbot, untitled)
    dialog.form.kind_combo.setCurrentIndex(1)
    dialog.form.delimiter_edit.setText(";")
    monkeypatch.setattr(DataSourceForm, "ask_file", lambda self, caption, filt: str(path))
    qtbot.mouseClick(dialog.form.browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.grid_model.rowCount() == 2, timeout=10000)
    assert dialog.grid_model.index(0, 1).data() == "2.50"
    assert dialog.grid_model.index(1, 1).data() == "NULL"
    assert dialog.apply()
    assert untitled.report.data_source.csv_options.delimiter == ";"


def test_declared_parameters_are_listed(qtbot, untitled):
    untitled.report  # noqa: B018
    doc = ReportDocument(
        untitled.report.replace(parameters=(Parameter(name="year", type="integer"),))
    )
    dialog = _open(qtbot, doc)
    dialog.form.query_radio.setChecked(True)
    dialog.form.query_edit.setPlainText("SELECT 1")
    assert "declared parameters: year" in dialog.form.params_label.text()
