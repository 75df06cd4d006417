"""The data source form: a report's DataSource in, the user's choice of file, URL, named connection, table or SQL back out as a DataSource."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QWidget,
)

from engine.data.catalog import literal_password, missing_driver, query_parameters
from engine.data.named import NamedConnection, read_connections, split_password
from engine.errors import ReportError
from engine.model import CsvSource, DataSource, JsonSource, ParquetSource, SqlSource

from .connection import ConnectionDialog

#: kind key → caption, in the combo's order
KINDS = {
    "sqlite": "SQLite file",
    "csv": "CSV file",
    "json": "JSON file",
    "parquet": "Parquet file",
    "url": "Database URL",
    "connection": "Named connection",
}
#: the kinds that read an SQL database
SQL_KINDS = ("sqlite", "url", "connection")
#: the kinds that read a data file (its rows show as soon as it is picked)
FILE_KINDS = ("csv", "json", "parquet")
#: the source model of each kind that is not SQL
_FILE_MODELS = {"csv": CsvSource, "json": JsonSource, "parquet": ParquetSource}
_FILE_FILTERS = {
    "sqlite": "SQLite databases (*.sqlite *.sqlite3 *.db);;All files (*)",
    "csv": "CSV files (*.csv *.txt);;All files (*)",
    "json": "JSON files (*.json);;All files (*)",
    "parquet": "Parquet files (*.parquet *.parq *.pq);;All files (*)",
}
_SQLITE_PREFIX = "sqlite:///"
_ERROR = "color: #b91c1c;"
_NOTE = "color: #475569;"
#: why a URL with a password is refused, and the way out
PASSWORD_REFUSED = (
    "The URL holds a password, and a report file never keeps one (it is shared as it is). "
    "Make a named connection: the password stays in your own config folder."
)


def source_kind(source: DataSource | None) -> str:
    """The form's kind for a source: an `sqlite:///FILE` URL is an SQLite file, other URLs `url`,
    a named connection `connection`."""
    if source is None:
        return "sqlite"
    if isinstance(source, SqlSource):
        if source.connection is not None or source.url is None:
            return "connection"
        plain = source.url.startswith(_SQLITE_PREFIX) and "?" not in source.url
        return "sqlite" if plain else "url"
    return source.kind


def stored_path(chosen: Path, base_dir: Path | None) -> str:
    """A chosen file as the report stores it: relative to the report's folder when inside it."""
    if base_dir is not None:
        try:
            return chosen.resolve().relative_to(base_dir.resolve()).as_posix()
        except ValueError:
            pass
    return str(chosen)


