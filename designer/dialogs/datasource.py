"""The Data Source dialog: the report's source in; test, tables, first 100 rows and fields read in workers; one undo step out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from engine.data.catalog import list_tables
from engine.data.named import connection_url
from engine.model import DataSource, SqlSource

from ..commands import SetReportKeyCommand
from ..document import ReportDocument
from .datasourceform import FILE_KINDS, DataSourceForm
from .datasourcegrid import RowsModel
from .datasourceworker import PREVIEW_ROWS, first_rows, preview_params, start_worker

_OK = "color: #166534;"
_ERROR = "color: #b91c1c;"
_BUSY = "color: #475569;"


def same_source(a: DataSource | None, b: DataSource | None) -> bool:
    """Whether two sources read the same data (declared fields aside)."""
    if a is None or b is None:
        return a is b
    return a.replace(fields=None) == b.replace(fields=None)


class DataSourceDialog(QDialog):
    """Edits the report's data source: kind, file or URL, table or SQL; Test Connection; a grid of rows.

    OK pushes one SetReportKeyCommand (declared fields are kept while the source reads the
    same data). Everything that touches the database runs in a worker thread.
    """

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle("Data Source")
        self.setObjectName("dataSourceDialog")
        self.setAccessibleName("Data source")
        report = document.report
        self.base_dir: Path | None = document.path.parent if document.path is not None else None
        self.form = DataSourceForm(
            report.data_source, tuple(p.name for p in report.parameters), self.base_dir
        )
        self.test_button = QPushButton("&Test Connection")
        self.test_button.setObjectName("testButton")
        self.test_button.clicked.connect(self.test_connection)
        self.rows_button = QPushButton("Show &Rows")
        self.rows_button.setObjectName("rowsButton")
        self.rows_button.clicked.connect(self.load_rows)
        self.status_label = QLabel("")
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.test_button)
        buttons_row.addWidget(self.rows_button)
        buttons_row.addWidget(self.status_label, 1)
        self.grid_model = RowsModel()
        self.grid = QTableView()
        self.grid.setObjectName("rowsGrid")
        self.grid.setAccessibleName(f"First {PREVIEW_ROWS} rows")
        self.grid.setModel(self.grid_model)
        self.grid.verticalHeader().setDefaultSectionSize(20)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.rows_label = QLabel("")
        self.rows_label.setObjectName("rowsLabel")
        self.error_label = QLabel("")
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet(_ERROR)
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.form)
        top_layout.addLayout(buttons_row)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.rows_label)
        bottom_layout.addWidget(self.grid, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 360])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(860, 700)
        #: per job (tables, rows), bumped on every change: answers of older workers are dropped
        self.generations = {"tables": 0, "rows": 0}
        self.fields: list[Any] = []
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(400)
        self._rows_timer.timeout.connect(self.load_rows)
        self.form.connection_changed.connect(self._connection_changed)
        self.form.query_changed.connect(self._query_changed)
        if report.data_source is not None:
            if self._trusted(report):
                if self.form.kind() == "sqlite":
                    self.list_tables()
                self.load_rows()
            else:
                self._status(
                    "Not read: this report's data source is not trusted yet; Test Connection "
                    "or Show Rows reads it.",
                    _BUSY,
                )

    def _trusted(self, report: Any) -> bool:
        """Whether the report's own source was trusted already (a received file's query must not
        run because this dialog opened; what the user does here is their own action)."""
        from ..trust import decide_trust, trust_request

        return decide_trust(trust_request(report, self.base_dir), None).granted

    # -- workers -------------------------------------------------------------------------

    def _start(self, job: str, call: Any, done: Any, busy: str) -> int:
        """Run `call` in a worker; only the answer of the latest job of its kind is shown."""
        self.generations[job] += 1
        generation = self.generations[job]
        self._status(busy, _BUSY)

        def failed(answer: int, message: str) -> None:
            # a plain function stays connected after the dialog is gone (a bound method would not)
            if isValid(self.status_label) and answer == self.generations[job]:
                self._status(message, _ERROR)

        start_worker(call, generation, done, failed)
        return generation

    def _status(self, text: str, style: str) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style)

    def _connection_changed(self) -> None:
        for job in self.generations:
            self.generations[job] += 1
        self.grid_model.clear()
        self.rows_label.setText("")
        self._status("", _BUSY)
        if (self.form.kind() == "sqlite" and self.form.path_edit.text().strip()) or (
            self.form.kind() == "connection" and self.form.connection()
        ):
            self.list_tables()
        elif self.form.kind() in FILE_KINDS and self.form.path_edit.text().strip():
            self._rows_timer.start()

    def _query_changed(self) -> None:
        self.generations["rows"] += 1
        self.grid_model.clear()
        if not self.form.uses_query():
            self.rows_label.setText("")
            self._rows_timer.start()  # a table: cheap to show; SQL waits for Show Rows
        else:
            self.rows_label.setText("Show Rows reads the first rows of the query.")

    def test_connection(self) -> int:
        """Connect (and list the tables) or read the file, in a worker; the result shows beside."""
        problem = self.form.driver_problem()
        if problem:
            self._status(problem, _ERROR)
            return self.generations["tables"]
        if not self.form.is_sql():
            return self.load_rows()
        return self.list_tables()

    def list_tables(self) -> int:
        """Read the database's tables in a worker; they fill the table list."""
        url, base_dir, name = self.form.url(), self.base_dir, self.form.connection()
        if name:  # the user's connection: its password is filled in only inside the worker
            return self._start(
                "tables",
                lambda: list_tables(connection_url(name), None),
                self._tables_read,
                f"Connecting to {name}…",
            )
        return self._start(
            "tables", lambda: list_tables(url, base_dir), self._tables_read, "Connecting…"
        )

    def _tables_read(self, generation: int, names: list[str]) -> None:
        if generation != self.generations["tables"]:
            return
        self.form.set_tables(names)
        self._status(f"Connected: {len(names)} tables and views", _OK)

    def load_rows(self) -> int:
        """Read the fields and the first rows in a worker; they fill the grid."""
        try:
            source = self.form.source()
        except ValueError as exc:
            self._status(str(exc), _ERROR)
            return self.generations["rows"]
        unknown = self.form.unknown_parameters()
        if unknown:
            self._status(f"the query uses :{unknown[0]}, which is not a declared parameter", _ERROR)
            return self.generations["rows"]
        params, base_dir = preview_params(self.document.report), self.base_dir
        return self._start(
            "rows", lambda: first_rows(source, params, base_dir), self._rows_read, "Reading rows…"
        )

    def _rows_read(self, generation: int, result: tuple[list[Any], list[dict[str, Any]]]) -> None:
        if generation != self.generations["rows"]:
            return
        fields, rows = result
        self.fields = fields
        self.grid_model.set_rows(fields, rows)
        self.grid.resizeColumnsToContents()
        more = "first " if len(rows) == PREVIEW_ROWS else ""
        self.rows_label.setText(f"{len(fields)} fields; the {more}{len(rows)} rows:")
        self._status(f"Read {len(fields)} fields and {len(rows)} rows", _OK)

    # -- committing ------------------------------------------------------------------------

    def new_source(self) -> DataSource:
        """The edited source, keeping the declared fields when it reads the same data.

        Raises:
            ValueError: what is missing or wrong, for a person.
        """
        source = self.form.source()
        unknown = self.form.unknown_parameters()
        if unknown:
            names = ", ".join(f":{n}" for n in unknown)
            raise ValueError(
                f"the query uses {names}, not declared: add it in Report ▸ Parameters first"
            )
        old = self.document.report.data_source
        if old is not None and old.fields is not None and same_source(old, source):
            source = source.replace(fields=old.fields)
        return source

    def apply(self) -> bool:
        """Set the report's data source in one undo step; False (with the reason shown) when invalid."""
        try:
            source = self.new_source()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return False
        self.error_label.setText("")
        if source == self.document.report.data_source:
            return True
        what = source.table if isinstance(source, SqlSource) and source.table else source.kind
        self.document.push(
            SetReportKeyCommand(self.document, "data_source", source, f"Data source {what}")
        )
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()
