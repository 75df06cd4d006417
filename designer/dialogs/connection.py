"""The New Connection dialog: a name, a URL without password and where the password is kept in; a named connection saved in the user's connections.toml out.

The password never goes into a report: it is kept in a file only the user can read
(`passwords/NAME` beside connections.toml, mode 0600), or read from an environment
variable the user names, or there is none.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from engine.data.named import (
    NamedConnection,
    connections_file,
    read_connections,
    save_connection,
    split_password,
    store_password,
)
from engine.errors import ReportError
from engine.model.data import CONNECTION_NAME_PATTERN

_ERROR = "color: #b91c1c;"
_NOTE = "color: #475569;"
_NAME_RE = re.compile(CONNECTION_NAME_PATTERN)
_VARIABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: password modes, in the order of the radio buttons
MODES = ("file", "env", "none")


class ConnectionDialog(QDialog):
    """Makes one named connection; `saved` holds it after OK (None before, or when cancelled)."""

    def __init__(self, url: str = "", password: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Named Connection")
        self.setObjectName("connectionDialog")
        self.saved: NamedConnection | None = None
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("connectionName")
        self.name_edit.setAccessibleName("Connection name")
        self.name_edit.setPlaceholderText("sales")
        self.url_edit = QLineEdit(url)
        self.url_edit.setObjectName("connectionUrl")
        self.url_edit.setAccessibleName("Connection URL")
        self.url_edit.setPlaceholderText("postgresql+psycopg://report_ro@db.example.com/sales")
        self.file_radio = QRadioButton("Keep it in a private &file (only you can read it)")
        self.file_radio.setObjectName("passwordFileRadio")
        self.env_radio = QRadioButton("Read it from an &environment variable")
        self.env_radio.setObjectName("passwordEnvRadio")
        self.none_radio = QRadioButton("No pass&word")
        self.none_radio.setObjectName("noPasswordRadio")
        self._modes = QButtonGroup(self)
        for button in (self.file_radio, self.env_radio, self.none_radio):
            self._modes.addButton(button)
            button.toggled.connect(self._show)
        self.password_edit = QLineEdit(password)
        self.password_edit.setObjectName("connectionPassword")
        self.password_edit.setAccessibleName("Password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.variable_edit = QLineEdit()
        self.variable_edit.setObjectName("passwordVariable")
        self.variable_edit.setAccessibleName("Environment variable")
        self.variable_edit.setPlaceholderText("SALES_DB_PASSWORD")
        self.where_label = QLabel(f"Saved in {connections_file()}")
        self.where_label.setObjectName("whereLabel")
        self.where_label.setWordWrap(True)
        self.where_label.setStyleSheet(_NOTE)
        self.error_label = QLabel("")
        self.error_label.setObjectName("connectionError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.form.addRow("&Name:", self.name_edit)
        self.form.addRow("&URL:", self.url_edit)
        self.form.addRow("The password:", self.file_radio)
        self.form.addRow("", self.env_radio)
        self.form.addRow("", self.none_radio)
        self.form.addRow("&Password:", self.password_edit)
        self.form.addRow("&Variable:", self.variable_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.where_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        (self.file_radio if password or not url else self.none_radio).setChecked(True)
        self.resize(560, 0)
        self._show()

    def mode(self) -> str:
        """Where the password comes from: `file`, `env` or `none`."""
        if self.file_radio.isChecked():
            return "file"
        return "env" if self.env_radio.isChecked() else "none"

    def _show(self) -> None:
        self.form.setRowVisible(self.password_edit, self.mode() == "file")
        self.form.setRowVisible(self.variable_edit, self.mode() == "env")

    def connection(self) -> NamedConnection:
        """The connection the fields describe, before anything is written.

        Raises:
            ValueError: what is missing or wrong, for a person.
        """
        name = self.name_edit.text().strip()
        url = self.url_edit.text().strip()
        if not name:
            raise ValueError("give the connection a name, e.g. sales")
        if not _NAME_RE.match(name):
            raise ValueError(
                f"'{name}' cannot be a connection name: start with a letter or _, then letters, "
                "digits, _ . -"
            )
        if not url:
            raise ValueError("type the database URL, e.g. postgresql://user@host/database")
        if split_password(url)[1]:
            raise ValueError(
                "remove the password from the URL and type it in the Password field below"
            )
        try:
            known = read_connections()
        except ReportError as exc:
            raise ValueError(str(exc)) from exc
        if name in known:
            raise ValueError(f"there is a connection called {name} already: pick another name")
        mode = self.mode()
        if mode == "file" and not self.password_edit.text():
            raise ValueError("type the password, or choose No password")
        variable = self.variable_edit.text().strip()
        if mode == "env" and not _VARIABLE_RE.match(variable):
            raise ValueError(
                "name the environment variable: letters, digits and _, e.g. DB_PASSWORD"
            )
        return NamedConnection(name, url, password_env=variable if mode == "env" else None)

    def save(self) -> bool:
        """Write the password file (when chosen) and the connection; False, with the reason shown, when not possible."""
        try:
            made = self.connection()
            if self.mode() == "file":
                path = store_password(made.name, self.password_edit.text())
                made = NamedConnection(made.name, made.url, password_file=str(path))
            save_connection(made)
        except (ValueError, ReportError) as exc:
            self.error_label.setText(str(exc))
            return False
        self.password_edit.clear()
        self.saved = made
        return True

    def accept(self) -> None:
        if self.save():
            super().accept()
