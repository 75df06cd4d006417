"""The font family editor: the installed and bundled families in an editable combo, "(inherit)" first."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QWidget

from ...widgets import FontFamilyCombo
from ..descriptors import PropertyDescriptor
from .base import PropertyEditor, editor_for


@editor_for("font")
class FontEditor(PropertyEditor):
    """A font family: picked from the list, or typed (committed when the line is left); None inherits."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.combo = FontFamilyCombo(editable=True, parent=self)
        self.combo.setAccessibleName(descriptor.label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.combo.family_chosen.connect(self._chosen)

    def _chosen(self, family: Any) -> None:
        if family is None and not self.descriptor.optional:
            self.set_error("a font family is required")
            return
        self.set_error("")
        self.commit(family)

    def _shown_matches(self, value: Any) -> bool:
        return self.combo.family() == value

    def show_value(self, value: Any) -> None:
        self.combo.set_family(value)
