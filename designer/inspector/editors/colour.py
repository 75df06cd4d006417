"""The colour editor: a swatch button opening QColorDialog beside the `#rrggbb` text."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QHBoxLayout, QLineEdit, QToolButton, QWidget

from ..descriptors import PropertyDescriptor
from .base import PropertyEditor, editor_for

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


@editor_for("colour")
class ColourEditor(PropertyEditor):
    """A colour as `#rgb`/`#rrggbb` text or picked in a dialog; empty means "not set"."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.swatch = QToolButton(self)
        self.swatch.setFixedWidth(24)
        self.swatch.setToolTip("Pick a colour")
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("(inherit)" if descriptor.optional else "#000000")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.swatch)
        layout.addWidget(self.line, 1)
        self.line.textEdited.connect(self._edited)
        self.swatch.clicked.connect(self.pick)

    def _parse(self, text: str) -> tuple[bool, Any]:
        text = text.strip()
        if text == "":
            return self.descriptor.optional, None
        return bool(_HEX.match(text)), text

    def _edited(self, text: str) -> None:
        valid, value = self._parse(text)
        if not valid:
            self.set_error("write a colour as #rgb or #rrggbb")
            return
        self.set_error("")
        self._paint_swatch(value)
        self.commit(value)

    def pick(self) -> None:
        """Choose a colour in QColorDialog and commit it."""
        start = QColor(self.value() or "#000000")
        chosen = QColorDialog.getColor(start, self, self.descriptor.label)
        if chosen.isValid():
            value = chosen.name()
            self.show_value(value)
            self.commit(value)

    def _paint_swatch(self, value: str | None) -> None:
        fill = value if value else "transparent"
        self.swatch.setStyleSheet(
            f"QToolButton {{ background: {fill}; border: 1px solid #64748b; }}"
        )

    def _shown_matches(self, value: Any) -> bool:
        valid, shown = self._parse(self.line.text())
        return valid and shown == value

    def show_value(self, value: Any) -> None:
        self.line.blockSignals(True)
        self.line.setText(value or "")
        self.line.blockSignals(False)
        self._paint_swatch(value)
