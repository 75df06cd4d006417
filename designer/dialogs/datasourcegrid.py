"""The data source dialog's grid: fields and the first rows in, a read-only QAbstractTableModel out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

_NULL_COLOUR = QColor("#94a3b8")
_NUMBER_TYPES = frozenset({"integer", "decimal", "float"})
Index = QModelIndex | QPersistentModelIndex


def cell_text(value: Any) -> str:
    """How the grid shows one value: ISO dates, exact decimals, `NULL` for none."""
    if value is None:
        return "NULL"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


class RowsModel(QAbstractTableModel):
    """Rows of a source for a QTableView: one column per field, its type under its name in the header."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[Any] = []
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, fields: Sequence[Any], rows: Sequence[dict[str, Any]]) -> None:
        """Show these fields (FieldInfo) and rows instead."""
        self.beginResetModel()
        self.fields = list(fields)
        self.rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([], [])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        field = self.fields[index.column()]
        value = self.rows[index.row()].get(field.name)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(value)
        if role == Qt.ItemDataRole.ForegroundRole and value is None:
            return _NULL_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and field.type in _NUMBER_TYPES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        field = self.fields[section]
        return f"{field.name}\n{field.type}"
