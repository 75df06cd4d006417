"""The number editor: a line edit that commits every valid number within the field's limits."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from ..descriptors import PropertyDescriptor
from .base import PropertyEditor, editor_for


def _format(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


@editor_for("number", "int")
class NumberEditor(PropertyEditor):
    """Points, sizes and counts; empty means "not set" for optional fields."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.line = QLineEdit(self)
        if descriptor.optional:
            self.line.setPlaceholderText("(inherit)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        self.line.textEdited.connect(self._edited)

    def parse(self, text: str) -> tuple[bool, Any]:
        """(valid, value) of the text typed."""
        text = text.strip()
        if text == "":
            return self.descriptor.optional, None
        try:
            number: float | int = int(text) if self.descriptor.kind == "int" else float(text)
        except ValueError:
            return False, None
        return self.descriptor.accepts(number), number

    def _edited(self, text: str) -> None:
        valid, value = self.parse(text)
        if not valid:
            self.set_error(f"not a valid {self.descriptor.label.lower()}")
            return
        self.set_error("")
        self.commit(value)

    def _shown_matches(self, value: Any) -> bool:
        valid, shown = self.parse(self.line.text())
        return valid and shown == value

    def show_value(self, value: Any) -> None:
        self.line.blockSignals(True)
        self.line.setText("" if value is None else _format(value))
        self.line.blockSignals(False)
