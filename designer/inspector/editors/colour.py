"""The colour editor: the shared colour field (a swatch opening QColorDialog beside `#rrggbb` text) as a property."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QWidget

from ...widgets import ColourField
from ...widgets.colourfield import HINT
from ..descriptors import PropertyDescriptor
from .base import PropertyEditor, editor_for


@editor_for("colour")
class ColourEditor(PropertyEditor):
    """A colour as `#rgb`/`#rrggbb` text or picked in a dialog; empty means "not set"."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.field = ColourField(descriptor.optional, descriptor.label, self)
        self.swatch = self.field.swatch
        self.line = self.field.line
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        self.setFocusProxy(self.field)
        self.field.edited.connect(self._edited)
        self.field.invalid.connect(lambda _text: self.set_error(HINT))

    def _edited(self, value: Any) -> None:
        self.set_error("")
        self.commit(value)

    def pick(self) -> None:
        """Choose a colour in QColorDialog and commit it."""
        self.field.pick()

    def _shown_matches(self, value: Any) -> bool:
        valid, shown = self.field.colour()
        return valid and shown == value

    def show_value(self, value: Any) -> None:
        self.field.set_colour(value)
