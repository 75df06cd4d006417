"""The Data Source dialog against the real Chinook database: tables, rows, fields, parameters,
named connections, undo."""

from __future__ import annotations

import sqlite3
import stat
import tomllib
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from designer.dialogs.connection import ConnectionDialog
from designer.dialogs.datasource import DataSourceDialog
from designer.dialogs.datasourceform import KINDS, DataSourceForm
from designer.document import ReportDocument
from engine.model import Parameter, SqlSource, dump_report
from tests.designer.conftest import EXAMPLES

CHINOOK = EXAMPLES / "chinook.sqlite"


@pytest.fixture(autouse=True)
def connections(tmp_path, monkeypatch):
    """The user's connections.toml of these tests: a file of their own, never the real one."""
    path = tmp_path / "config" / "connections.toml"
    monkeypatch.setenv("ASHR_CONNECTIONS", str(path))
    return path


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


def test_missing_driver_is_named(qtbot, untitled):
    dialog = _open(qtbot, untitled)
    _kind(dialog.form, "url")
    dialog.form.url_edit.setText("mysql://ann@db.example.com/sales")
    assert "not installed" in dialog.form.url_note.text()
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "pip install mysqlclient" in dialog.status_label.text()


def test_csv_file_shows_its_rows(qtbot, untitled, tmp_path, monkeypatch):
    path = tmp_path / "items.csv"
    path.write_text("sku;price\nA1;2.50\nB2;\n", encoding="utf-8")
    dialog = _open(qtbot, untitled)
    _kind(dialog.form, "csv")
    dialog.form.delimiter_edit.setText(";")
    monkeypatch.setattr(DataSourceForm, "ask_file", lambda self, caption, filt: str(path))
    qtbot.mouseClick(dialog.form.browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.grid_model.rowCount() == 2, timeout=10000)
    assert dialog.grid_model.index(0, 1).data() == "2.50"
    assert dialog.grid_model.index(1, 1).data() == "NULL"
    assert dialog.apply()
    assert untitled.report.data_source.csv_options.delimiter == ";"


