"""The scope editor: the rows an aggregate or chart covers, ``report``, ``page`` or ``group:NAME`` of the report's groups."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from ..descriptors import PropertyDescriptor
from .base import EditorContext, PropertyEditor, editor_for

_FIXED = (("Whole report", "report"), ("Page", "page"))


def scope_choices(groups: tuple[str, ...]) -> list[tuple[str, str]]:
    """(text, value) of every scope a report with these groups offers."""
    return [*_FIXED, *((f"Group: {g}", f"group:{g}") for g in groups)]


@editor_for("scope")
class ScopeEditor(PropertyEditor):
    """A scope picked from a list that follows the report's groups; a group that is gone stays, marked."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.groups: tuple[str, ...] = ()
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(descriptor.label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(self._picked)
        self._fill(None)

    def set_context(self, context: EditorContext) -> None:
        if context.groups != self.groups:
            self.groups = context.groups
            self._fill(self.value())

    def _fill(self, current: str | None) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        if self.descriptor.optional:
            self.combo.addItem("(none)", None)
        for text, value in scope_choices(self.groups):
            self.combo.addItem(text, value)
        if current is not None and self.combo.findData(current) < 0:
            self.combo.addItem(f"{current} (missing group)", current)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.blockSignals(False)

    def _picked(self, index: int) -> None:
        self.commit(self.combo.itemData(index))

    def choices(self) -> list[str]:
        """The scope values offered (tests)."""
        return [self.combo.itemData(i) for i in range(self.combo.count())]

    def pick(self, scope: str) -> None:
        """Choose a scope as the user would in the list."""
        self.combo.setCurrentIndex(self.combo.findData(scope))

    def _shown_matches(self, value: Any) -> bool:
        return self.combo.currentData() == value

    def show_value(self, value: Any) -> None:
        self._fill(value)
