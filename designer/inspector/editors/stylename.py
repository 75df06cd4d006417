"""The style name editor: a combo of the report's named styles with "(none)" first."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from ..descriptors import PropertyDescriptor
from .base import EditorContext, PropertyEditor, editor_for

_NONE_TEXT = "(none)"


@editor_for("style")
class StyleNameEditor(PropertyEditor):
    """The named style an element uses; the list follows the report's styles as they change."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.styles: tuple[str, ...] = ()
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(descriptor.label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(self._picked)
        self._fill(None)

    def set_context(self, context: EditorContext) -> None:
        if context.styles != self.styles:
            self.styles = context.styles
            self._fill(self.value())

    def _fill(self, current: str | None) -> None:
        """The items: (none), the styles, and a name the report refers to that no style has."""
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(_NONE_TEXT, None)
        for name in self.styles:
            self.combo.addItem(name, name)
        if current is not None and current not in self.styles:
            self.combo.addItem(f"{current} (missing)", current)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.blockSignals(False)

    def _picked(self, index: int) -> None:
        self.commit(self.combo.itemData(index))

    def names(self) -> list[str]:
        """The style names offered (tests)."""
        return [self.combo.itemText(i) for i in range(self.combo.count())]

    def _shown_matches(self, value: Any) -> bool:
        return self.combo.currentData() == value

    def show_value(self, value: Any) -> None:
        self._fill(value)
