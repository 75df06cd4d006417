"""The presence editor: a switch that removes an optional nested model (a box's outline) or restores its defaults."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from ..descriptors import PropertyDescriptor
from .base import PropertyEditor, editor_for

#: what "not present" means for a field, said the way the user thinks of it
ABSENT_TEXT = {"stroke": "No outline"}


@editor_for("presence")
class PresenceEditor(PropertyEditor):
    """Checked: the nested model is absent (``stroke: null``); unchecked: it is there, with its defaults."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.part = None  # each switch is an undo step of its own, never merged
        name = descriptor.path.rsplit(".", 1)[-1]
        self.box = QCheckBox(ABSENT_TEXT.get(name, "None"), self)
        self.box.setAccessibleName(f"{descriptor.label}: {self.box.text()}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        self.setFocusProxy(self.box)
        self.box.checkStateChanged.connect(self._toggled)

    def _toggled(self, state: Qt.CheckState) -> None:
        absent = state == Qt.CheckState.Checked
        if absent:
            self.commit(None)
        elif self.value() is None and self.descriptor.model is not None:
            self.commit(self.descriptor.model())

    def _shown_matches(self, value: Any) -> bool:
        return self.box.isChecked() == (value is None)

    def show_value(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(value is None)
        self.box.blockSignals(False)