def test_parquet_file_picked_shows_its_typed_rows_and_applies(qtbot, tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "data" / "items.parquet"
    path.parent.mkdir()
    table = pa.table(
        {
            "sku": ["A1", None],
            "price": pa.array([Decimal("2.50"), Decimal("-1.25")], pa.decimal128(6, 2)),
        }
    )
    pq.write_table(table, path)
    document = ReportDocument()
    document.set_path(tmp_path / "r.ashr")  # a saved report: the file is stored relative to it
    dialog = _open(qtbot, document)
    _kind(dialog.form, "parquet")
    assert dialog.form.path_row.isVisible() and not dialog.form.delimiter_edit.isVisible()
    assert not dialog.form.table_combo.isVisible()
    with pytest.raises(ValueError, match="choose the Parquet file"):
        dialog.form.source()
    asked = []

    def pick(self, caption, file_filter):
        asked.append((caption, file_filter))
        return str(path)

    monkeypatch.setattr(DataSourceForm, "ask_file", pick)
    qtbot.mouseClick(dialog.form.browse_button, Qt.MouseButton.LeftButton)
    assert asked == [
        ("Choose the Parquet file", "Parquet files (*.parquet *.parq *.pq);;All files (*)")
    ]
    qtbot.waitUntil(lambda: dialog.grid_model.rowCount() == 2, timeout=10000)
    assert [dialog.grid_model.index(r, 0).data() for r in range(2)] == ["A1", "NULL"]
    assert dialog.grid_model.index(1, 1).data() == "-1.25"
    assert [(f.name, f.type) for f in dialog.fields] == [("sku", "string"), ("price", "decimal")]
    assert dialog.apply()
    source = document.report.data_source
    assert (source.kind, source.path) == ("parquet", "data/items.parquet")
    document.undo_stack.undo()
    assert document.report.data_source is None
    form = DataSourceForm(source, (), tmp_path)
    qtbot.addWidget(form)
    assert form.kind() == "parquet" and form.path_edit.text() == "data/items.parquet"
    assert form.source() == source


def test_declared_parameters_are_listed(qtbot, untitled):
    untitled.report  # noqa: B018
    doc = ReportDocument(
        untitled.report.replace(parameters=(Parameter(name="year", type="integer"),))
    )
    dialog = _open(qtbot, doc)
    dialog.form.query_radio.setChecked(True)
    dialog.form.query_edit.setPlainText("SELECT 1")
    assert "declared parameters: year" in dialog.form.params_label.text()


def _kind(form, key):
    form.kind_combo.setCurrentIndex(list(KINDS).index(key))


def _answer_modal(qtbot, answer):
    """Run `answer(dialog)` on the modal dialog that opens next (the real one, shown by exec)."""

    def act():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        try:
            answer(dialog)
        finally:
            if dialog.isVisible():  # a failed check must not leave the test waiting on exec
                dialog.reject()

    QTimer.singleShot(0, act)


def test_password_in_url_is_refused_and_becomes_a_named_connection(qtbot, untitled, connections):
    dialog = _open(qtbot, untitled)
    form = dialog.form
    _kind(form, "url")
    # refused at once by the server on loopback port 1: nothing waits on a network
    form.url_edit.setText("postgresql://ann:s3cret@127.0.0.1:1/sales")
    form.table_combo.setEditText("orders")
    assert "never keeps one" in form.url_note.text()
    assert form.password_button.isVisible()
    assert not dialog.apply()
    assert "Make a named connection" in dialog.error_label.text()
    assert untitled.report.data_source is None and untitled.undo_stack.count() == 0

    seen = []

    def fill(connection_dialog):
        seen.append((connection_dialog.url_edit.text(), connection_dialog.mode()))
        connection_dialog.name_edit.setText("sales")
        qtbot.mouseClick(
            connection_dialog.buttons.button(connection_dialog.buttons.StandardButton.Ok),
            Qt.MouseButton.LeftButton,
        )

    _answer_modal(qtbot, fill)
    qtbot.mouseClick(form.password_button, Qt.MouseButton.LeftButton)
    assert seen == [("postgresql://ann@127.0.0.1:1/sales", "file")]
    assert form.kind() == "connection" and form.connection() == "sales"
    assert form.url_edit.text() == ""
    saved = tomllib.loads(connections.read_text(encoding="utf-8"))
    password_file = connections.parent / "passwords" / "sales"
    assert saved == {
        "sales": {"url": "postgresql://ann@127.0.0.1:1/sales", "password_file": str(password_file)}
    }
    assert password_file.read_text(encoding="utf-8") == "s3cret\n"
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(connections.stat().st_mode) == 0o600
    assert "ann@127.0.0.1:1/sales (password from a file)" in form.connection_note.text()

    form.table_combo.setEditText("orders")
    assert dialog.apply()
    source = untitled.report.data_source
    assert (source.connection, source.url, source.table) == ("sales", None, "orders")
    assert "s3cret" not in dump_report(untitled.report)
    untitled.undo_stack.undo()
    assert untitled.report.data_source is None


def test_picks_a_named_connection_lists_tables_and_reads_rows(qtbot, untitled, connections):
    connections.parent.mkdir(parents=True)
    connections.write_text(
        f'[chinook]\nurl = "sqlite:///{CHINOOK}"\n[other]\nurl = "sqlite:////nowhere.db"\n',
        encoding="utf-8",
    )
    dialog = _open(qtbot, untitled)
    form = dialog.form
    _kind(form, "connection")
    names = [form.connection_combo.itemText(i) for i in range(form.connection_combo.count())]
    assert names == ["chinook", "other"]
    qtbot.waitUntil(lambda: bool(form.tables()), timeout=10000)
    assert "Genre" in form.tables()
    form.table_combo.setCurrentText("Genre")
    (count,) = _sql("SELECT COUNT(*) FROM Genre")[0]
    qtbot.waitUntil(lambda: dialog.grid_model.rowCount() == count, timeout=10000)
    assert dialog.apply()
    assert untitled.report.data_source == SqlSource(kind="sql", connection="chinook", table="Genre")


def test_a_report_naming_an_unknown_connection_shows_it(qtbot, untitled, connections):
    doc = ReportDocument(
        untitled.report.replace(
            data_source=SqlSource(kind="sql", connection="gone", query="SELECT 1 AS x")
        )
    )
    dialog = _open(qtbot, doc)
    form = dialog.form
    assert form.kind() == "connection" and form.connection() == "gone"
    assert form.connection_combo.currentText() == "gone (not in your connections.toml)"
    assert "'gone' is not in" in form.connection_note.text()
    assert str(connections) in form.connection_note.text()
    # a received report's source is not read because the dialog opened ...
    assert "Not read" in dialog.status_label.text()
    # ... only when the user asks
    qtbot.mouseClick(dialog.rows_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "no named connection 'gone'" in dialog.status_label.text(), timeout=10000
    )


def test_opening_the_dialog_on_a_received_report_runs_nothing(qtbot, untitled, tmp_path):
    """The dialog on a report nobody trusted yet: its query (an attack here) does not run."""
    import shutil

    from tests.engine.render.helpers import CHINOOK

    folder = tmp_path / "received"
    folder.mkdir()
    shutil.copy(CHINOOK, folder / "chinook.sqlite")
    source = SqlSource(kind="sql", url="sqlite:///chinook.sqlite", query="SELECT 1 AS x")
    doc = ReportDocument(untitled.report.replace(data_source=source), folder / "received.ashr")
    before = sorted(p.name for p in folder.iterdir())
    dialog = _open(qtbot, doc)
    qtbot.wait(300)
    assert "Not read" in dialog.status_label.text()
    assert dialog.generations == {"tables": 0, "rows": 0}  # no worker was started
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.parametrize(
    ("name", "url", "mode", "extra", "expected"),
    [
        ("", "sqlite://", "none", "", "give the connection a name"),
        ("bad name", "sqlite://", "none", "", "cannot be a connection name"),
        ("s", "postgresql://u:pw@h/d", "none", "", "remove the password from the URL"),
        ("s", "postgresql://u@h/d", "file", "", "type the password"),
        ("s", "postgresql://u@h/d", "env", "NO-WAY", "name the environment variable"),
        ("taken", "sqlite://", "none", "", "there is a connection called taken already"),
    ],
)
def test_connection_dialog_refuses_what_it_cannot_save(
    qtbot, connections, name, url, mode, extra, expected
):
    connections.parent.mkdir(parents=True)
    connections.write_text('[taken]\nurl = "sqlite://"\n', encoding="utf-8")
    before = connections.read_bytes()
    dialog = ConnectionDialog(url=url)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText(name)
    {"file": dialog.file_radio, "env": dialog.env_radio, "none": dialog.none_radio}[
        mode
    ].setChecked(True)
    dialog.variable_edit.setText(extra)
    dialog.password_edit.setText("")
    assert not dialog.save()
    assert expected in dialog.error_label.text()
    assert "pw" not in dialog.error_label.text()
    assert connections.read_bytes() == before
    assert not (connections.parent / "passwords").exists()


def test_connection_dialog_with_an_environment_variable(qtbot, connections):
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("sales")
    dialog.url_edit.setText("postgresql+psycopg://report_ro@db.example.com/sales")
    dialog.env_radio.setChecked(True)
    assert dialog.variable_edit.isVisibleTo(dialog) and not dialog.password_edit.isVisibleTo(dialog)
    dialog.variable_edit.setText("SALES_DB_PASSWORD")
    assert dialog.save()
    assert tomllib.loads(connections.read_text(encoding="utf-8")) == {
        "sales": {
            "url": "postgresql+psycopg://report_ro@db.example.com/sales",
            "password_env": "SALES_DB_PASSWORD",
        }
    }
