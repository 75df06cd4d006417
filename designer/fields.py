"""The fields pane: the data source's fields with their types, the parameters and variables, to drag onto bands.

The fields shown on open are the ones the report file declares: reading them from the
data source is the user's action (Refresh Fields), asked for through `refresh_requested`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDrag
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from .document import ReportDocument
from .palette import FIELD_MIME

#: item role holding what a drag carries: a field name or ``=params.X`` / ``=vars.X``
SOURCE_ROLE = Qt.ItemDataRole.UserRole
#: item role marking a note that reads the fields when activated (double-click, Enter)
_REFRESH_ROLE = Qt.ItemDataRole.UserRole + 1
_ERROR_BRUSH = QBrush(QColor("#b91c1c"))
_NOTE_BRUSH = QBrush(QColor("#64748b"))
#: shown while a data source's fields are unknown (the file declares none, nothing read yet)
REFRESH_HINT = "Refresh fields to read them from the data source"


def field_mime(source: str) -> QMimeData:
    """The drag payload that makes the canvas create a field (or expression) element."""
    mime = QMimeData()
    mime.setData(FIELD_MIME, source.encode("utf-8"))
    mime.setText(source.lstrip("="))
    return mime


class FieldsTree(QTreeWidget):
    """Fields, parameters and variables of the document; entries drag out with FIELD_MIME."""

    #: the user asked to read the fields from the data source (the hint, or the context menu)
    refresh_requested = Signal()

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldsTree")
        self.document = document
        self.setColumnCount(2)
        self.setHeaderLabels(["Name", "Type"])
        self.setRootIsDecorated(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.fields_item = QTreeWidgetItem(self, ["Fields"])
        self.params_item = QTreeWidgetItem(self, ["Parameters"])
        self.vars_item = QTreeWidgetItem(self, ["Variables"])
        for item in (self.fields_item, self.params_item, self.vars_item):
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.itemActivated.connect(self._activated)
        document.fields_changed.connect(self._show_fields)
        document.report_changed.connect(self._show_names)
        self._show_fields(document.fields, document.fields_error)
        self._show_names()
        self.expandAll()
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def _entry(self, parent: QTreeWidgetItem, name: str, kind: str, source: str) -> None:
        item = QTreeWidgetItem(parent, [name, kind])
        item.setData(0, SOURCE_ROLE, source)
        item.setToolTip(0, f"Drag onto a band to print {source.lstrip('=')}")
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def _note(self, text: str, error: bool = False, *, refresh: bool = False) -> None:
        item = QTreeWidgetItem(self.fields_item, [text])
        if refresh:
            item.setData(0, _REFRESH_ROLE, True)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setForeground(0, _ERROR_BRUSH if error else _NOTE_BRUSH)
        item.setToolTip(0, text)
        item.setFirstColumnSpanned(True)

    def _show_fields(self, fields: list[Any], error: str) -> None:
        self.fields_item.takeChildren()
        if self.document.fields_loading:
            self._note("loading…")
        elif error:
            self._note(error, error=True, refresh=True)
        elif not fields:
            if self.document.report.data_source is None:
                self._note("no data source")
            else:
                self._note(REFRESH_HINT, refresh=True)
        for field in fields:
            self._entry(self.fields_item, field.name, field.type, field.name)
        self.fields_item.setExpanded(True)

    def _show_names(self, *_: Any) -> None:
        report = self.document.report
        self.params_item.takeChildren()
        for param in report.parameters:
            self._entry(
                self.params_item, f"params.{param.name}", param.type, f"=params.{param.name}"
            )
        self.vars_item.takeChildren()
        for var in report.variables:
            self._entry(self.vars_item, f"vars.{var.name}", var.calculation, f"=vars.{var.name}")
        self.params_item.setExpanded(True)
        self.vars_item.setExpanded(True)

    def _activated(self, item: QTreeWidgetItem, column: int) -> None:
        del column
        if item.data(0, _REFRESH_ROLE):
            self.refresh_requested.emit()

    def _context_menu(self, pos: QPoint) -> None:
        if self.document.report.data_source is None:
            return
        menu = QMenu(self)
        menu.addAction("Refresh &Fields", self.refresh_requested.emit)
        menu.exec(self.viewport().mapToGlobal(pos))

    def entries(self) -> dict[str, str]:
        """Shown name → its type column, for every draggable entry."""
        found = {}
        for top in (self.fields_item, self.params_item, self.vars_item):
            for i in range(top.childCount()):
                child = top.child(i)
                if child.data(0, SOURCE_ROLE):
                    found[child.text(0)] = child.text(1)
        return found

    def notes(self) -> list[str]:
        """The messages shown instead of fields (loading…, an error)."""
        return [
            self.fields_item.child(i).text(0)
            for i in range(self.fields_item.childCount())
            if not self.fields_item.child(i).data(0, SOURCE_ROLE)
        ]

    def mimeTypes(self) -> list[str]:
        return [FIELD_MIME]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:
        sources = [i.data(0, SOURCE_ROLE) for i in items if i.data(0, SOURCE_ROLE)]
        return field_mime(sources[0]) if sources else QMimeData()

    def startDrag(self, supported_actions: Qt.DropAction) -> None:
        item = self.currentItem()
        source = item.data(0, SOURCE_ROLE) if item is not None else None
        if not source:
            return
        drag = QDrag(self)
        drag.setMimeData(field_mime(source))
        drag.exec(Qt.DropAction.CopyAction)
