"""The length editor: a length in points shown and typed in the user's unit (mm, in, pt) with its suffix."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QWidget

from ...widgets import LengthField
from ..descriptors import PropertyDescriptor
from .base import EditorContext, PropertyEditor, editor_for


@editor_for("length")
class LengthEditor(PropertyEditor):
    """Positions, sizes, paddings and margins: stored in points (3 decimals), edited in the user's unit."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.field = LengthField("pt", descriptor.optional, self)
        self.line = self.field.line
        self.line.setAccessibleName(descriptor.label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        self.setFocusProxy(self.field)
        self.field.edited.connect(self._edited)
        self.field.invalid.connect(self._invalid)

    @property
    def unit(self) -> str:
        return self.field.unit

    def set_context(self, context: EditorContext) -> None:
        if context.unit != self.field.unit:
            self.field.set_unit(context.unit)
            self.field.set_points(self.value())

    def parse(self, text: str) -> tuple[bool, Any]:
        """(valid, points) of a text typed in the editor's unit, within the field's limits."""
        valid, points = self.field.parse(text)
        if valid and points is not None and not self.descriptor.accepts(points):
            return False, points
        return valid, points

    def _invalid(self, _text: str) -> None:
        self.set_error(f"not a valid {self.descriptor.label.lower()} in {self.unit}")

    def _edited(self, points: Any) -> None:
        if points is not None and not self.descriptor.accepts(points):
            self.set_error(f"{self.descriptor.label} is out of range")
            return
        self.set_error("")
        self.commit(points)

    def _shown_matches(self, value: Any) -> bool:
        valid, shown = self.field.points()
        return valid and shown == value

    def show_value(self, value: Any) -> None:
        self.field.set_points(value)
