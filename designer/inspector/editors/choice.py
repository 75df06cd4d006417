"""The enum editor: a combo box of the field's choices, with "(inherit)" first for optional ones."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from engine.model import STYLE_KEYS

from ..descriptors import PropertyDescriptor
from .base import PropertyEditor, editor_for

_NONE_TEXT = "(inherit)"


@editor_for("enum")
class ChoiceEditor(PropertyEditor):
    """One of a fixed list of values."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.combo = QComboBox(self)
        if descriptor.optional:
            # a style key inherits when not set; any other optional choice is simply none
            none_text = _NONE_TEXT if descriptor.path in STYLE_KEYS else "(none)"
            self.combo.addItem(none_text, None)
        for choice in descriptor.choices:
            self.combo.addItem(choice, choice)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.combo.currentIndexChanged.connect(self._picked)

    def _picked(self, index: int) -> None:
        self.commit(self.combo.itemData(index))

    def show_value(self, value: Any) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))
        self.combo.blockSignals(False)
