"""The font family combo: the installed and bundled families with "(inherit)" first; a family or None out."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QComboBox, QFontComboBox, QWidget

#: the entry that means "no family of its own"
INHERIT = "(inherit)"
_NOT_INSTALLED = "{} (not installed)"


def installed_families() -> frozenset[str]:
    """The families Qt can draw: the system's and the bundled Liberation fonts (registered at start)."""
    return frozenset(QFontDatabase.families())


class FontFamilyCombo(QFontComboBox):
    """A QFontComboBox of the families Qt knows, "(inherit)" first.

    Editable, a family may be typed (a report may name a font only the printing machine
    has; it gets a warning tooltip). Not editable, the list is the choice: a family the
    report names that is not installed is listed as such so it is kept, not lost.
    ``family_chosen`` carries the family picked or typed (None for inherit).
    """

    family_chosen = Signal(object)

    def __init__(self, editable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(editable)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(16)
        self.insertItem(0, INHERIT)
        self.setCurrentIndex(0)
        self._extra: str | None = None
        if editable:
            self.lineEdit().setPlaceholderText(INHERIT)
            self.lineEdit().editingFinished.connect(self._emit)
        self.activated.connect(self._emit)

    def family(self) -> str | None:
        """The family shown, or None for inherit."""
        text = self.currentText().strip()
        if self._extra is not None and text == _NOT_INSTALLED.format(self._extra):
            return self._extra
        if text in ("", INHERIT):
            return None
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)  # the installed spelling
        return self.itemText(index) if index > 0 else text

    def set_family(self, family: str | None) -> None:
        """Show a family (None: inherit) without emitting anything."""
        self.blockSignals(True)
        if self._extra is not None:
            self.removeItem(self.findText(_NOT_INSTALLED.format(self._extra)))
            self._extra = None
        if family is None:
            self.setCurrentIndex(0)
        else:
            index = self.findText(family, Qt.MatchFlag.MatchFixedString)
            if index >= 0:
                self.setCurrentIndex(index)
            elif self.isEditable():
                self.setEditText(family)
            else:
                self._extra = family
                self.insertItem(1, _NOT_INSTALLED.format(family))
                self.setCurrentIndex(1)
        self.blockSignals(False)
        self._mark(family)

    def _mark(self, family: str | None) -> None:
        missing = family is not None and family not in installed_families()
        self.setToolTip(
            f"{family} is not installed here: the designer shows it in a fallback font"
            if missing
            else ""
        )

    def _emit(self, *_: object) -> None:
        family = self.family()
        self._mark(family)
        self.family_chosen.emit(family)
