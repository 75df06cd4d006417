"""A combo editor whose choices come from the report (its styles, its groups): the shared base of such editors."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from ..descriptors import PropertyDescriptor
from .base import EditorContext, PropertyEditor


class ListedChoiceEditor(PropertyEditor):
    """Choices that follow the report; a value the report no longer offers stays, marked as missing.

    Subclasses say which part of the editor context the choices come from (`source`), what
    they are (`items`) and how a missing value reads (`missing`).
    """

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.known: tuple[str, ...] = ()
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(descriptor.label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(self._picked)
        self._fill(None)

    def source(self, context: EditorContext) -> tuple[str, ...]:
        """The report's names the choices are made of."""
        raise NotImplementedError

    def items(self) -> list[tuple[str, Any]]:
        """(text, value) of every choice, in order."""
        raise NotImplementedError

    def missing(self, value: Any) -> str:
        """How a value that is not among the choices is shown."""
        return f"{value} (missing)"

    def set_context(self, context: EditorContext) -> None:
        names = self.source(context)
        if names != self.known:
            self.known = names
            self._fill(self.value())

    def _fill(self, current: Any) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for text, value in self.items():
            self.combo.addItem(text, value)
        if current is not None and self.combo.findData(current) < 0:
            self.combo.addItem(self.missing(current), current)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.blockSignals(False)

    def _picked(self, index: int) -> None:
        self.commit(self.combo.itemData(index))

    def _shown_matches(self, value: Any) -> bool:
        return self.combo.currentData() == value

    def show_value(self, value: Any) -> None:
        self._fill(value)
