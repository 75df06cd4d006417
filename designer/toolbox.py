"""The toolbox pane: one entry per element type, dragged onto a band with the palette's mime type."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from .palette import ELEMENT_MIME, PALETTE

_TYPE_ROLE = Qt.ItemDataRole.UserRole


def element_mime(element_type: str) -> QMimeData:
    """The drag payload that makes the canvas create an element of a type."""
    mime = QMimeData()
    mime.setData(ELEMENT_MIME, element_type.encode("utf-8"))
    mime.setText(element_type)
    return mime


class ToolboxList(QListWidget):
    """The element types; dragging one out starts a QDrag carrying ELEMENT_MIME."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolboxList")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for entry in PALETTE:
            item = QListWidgetItem(entry.caption, self)
            item.setData(_TYPE_ROLE, entry.type)
            item.setToolTip(entry.tooltip)

    def element_types(self) -> list[str]:
        return [self.item(i).data(_TYPE_ROLE) for i in range(self.count())]

    def mimeTypes(self) -> list[str]:
        return [ELEMENT_MIME]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        return element_mime(items[0].data(_TYPE_ROLE)) if items else QMimeData()

    def startDrag(self, supported_actions: Qt.DropAction) -> None:
        item = self.currentItem()
        if item is None:
            return
        drag = QDrag(self)
        drag.setMimeData(element_mime(item.data(_TYPE_ROLE)))
        drag.exec(Qt.DropAction.CopyAction)
