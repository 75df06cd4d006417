"""The colour field: a swatch button opening QColorDialog beside `#rrggbb` text; text in, a colour or None out."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QHBoxLayout, QLineEdit, QToolButton, QWidget

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
HINT = "write a colour as #rgb or #rrggbb"


class ColourField(QWidget):
    """A colour as `#rgb`/`#rrggbb` text or picked in a dialog; empty means "not set" when optional.

    ``edited`` carries every valid colour the user types or picks (None when cleared),
    ``invalid`` the text of anything else; setting a colour from code emits nothing.
    """

    edited = Signal(object)
    invalid = Signal(str)

    def __init__(
        self, optional: bool = True, title: str = "Colour", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self.title = title
        self.swatch = QToolButton(self)
        self.swatch.setFixedWidth(24)
        self.swatch.setToolTip("Pick a colour")
        self.swatch.setAccessibleName(f"Pick {title.lower()}")
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("(inherit)" if optional else "#000000")
        self.line.setAccessibleName(title)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.swatch)
        layout.addWidget(self.line, 1)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._edited)
        self.swatch.clicked.connect(self.pick)
        self._paint_swatch(None)

    def parse(self, text: str) -> tuple[bool, Any]:
        """(valid, colour or None) of a text."""
        text = text.strip()
        if text == "":
            return self.optional, None
        return bool(_HEX.match(text)), text

    def colour(self) -> tuple[bool, Any]:
        """(valid, colour or None) of what the field shows."""
        return self.parse(self.line.text())

    def set_colour(self, value: str | None) -> None:
        """Show a colour (None: empty) without emitting anything."""
        self.line.blockSignals(True)
        self.line.setText(value or "")
        self.line.blockSignals(False)
        self._paint_swatch(value)

    def _edited(self, text: str) -> None:
        valid, value = self.parse(text)
        if not valid:
            self.invalid.emit(text)
            return
        self._paint_swatch(value)
        self.edited.emit(value)

    def pick(self) -> None:
        """Choose a colour in QColorDialog; shows and emits it."""
        valid, value = self.colour()
        start = QColor(value if valid and value else "#000000")
        chosen = self.ask_colour(start)
        if chosen.isValid():
            self.set_colour(chosen.name())
            self.edited.emit(chosen.name())

    def ask_colour(self, start: QColor) -> QColor:
        """The colour dialog's answer (a hook tests replace)."""
        return QColorDialog.getColor(start, self, self.title)

    def _paint_swatch(self, value: str | None) -> None:
        fill = value if value else "transparent"
        self.swatch.setStyleSheet(
            f"QToolButton {{ background: {fill}; border: 1px solid #64748b; }}"
        )
