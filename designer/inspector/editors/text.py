"""The text editor: a line edit that commits on every keystroke (the undo step merges them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from ..descriptors import PropertyDescriptor
from .base import PropertyEditor, editor_for


@editor_for("text")
class TextEditor(PropertyEditor):
    """Plain text; an empty optional text means "not set" (None)."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.line = QLineEdit(self)
        if descriptor.optional:
            self.line.setPlaceholderText("(not set)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        self.line.textEdited.connect(self._edited)

    def _from_text(self, text: str) -> Any:
        return None if self.descriptor.optional and text == "" else text

    def _edited(self, text: str) -> None:
        self.commit(self._from_text(text))

    def _shown_matches(self, value: Any) -> bool:
        return self._from_text(self.line.text()) == value

    def show_value(self, value: Any) -> None:
        self.line.blockSignals(True)
        self.line.setText("" if value is None else str(value))
        self.line.blockSignals(False)
