"""The Bands dialog: the report's bands in print order in, add, remove and reorder undo steps out."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.model import BAND_ORDER, BAND_TYPES, GROUP_BANDS, SINGLE_BANDS

from ..bands import band_caption, print_order
from ..commands import AddBandCommand, RemoveBandCommand, ReorderBandsCommand
from ..document import ElementRef, ReportDocument

#: the height a band the dialog adds starts with, in points
NEW_BAND_HEIGHT = 20.0


class BandsDialog(QDialog):
    """Lists the bands as they print; Add (a type, and a group for group bands), Remove, Move up/down.

    Moving only swaps bands of one type (and group), the only bands whose file order
    matters: several detail bands print in file order.
    """

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle("Bands")
        self.setObjectName("bandsDialog")
        self.setAccessibleName("Bands editor")
        self.list = QListWidget()
        self.list.setObjectName("bandsList")
        self.list.setAccessibleName("Bands in print order")
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("bandType")
        self.type_combo.setAccessibleName("Type of the band to add")
        for band_type in BAND_ORDER:
            self.type_combo.addItem(band_type.replace("_", " ").capitalize(), band_type)
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("bandGroup")
        self.group_combo.setAccessibleName("Group of the band to add")
        self.add_button = self._button("&Add", "Add band", self.add_band)
        self.remove_button = self._button("&Remove", "Remove band", self.remove_band)
        self.up_button = self._button("Move &Up", "Move band up", lambda: self.move(-1))
        self.down_button = self._button("Move Do&wn", "Move band down", lambda: self.move(1))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.accept)
        adding = QHBoxLayout()
        type_label = QLabel("&Type:")
        type_label.setBuddy(self.type_combo)
        group_label = QLabel("&Group:")
        group_label.setBuddy(self.group_combo)
        for widget in (type_label, self.type_combo, group_label, self.group_combo):
            adding.addWidget(widget)
        adding.addWidget(self.add_button)
        side = QVBoxLayout()
        for button in (self.remove_button, self.up_button, self.down_button):
            side.addWidget(button)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addLayout(adding)
        layout.addWidget(self.buttons)
        order = [
            self.list, self.remove_button, self.up_button, self.down_button,
            self.type_combo, self.group_combo, self.add_button, self.buttons,
        ]  # fmt: skip
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.list.currentRowChanged.connect(lambda *_: self._enable())
        document.report_changed.connect(self.refresh)
        self.resize(520, 420)
        self.refresh()

    def _button(self, text: str, accessible: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # -- showing -----------------------------------------------------------------------

    def refresh(self, *_: Any, select: ElementRef | None = None) -> None:
        """Refill the list in print order and update which types may be added."""
        doc = self.document
        current = select if select is not None else self.current_ref()
        self.list.blockSignals(True)
        self.list.clear()
        refs = doc.band_refs()
        for index in print_order(doc.report):
            band = doc.report.bands[index]
            item = QListWidgetItem(f"{band_caption(band)}   ({band.height:g} pt)")
            item.setData(Qt.ItemDataRole.UserRole, refs[index])
            self.list.addItem(item)
            if refs[index] == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        model = self.type_combo.model()
        assert isinstance(model, QStandardItemModel)
        present = {b.type for b in doc.report.bands}
        for row in range(self.type_combo.count()):
            band_type = self.type_combo.itemData(row)
            model.item(row).setEnabled(not (band_type in SINGLE_BANDS and band_type in present))
        self._type_changed()

    def current_ref(self) -> ElementRef | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def select_ref(self, ref: ElementRef) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == ref:
                self.list.setCurrentRow(row)

    def _type_changed(self, *_: Any) -> None:
        band_type = self.type_combo.currentData()
        self.group_combo.clear()
        if band_type in GROUP_BANDS:
            report = self.document.report
            free = [g.name for g in report.groups if not report.bands_of(band_type, g.name)]
            self.group_combo.addItems(free)
        self._enable()

    def can_add(self, band_type: str) -> bool:
        """Whether a band of this type may be added now (once-only types, groups left)."""
        report = self.document.report
        if band_type in SINGLE_BANDS and report.bands_of(band_type):
            return False
        return band_type not in GROUP_BANDS or self.group_combo.count() > 0

    def _enable(self) -> None:
        band_type = self.type_combo.currentData()
        self.group_combo.setEnabled(band_type in GROUP_BANDS)
        self.add_button.setEnabled(self.can_add(band_type))
        ref = self.current_ref()
        self.remove_button.setEnabled(ref is not None)
        self.up_button.setEnabled(self._neighbour(-1) is not None)
        self.down_button.setEnabled(self._neighbour(1) is not None)

    # -- changing ------------------------------------------------------------------------

    def add_band(self) -> ElementRef | None:
        """Add an empty band of the chosen type (and group); returns its ref."""
        band_type = self.type_combo.currentData()
        if not self.can_add(band_type):
            return None
        data: dict[str, Any] = {"type": band_type, "height": NEW_BAND_HEIGHT}
        if band_type in GROUP_BANDS:
            data["group"] = self.group_combo.currentText()
        command = AddBandCommand(self.document, BAND_TYPES[band_type].model_validate(data))
        self.document.push(command)
        self.select_ref(command.ref)
        return command.ref

    def remove_band(self) -> bool:
        """Remove the selected band with its elements."""
        ref = self.current_ref()
        if ref is None:
            return False
        self.document.push(RemoveBandCommand(self.document, ref))
        return True

    def _neighbour(self, delta: int) -> ElementRef | None:
        """The band of the same type and group next to the selected one in print order."""
        row = self.list.currentRow()
        other = row + delta
        if row < 0 or not 0 <= other < self.list.count():
            return None
        doc = self.document
        a = doc.band(self.list.item(row).data(Qt.ItemDataRole.UserRole))
        ref = self.list.item(other).data(Qt.ItemDataRole.UserRole)
        b = doc.band(ref)
        same = a.type == b.type and getattr(a, "group", None) == getattr(b, "group", None)
        return ref if same else None

    def move(self, delta: int) -> bool:
        """Swap the selected band with its neighbour of the same type, up (-1) or down (1)."""
        ref, other = self.current_ref(), self._neighbour(delta)
        if ref is None or other is None:
            return False
        order = list(self.document.band_refs())
        i, j = order.index(ref), order.index(other)
        order[i], order[j] = order[j], order[i]
        caption = band_caption(self.document.band(ref)).lower()
        self.document.push(ReorderBandsCommand(self.document, order, f"Move {caption} band"))
        self.select_ref(ref)
        return True
