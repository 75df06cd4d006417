"""The style keys form: font, size, bold/italic/underline, colours, alignment and padding; key-value pairs in and out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from .colourfield import HINT, ColourField
from .fontfamily import FontFamilyCombo
from .lengthfield import LengthField

ALIGNS = ("left", "center", "right", "justify")
VALIGNS = ("top", "middle", "bottom")
FLAGS = ("bold", "italic", "underline")
_STATES = {True: Qt.CheckState.Checked, False: Qt.CheckState.Unchecked}


def parse_size(text: str) -> tuple[bool, float | None]:
    """(valid, size or None) of a font size text: empty inherits, else a number in (0, 1000]."""
    text = text.strip()
    if text == "":
        return True, None
    try:
        size = float(text)
    except ValueError:
        return False, None
    return 0 < size <= 1000, (int(size) if size.is_integer() else size)


class StyleKeysForm(QWidget):
    """Every style key, each "inherit" when not set; ``edited(key, value)`` for every valid change.

    ``invalid(key, message)`` says what is wrong with a value typed that is not committed.
    Setting keys from code emits nothing. Plain widget: no document, no commands.
    """

    edited = Signal(str, object)
    invalid = Signal(str, str)

    def __init__(self, unit: str = "pt", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.font_combo = FontFamilyCombo(editable=True, parent=self)
        self.font_combo.setAccessibleName("Font")
        self.size = QLineEdit(self)
        self.size.setPlaceholderText("(inherit)")
        self.size.setAccessibleName("Size")
        self.flags: dict[str, QCheckBox] = {}
        flag_row = QHBoxLayout()
        flag_row.setContentsMargins(0, 0, 0, 0)
        for key in FLAGS:
            box = QCheckBox(key.capitalize(), self)
            box.setTristate(True)
            box.setCheckState(Qt.CheckState.PartiallyChecked)
            box.setToolTip(f"{key.capitalize()}: on, off, or partly checked to inherit")
            box.checkStateChanged.connect(lambda state, k=key: self._flag(k, state))
            self.flags[key] = box
            flag_row.addWidget(box)
        flag_row.addStretch(1)
        self.color = ColourField(True, "Colour", self)
        self.background = ColourField(True, "Background", self)
        self.align = _choice_combo(ALIGNS, "Align", self)
        self.valign = _choice_combo(VALIGNS, "Vertical align", self)
        self.padding = LengthField(unit, True, self)
        self.padding.line.setAccessibleName("Padding")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Font", self.font_combo)
        form.addRow("Size", self.size)
        form.addRow("", flag_row)
        form.addRow("Color", self.color)
        form.addRow("Background", self.background)
        form.addRow("Align", self.align)
        form.addRow("Valign", self.valign)
        form.addRow("Padding", self.padding)
        self.font_combo.family_chosen.connect(lambda family: self.edited.emit("font", family))
        self.size.textEdited.connect(self._size_edited)
        for key, field in (("color", self.color), ("background", self.background)):
            field.edited.connect(lambda value, k=key: self.edited.emit(k, value))
            field.invalid.connect(lambda _text, k=key: self.invalid.emit(k, HINT))
        for key, combo in (("align", self.align), ("valign", self.valign)):
            combo.currentIndexChanged.connect(
                lambda _i, k=key, c=combo: self.edited.emit(k, c.currentData())
            )
        self.padding.edited.connect(lambda points: self.edited.emit("padding", points))
        self.padding.invalid.connect(
            lambda _text: self.invalid.emit(
                "padding", f"not a valid padding in {self.padding.unit}"
            )
        )

    def _size_edited(self, text: str) -> None:
        valid, size = parse_size(text)
        if not valid:
            self.invalid.emit("size", "a size is a number of points above 0")
            return
        self.edited.emit("size", size)

    def _flag(self, key: str, state: Qt.CheckState) -> None:
        value = {Qt.CheckState.Checked: True, Qt.CheckState.Unchecked: False}.get(state)
        self.edited.emit(key, value)

    def set_unit(self, unit: str) -> None:
        """Show the padding in another unit."""
        self.padding.set_unit(unit)

    def set_keys(self, keys: dict[str, Any]) -> None:
        """Show style keys (a missing or None key inherits) without emitting anything."""
        widgets = [self.size, self.align, self.valign, *self.flags.values()]
        for widget in widgets:
            widget.blockSignals(True)
        self.font_combo.set_family(keys.get("font"))
        size = keys.get("size")
        self.size.setText("" if size is None else f"{size:g}")
        for key, box in self.flags.items():
            box.setCheckState(_STATES.get(keys.get(key), Qt.CheckState.PartiallyChecked))
        self.color.set_colour(keys.get("color"))
        self.background.set_colour(keys.get("background"))
        self.align.setCurrentIndex(max(0, self.align.findData(keys.get("align"))))
        self.valign.setCurrentIndex(max(0, self.valign.findData(keys.get("valign"))))
        self.padding.set_points(keys.get("padding"))
        for widget in widgets:
            widget.blockSignals(False)


def _choice_combo(choices: tuple[str, ...], name: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    combo.addItem("(inherit)", None)
    for choice in choices:
        combo.addItem(choice, choice)
    return combo
