"""The outline pane: a tree of bands (in print order) and their elements, synced with the selection."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from .bands import band_caption, print_order
from .document import ElementRef, ReportDocument

_REF_ROLE = Qt.ItemDataRole.UserRole


def element_caption(element: Any) -> str:
    """``label "Invoices by Country"``, ``field [Total]``, ``line``."""
    detail = {
        "label": lambda e: f'"{e.text}"',
        "field": lambda e: f"[{e.field}]",
        "expression": lambda e: e.expression,
        "aggregate": lambda e: f"{e.calculation}({e.expression})",
    }.get(element.type)
    text = element.type.replace("_", " ")
    if element.name:
        text += f" {element.name}"
    if detail is not None:
        summary = detail(element)
        text += f" {summary[:40]}{'…' if len(summary) > 40 else ''}"
    return text


class OutlineTree(QTreeWidget):
    """Bands and elements; selecting here selects in the document and the other way round."""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlineTree")
        self.document = document
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._items: dict[ElementRef, QTreeWidgetItem] = {}
        self._syncing = False
        document.report_changed.connect(self.rebuild)
        document.selection_changed.connect(self.sync_selection)
        self.itemSelectionChanged.connect(self._tree_selection_changed)
        self.rebuild()

    def rebuild(self, *_: Any) -> None:
        """Refill the tree from the document."""
        doc = self.document
        self._syncing = True
        try:
            self.clear()
            self._items = {}
            for index in print_order(doc.report):
                band_ref = doc.band_refs()[index]
                band = doc.report.bands[index]
                band_item = QTreeWidgetItem(self, [band_caption(band)])
                band_item.setData(0, _REF_ROLE, band_ref)
                self._items[band_ref] = band_item
                for ref, element in zip(doc.element_refs(band_ref), band.elements, strict=True):
                    item = QTreeWidgetItem(band_item, [element_caption(element)])
                    item.setData(0, _REF_ROLE, ref)
                    self._items[ref] = item
            if doc.report.groups:
                groups = QTreeWidgetItem(self, ["Groups"])
                groups.setFlags(groups.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                for level, group in enumerate(doc.report.groups):
                    caption = f"{'  ' * level}{group.name}: {group.expression}"
                    child = QTreeWidgetItem(groups, [caption])
                    child.setFlags(child.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.expandAll()
        finally:
            self._syncing = False
        self.sync_selection(doc.selection)

    def sync_selection(self, refs: list[ElementRef]) -> None:
        self._syncing = True
        try:
            wanted = set(refs)
            for ref, item in self._items.items():
                item.setSelected(ref in wanted)
        finally:
            self._syncing = False

    def _tree_selection_changed(self) -> None:
        if self._syncing:
            return
        refs = [
            r for r in (item.data(0, _REF_ROLE) for item in self.selectedItems()) if r is not None
        ]
        elements = [r for r in refs if not self.document.is_band(r)]
        self.document.set_selection(elements or refs[:1])
