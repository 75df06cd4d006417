"""The boolean editor: a check box, tri-state for optional flags (partly checked = inherit)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from ..descriptors import PropertyDescriptor
from .base import PropertyEditor, editor_for

_STATES = {
    True: Qt.CheckState.Checked,
    False: Qt.CheckState.Unchecked,
    None: Qt.CheckState.PartiallyChecked,
}


@editor_for("bool")
class BoolEditor(PropertyEditor):
    """On, off, or (optional flags) inherited from the style."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.box = QCheckBox(self)
        self.box.setTristate(descriptor.optional)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        self.box.checkStateChanged.connect(self._toggled)

    def _toggled(self, state: Qt.CheckState) -> None:
        value = {Qt.CheckState.Checked: True, Qt.CheckState.Unchecked: False}.get(state)
        self.box.setText("(inherit)" if value is None else "")
        self.commit(value)

    def show_value(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setCheckState(_STATES[value if value is None else bool(value)])
        self.box.setText("(inherit)" if value is None else "")
        self.box.blockSignals(False)
