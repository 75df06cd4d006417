"""The parameters editor: a small table of a subreport's parameter names and the expressions that fill them."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.expr import check_expression

from ..descriptors import PropertyDescriptor
from .base import EditorContext, PropertyEditor, editor_for

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NAME, EXPRESSION = 0, 1


def new_parameter_name(taken: set[str]) -> str:
    """``param1``, ``param2``, … the first not taken."""
    n = 1
    while f"param{n}" in taken:
        n += 1
    return f"param{n}"


@editor_for("parameters")
class ParametersEditor(PropertyEditor):
    """Name → expression rows, checked on every edit and committed as a whole table.

    Names are unique identifiers, expressions are checked against the report's names;
    adding and removing a row are one undo step each, typing in one cell merges.
    """

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.context = EditorContext()
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Name", "Expression"])
        self.table.setAccessibleName(descriptor.label)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(EXPRESSION, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMaximumHeight(120)
        self.add_button = QPushButton("Add", self)
        self.remove_button = QPushButton("Remove", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.itemChanged.connect(self._cell_edited)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)

    def set_context(self, context: EditorContext) -> None:
        self.context = context

    def rows(self) -> list[tuple[str, str]]:
        """(name, expression) of every row shown."""
        return [
            (self._text(row, NAME), self._text(row, EXPRESSION))
            for row in range(self.table.rowCount())
        ]

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def problems(self, rows: list[tuple[str, str]]) -> list[str]:
        """What is wrong with the rows ([] when they can be committed)."""
        found: list[str] = []
        seen: set[str] = set()
        for name, expression in rows:
            if not _IDENTIFIER.match(name):
                found.append(
                    f"{name or '(empty)'!s}: a parameter name is a letter or _ then letters, digits, _"
                )
            elif name in seen:
                found.append(f"{name}: the name is given twice")
            seen.add(name)
            if not expression:
                found.append(f"{name}: an expression is required")
            else:
                found.extend(
                    f"{name}: {p}" for p in check_expression(expression, self.context.names)
                )
        return found

    def _commit_rows(self, part: str | None) -> None:
        rows = self.rows()
        problems = self.problems(rows)
        if problems:
            self.set_error("\n".join(problems))
            return
        self.set_error("")
        self.part = part
        self.commit(dict(rows))

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        self._commit_rows(f"{item.row()}:{item.column()}")

    def add_row(self) -> None:
        """Add a parameter (a free name, the expression None) and commit it."""
        name = new_parameter_name({n for n, _ in self.rows()})
        self._append(name, "None")
        self.table.setCurrentCell(self.table.rowCount() - 1, NAME)
        self._commit_rows(None)

    def remove_row(self, row: int | None = None) -> None:
        """Remove a parameter (the current row by default) and commit the rest."""
        row = self.table.currentRow() if row is None else row
        if not 0 <= row < self.table.rowCount():
            return
        self.table.removeRow(row)
        self._commit_rows(None)

    def set_cell(self, row: int, column: int, text: str) -> None:
        """Type into a cell as the user would (tests)."""
        self.table.item(row, column).setText(text)

    def _append(self, name: str, expression: str) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        self.table.setItem(row, EXPRESSION, QTableWidgetItem(expression))
        self.table.blockSignals(False)

    def set_error(self, message: str) -> None:
        super().set_error(message)
        self.table.setToolTip(message)
        self.table.setStyleSheet("QTableWidget { border: 1.5px solid #dc2626; }" if message else "")

    def _shown_matches(self, value: Any) -> bool:
        return dict(self.rows()) == (value or {}) and not self.problems(self.rows())

    def show_value(self, value: Any) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.table.blockSignals(False)
        for name, expression in (value or {}).items():
            self._append(name, expression)