class DataSourceForm(QWidget):
    """Kind, file, URL or named connection, CSV options, table or SQL query; warns of missing
    drivers and refuses a password in a URL (offering to make a named connection of it).

    `connection_changed` fires when what to connect to changed (the table list is stale),
    `query_changed` when the table or query changed (the rows are stale).
    """

    connection_changed = Signal()
    query_changed = Signal()

    def __init__(
        self,
        source: DataSource | None,
        parameters: tuple[str, ...],
        base_dir: Path | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dataSourceForm")
        self.parameters = parameters
        self.base_dir = base_dir
        #: the user's named connections, by name (read from connections.toml)
        self._connections: dict[str, NamedConnection] = {}
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("sourceKind")
        self.kind_combo.setAccessibleName("Data source kind")
        for key, caption in KINDS.items():
            self.kind_combo.addItem(caption, key)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("sourcePath")
        self.path_edit.setAccessibleName("File")
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setObjectName("browseButton")
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.setContentsMargins(0, 0, 0, 0)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        self.path_row = QWidget()
        self.path_row.setLayout(path_row)
        self.path_row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("sourceUrl")
        self.url_edit.setAccessibleName("Database URL")
        self.url_edit.setPlaceholderText("postgresql://user@host/database (no password)")
        self.url_note = QLabel("")
        self.url_note.setObjectName("urlNote")
        self.url_note.setWordWrap(True)
        self.password_button = QPushButton("&Make a named connection of it…")
        self.password_button.setObjectName("passwordButton")
        self.password_button.clicked.connect(self.connection_from_url)
        self.connection_combo = QComboBox()
        self.connection_combo.setObjectName("connectionCombo")
        self.connection_combo.setAccessibleName("Named connection")
        self.new_connection_button = QPushButton("&New…")
        self.new_connection_button.setObjectName("newConnectionButton")
        self.new_connection_button.setToolTip(
            "Add a named connection to your connections.toml (the password stays out of the report)"
        )
        self.new_connection_button.clicked.connect(lambda: self.new_connection())
        connection_row = QHBoxLayout()
        connection_row.setContentsMargins(0, 0, 0, 0)
        connection_row.addWidget(self.connection_combo, 1)
        connection_row.addWidget(self.new_connection_button)
        self.connection_row = QWidget()
        self.connection_row.setLayout(connection_row)
        self.connection_note = QLabel("")
        self.connection_note.setObjectName("connectionNote")
        self.connection_note.setWordWrap(True)
        self.connection_note.setStyleSheet(_NOTE)
        self.delimiter_edit = QLineEdit(",")
        self.delimiter_edit.setObjectName("csvDelimiter")
        self.delimiter_edit.setAccessibleName("CSV delimiter")
        self.delimiter_edit.setMaxLength(1)
        self.encoding_edit = QLineEdit("utf-8")
        self.encoding_edit.setObjectName("csvEncoding")
        self.encoding_edit.setAccessibleName("CSV encoding")
        self.table_radio = QRadioButton("&Table:")
        self.table_radio.setObjectName("tableRadio")
        self.query_radio = QRadioButton("SQL &query:")
        self.query_radio.setObjectName("queryRadio")
        self._choice = QButtonGroup(self)
        self._choice.addButton(self.table_radio)
        self._choice.addButton(self.query_radio)
        self.table_combo = QComboBox()
        self.table_combo.setObjectName("tableCombo")
        self.table_combo.setAccessibleName("Table")
        self.table_combo.setEditable(True)
        self.query_edit = QPlainTextEdit()
        self.query_edit.setObjectName("queryEdit")
        self.query_edit.setAccessibleName("SQL query")
        self.query_edit.setPlaceholderText("SELECT … FROM … WHERE InvoiceDate >= :start")
        self.query_edit.setMinimumHeight(60)
        self.query_edit.setMaximumHeight(120)
        self.params_label = QLabel("")
        self.params_label.setObjectName("paramsLabel")
        self.params_label.setWordWrap(True)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("&Kind:", self.kind_combo)
        self.form.addRow("&File:", self.path_row)
        self.form.addRow("&URL:", self.url_edit)
        self.form.addRow("&Connection:", self.connection_row)
        self.form.addRow("", self.connection_note)
        self.form.addRow("", self.url_note)
        password_row = QHBoxLayout()
        password_row.setContentsMargins(0, 0, 0, 0)
        password_row.addWidget(self.password_button)
        password_row.addStretch(1)
        self.password_row = QWidget()
        self.password_row.setLayout(password_row)
        self.form.addRow("", self.password_row)
        self.form.addRow("&Delimiter:", self.delimiter_edit)
        self.form.addRow("E&ncoding:", self.encoding_edit)
        self.form.addRow(self.table_radio, self.table_combo)
        self.form.addRow(self.query_radio, self.query_edit)
        self.form.addRow("", self.params_label)
        self.set_source(source)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.path_edit.textChanged.connect(lambda _: self.connection_changed.emit())
        self.url_edit.textChanged.connect(self._url_changed)
        self.connection_combo.currentIndexChanged.connect(self._connection_picked)
        self.table_radio.toggled.connect(self._choice_changed)
        self.table_combo.currentTextChanged.connect(lambda _: self.query_changed.emit())
        self.query_edit.textChanged.connect(self._query_text_changed)

    # -- loading -------------------------------------------------------------------------

    def set_source(self, source: DataSource | None) -> None:
        """Show a source (None: a new SQLite source)."""
        kind = source_kind(source)
        self.kind_combo.setCurrentIndex(list(KINDS).index(kind))
        self.path_edit.clear()
        self.url_edit.clear()
        self.query_edit.clear()
        self.table_combo.clear()
        self.reload_connections(source.connection if isinstance(source, SqlSource) else None)
        if isinstance(source, SqlSource):
            if kind == "sqlite":
                self.path_edit.setText((source.url or "")[len(_SQLITE_PREFIX) :])
            elif kind == "url":
                self.url_edit.setText(source.url or "")
            if source.table is not None:
                self.table_combo.setEditText(source.table)
            self.query_edit.setPlainText(source.query or "")
        elif source is not None:
            self.path_edit.setText(source.path)
            if isinstance(source, CsvSource) and source.csv_options is not None:
                self.delimiter_edit.setText(source.csv_options.delimiter)
                self.encoding_edit.setText(source.csv_options.encoding)
        use_query = isinstance(source, SqlSource) and source.query is not None
        (self.query_radio if use_query else self.table_radio).setChecked(True)
        self._show_rows()
        self._url_changed(self.url_edit.text())
        self._query_text_changed()

    # -- reading -------------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def is_sql(self) -> bool:
        return self.kind() in SQL_KINDS

    def uses_query(self) -> bool:
        return self.is_sql() and self.query_radio.isChecked()

    def url(self) -> str:
        """The SQLAlchemy URL of an SQL kind, as the report stores it ("" for a named connection)."""
        if self.kind() == "sqlite":
            return _SQLITE_PREFIX + self.path_edit.text().strip()
        if self.kind() == "connection":
            return ""
        return self.url_edit.text().strip()

    def connection(self) -> str:
        """The named connection picked ("" when none, or another kind)."""
        if self.kind() != "connection":
            return ""
        return str(self.connection_combo.currentData() or "")

    def connection_url(self) -> str:
        """The picked connection's URL as the user's file holds it (never with a password), or ""."""
        known = self._connections.get(self.connection())
        return known.url if known is not None else ""

    def source(self) -> DataSource:
        """The source the form describes.

        Raises:
            ValueError: with a message for a person, when something is missing or wrong.
        """
        kind = self.kind()
        data: dict[str, Any]
        if kind in SQL_KINDS:
            if kind == "sqlite" and not self.path_edit.text().strip():
                raise ValueError("choose the SQLite database file")
            if kind == "url" and not self.url_edit.text().strip():
                raise ValueError("type the database URL")
            if kind == "url" and literal_password(self.url()):
                raise ValueError(PASSWORD_REFUSED)
            if kind == "connection":
                if not self.connection():
                    raise ValueError("pick a named connection, or make one with New…")
                data = {"kind": "sql", "connection": self.connection()}
            else:
                data = {"kind": "sql", "url": self.url()}
            if self.uses_query():
                text = self.query_edit.toPlainText().strip()
                if not text:
                    raise ValueError("write the SQL query, or pick a table")
                data["query"] = text
            else:
                table = self.table_combo.currentText().strip()
                if not table:
                    raise ValueError("pick a table, or write an SQL query")
                data["table"] = table
        else:
            path = self.path_edit.text().strip()
            if not path:
                raise ValueError(f"choose the {KINDS[kind]}")
            data = {"kind": kind, "path": path}
            if kind == "csv":
                options = {
                    "delimiter": self.delimiter_edit.text() or ",",
                    "encoding": self.encoding_edit.text().strip() or "utf-8",
                }
                if options != {"delimiter": ",", "encoding": "utf-8"}:
                    data["csv_options"] = options
        model = SqlSource if data["kind"] == "sql" else _FILE_MODELS[data["kind"]]
        try:
            built = model.model_validate(data)
        except ValidationError as exc:
            raise ValueError(str(exc.errors()[0]["msg"]).removeprefix("Value error, ")) from exc
        return built

    def unknown_parameters(self) -> list[str]:
        """`:name` placeholders of the query that are not declared parameters."""
        if not self.uses_query():
            return []
        used = query_parameters(self.query_edit.toPlainText())
        return [name for name in used if name not in self.parameters]

    def driver_problem(self) -> str:
        """Why the URL (or the connection's) cannot be used here (a missing driver, not a URL), else ""."""
        if self.kind() == "connection":
            url = self.connection_url()
        elif self.kind() == "url":
            url = self.url_edit.text().strip()
        else:
            return ""
        if not url:
            return ""
        try:
            return missing_driver(url)
        except ReportError as exc:
            return str(exc)

    # -- reacting ------------------------------------------------------------------------

    def _show_rows(self) -> None:
        kind = self.kind()
        sql = kind in SQL_KINDS
        self.form.setRowVisible(self.path_row, kind == "sqlite" or kind in FILE_KINDS)
        self.form.setRowVisible(self.url_edit, kind == "url")
        self.form.setRowVisible(self.connection_row, kind == "connection")
        self.form.setRowVisible(self.connection_note, kind == "connection")
        self.form.setRowVisible(self.delimiter_edit, kind == "csv")
        self.form.setRowVisible(self.encoding_edit, kind == "csv")
        for widget in (self.table_combo, self.query_edit, self.params_label):
            self.form.setRowVisible(widget, sql)
        self.table_combo.setEnabled(self.table_radio.isChecked())
        self.query_edit.setEnabled(self.query_radio.isChecked())

    def _kind_changed(self) -> None:
        self._show_rows()
        self._url_changed(self.url_edit.text())
        self.connection_changed.emit()

    def _choice_changed(self) -> None:
        self._show_rows()
        self._query_text_changed()

    def _url_changed(self, text: str) -> None:
        problem = self.driver_problem()
        password = literal_password(text.strip()) if self.kind() == "url" else ""
        if problem:
            self.url_note.setText(problem)
            self.url_note.setStyleSheet(_ERROR)
        elif password:
            self.url_note.setText(PASSWORD_REFUSED)
            self.url_note.setStyleSheet(_ERROR)
        else:
            self.url_note.setText("")
        is_url = self.kind() == "url"
        shown = is_url or self.kind() == "connection"
        self.form.setRowVisible(self.url_note, shown and bool(self.url_note.text()))
        self.form.setRowVisible(self.password_row, is_url and bool(password))
        if is_url:
            self.connection_changed.emit()

    def _query_text_changed(self) -> None:
        if not self.uses_query():
            self.params_label.setText("")
        else:
            used = query_parameters(self.query_edit.toPlainText())
            unknown = self.unknown_parameters()
            parts = [
                f"<span style='{_ERROR}'><b>:{n}</b> is not a declared parameter</span>"
                if n in unknown
                else f":{n}"
                for n in used
            ]
            declared = ", ".join(self.parameters) or "none"
            note = (
                " — add it in Report ▸ Parameters first."
                if unknown
                else f" (declared parameters: {declared})"
            )
            self.params_label.setText(
                f"Parameters used: {', '.join(parts)}{note}"
                if used
                else f"No :parameters used (declared parameters: {declared})"
            )
        self.query_changed.emit()

    # -- files and passwords ------------------------------------------------------------------

    def ask_file(self, caption: str, file_filter: str) -> str:
        """The file the user picks ("" when cancelled); a hook tests replace."""
        start = str(self.base_dir) if self.base_dir is not None else ""
        name, _ = QFileDialog.getOpenFileName(self, caption, start, file_filter)
        return name

    def browse(self) -> None:
        """Pick the SQLite, CSV, JSON or Parquet file."""
        kind = self.kind()
        if kind == "url":
            return
        name = self.ask_file(f"Choose the {KINDS[kind]}", _FILE_FILTERS[kind])
        if name:
            self.path_edit.setText(stored_path(Path(name), self.base_dir))

    # -- named connections ------------------------------------------------------------------

    def reload_connections(self, keep: str | None = None) -> None:
        """Read the user's connections.toml again and offer its connections; `keep` (or the
        current pick) stays picked, shown as unknown when the file does not have it."""
        current = keep if keep is not None else self.connection()
        problem = ""
        try:
            self._connections = read_connections()
        except ReportError as exc:
            self._connections = {}
            problem = str(exc)
        names = sorted(self._connections)
        self.connection_combo.blockSignals(True)
        self.connection_combo.clear()
        for name in names:
            self.connection_combo.addItem(name, name)
        if current and current not in self._connections:
            self.connection_combo.addItem(f"{current} (not in your connections.toml)", current)
        if current:
            self.connection_combo.setCurrentIndex(self.connection_combo.findData(current))
        self.connection_combo.blockSignals(False)
        self._show_connection(problem)

    def _show_connection(self, problem: str = "") -> None:
        from engine.data.named import connections_file, hide_password

        name = self.connection()
        known = self._connections.get(name)
        if problem:
            text = problem
        elif known is not None:
            where = (
                f"password from ${known.password_env}"
                if known.password_env
                else "password from a file"
                if known.password_file
                else "no password"
            )
            text = f"{hide_password(known.url)} ({where}); kept in {connections_file()}"
        elif name:
            text = f"'{name}' is not in {connections_file()}: make it with New…"
        elif not self._connections:
            text = f"No named connections yet in {connections_file()}: make one with New…"
        else:
            text = ""
        self.connection_note.setText(text)
        self.connection_note.setStyleSheet(_ERROR if problem or (name and not known) else _NOTE)

    def _connection_picked(self) -> None:
        self._show_connection()
        problem = self.driver_problem()
        self.url_note.setText(problem)
        self.url_note.setStyleSheet(_ERROR)
        self.form.setRowVisible(self.url_note, self.kind() == "connection" and bool(problem))
        self.connection_changed.emit()

    def ask_connection(self, url: str, password: str) -> NamedConnection | None:
        """Run the New Connection dialog; the connection saved, or None when cancelled (a hook tests replace)."""
        dialog = ConnectionDialog(url=url, password=password, parent=self)
        return dialog.saved if dialog.exec() else None

    def new_connection(self, url: str = "", password: str = "") -> bool:
        """Make a named connection (saved in the user's file) and pick it."""
        made = self.ask_connection(url, password)
        if made is None:
            return False
        self.kind_combo.setCurrentIndex(list(KINDS).index("connection"))
        self.reload_connections(made.name)
        self._connection_picked()
        return True

    def connection_from_url(self) -> bool:
        """The URL typed with a password → a new named connection holding both (the password
        kept apart from it), picked instead of the URL."""
        url, password = split_password(self.url_edit.text().strip())
        if not self.new_connection(url, password):
            return False
        self.url_edit.clear()  # the password must not linger in the form either
        return True

    # -- tables --------------------------------------------------------------------------

    def set_tables(self, names: list[str]) -> None:
        """Offer these tables; the chosen one stays when it is among them."""
        current = self.table_combo.currentText()
        self.table_combo.blockSignals(True)
        self.table_combo.clear()
        self.table_combo.addItems(names)
        self.table_combo.setEditText(current if current else (names[0] if names else ""))
        if current in names:
            self.table_combo.setCurrentIndex(names.index(current))
        self.table_combo.blockSignals(False)
        if not current and names and self.table_radio.isChecked():
            self.query_changed.emit()

    def tables(self) -> list[str]:
        return [self.table_combo.itemText(i) for i in range(self.table_combo.count())]
