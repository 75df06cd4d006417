"""The length field: points in, a number in the user's unit with the unit's suffix shown, points out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from ..settings import length_text, parse_length


class LengthField(QWidget):
    """A length typed in mm, in or pt (``10``, or ``1 in`` in another unit) and kept in points.

    ``edited`` carries the points of every valid text the user types (None when cleared
    and optional), ``invalid`` the text of anything else.
    """

    edited = Signal(object)
    invalid = Signal(str)

    def __init__(
        self, unit: str = "pt", optional: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.unit = unit
        self.optional = optional
        self._points: float | None = None
        #: the text set_points showed: while it is unchanged, points() is the exact value set
        self._shown = ""
        self.line = QLineEdit(self)
        if optional:
            self.line.setPlaceholderText("(inherit)")
        self.suffix = QLabel(unit, self)
        self.suffix.setObjectName("unitSuffix")
        self.suffix.setMinimumWidth(18)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.suffix)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._edited)

    def parse(self, text: str) -> tuple[bool, Any]:
        """(valid, points or None) of a text in the field's unit."""
        if text.strip() == "":
            return self.optional, None
        try:
            return True, parse_length(text, self.unit)
        except ValueError:
            return False, None

    def points(self) -> tuple[bool, Any]:
        """(valid, points or None) of what the field shows (the value set, while not edited)."""
        if self.line.text() == self._shown:
            return True, self._points
        return self.parse(self.line.text())

    def set_points(self, points: float | None) -> None:
        """Show a length (None: empty) in the field's unit without emitting anything."""
        self._points = points
        self._shown = "" if points is None else length_text(points, self.unit)
        self.line.blockSignals(True)
        self.line.setText(self._shown)
        self.line.blockSignals(False)

    def set_unit(self, unit: str) -> None:
        """Show lengths in another unit from now on (the shown length is converted)."""
        if unit == self.unit:
            return
        valid, points = self.points()
        self.unit = unit
        self.suffix.setText(unit)
        self.set_points(points if valid else self._points)

    def _edited(self, text: str) -> None:
        valid, points = self.parse(text)
        if not valid:
            self.invalid.emit(text)
            return
        self._points, self._shown = points, text
        self.edited.emit(points)
