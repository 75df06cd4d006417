"""The Styles dialog: the report's named styles in, SetStylesCommand undo steps out (elements follow renames)."""

from __future__ import annotations

from typing import Any, get_args

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from engine.model import STYLE_KEYS
from engine.model.base import Align, VAlign

from ..commands import SetStylesCommand
from ..document import ReportDocument
from ..widgets import ColourField, FontFamilyCombo, LengthField
from .listeditor import ListEditorDialog, unique_name

Button = QMessageBox.StandardButton
_INHERIT = "(inherit)"
_FLAGS = {"bold": "&Bold", "italic": "&Italic", "underline": "&Underline"}
_CHECK = {None: Qt.CheckState.PartiallyChecked, True: Qt.CheckState.Checked}
#: the text the sample shows in the style
SAMPLE_TEXT = "Sample text 123.45"


def style_users(report: Any, name: str) -> int:
    """How many elements use the named style."""
    return sum(1 for band in report.bands for e in band.elements if e.style == name)


class StylesDialog(ListEditorDialog):
    """Named styles: name, font family, size, bold/italic/underline, colours, alignment, padding.

    Every key may be left to inherit: "(inherit)" in the lists, an empty size, colour or
    padding, a grey (partly checked) box. Renaming a style renames the elements' references
    in the same undo step; removing a style in use clears them after a confirmation.
    """

    key = "styles"
    noun = "style"

    def __init__(self, document: ReportDocument, unit: str, parent: QWidget | None = None) -> None:
        #: the unit the padding is shown and typed in
        self.unit = unit
        super().__init__(document, parent)
        self.resize(760, 460)

    def build_form(self, form: QFormLayout) -> list[QWidget]:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("styleName")
        self.name_edit.setAccessibleName("Style name")
        self.font_combo = FontFamilyCombo(editable=False)
        self.font_combo.setObjectName("styleFont")
        self.font_combo.setAccessibleName("Font family")
        self.size_spin = QDoubleSpinBox()
        self.size_spin.setObjectName("styleSize")
        self.size_spin.setAccessibleName("Font size")
        self.size_spin.setRange(0, 1000)
        self.size_spin.setDecimals(2)
        self.size_spin.setSingleStep(0.5)
        self.size_spin.setSuffix(" pt")
        self.size_spin.setSpecialValueText(_INHERIT)  # 0, the minimum, means inherit
        self.flag_boxes: dict[str, QCheckBox] = {}
        flags = QHBoxLayout()
        for key, caption in _FLAGS.items():
            box = QCheckBox(caption)
            box.setObjectName(f"style_{key}")
            box.setAccessibleName(caption.replace("&", ""))
            box.setTristate(True)
            box.setToolTip("Checked: on; empty: off; grey: inherit")
            flags.addWidget(box)
            self.flag_boxes[key] = box
        flags.addStretch(1)
        self.colour_field = ColourField(True, "Text colour")
        self.colour_field.setObjectName("styleColor")
        self.background_field = ColourField(True, "Background")
        self.background_field.setObjectName("styleBackground")
        self.align_combo = self._choices("styleAlign", "Horizontal alignment", get_args(Align))
        self.valign_combo = self._choices("styleValign", "Vertical alignment", get_args(VAlign))
        self.padding_field = LengthField(self.unit, optional=True)
        self.padding_field.setObjectName("stylePadding")
        self.padding_field.line.setAccessibleName("Padding")
        self.sample = QLabel(SAMPLE_TEXT)
        self.sample.setObjectName("styleSample")
        self.sample.setMinimumHeight(48)
        self.sample.setAccessibleName("Sample")
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Font:", self.font_combo)
        form.addRow("&Size:", self.size_spin)
        form.addRow("", flags)
        form.addRow("&Colour:", self.colour_field)
        form.addRow("Bac&kground:", self.background_field)
        form.addRow("&Align:", self.align_combo)
        form.addRow("&Vertical align:", self.valign_combo)
        form.addRow("Pa&dding:", self.padding_field)
        form.addRow("Sample:", self.sample)
        for signal in (
            self.font_combo.currentIndexChanged,
            self.size_spin.valueChanged,
            self.colour_field.edited,
            self.background_field.edited,
            self.align_combo.currentIndexChanged,
            self.valign_combo.currentIndexChanged,
            self.padding_field.edited,
            *(box.stateChanged for box in self.flag_boxes.values()),
        ):
            signal.connect(self._update_sample)
        return [
            self.name_edit,
            self.font_combo,
            self.size_spin,
            *self.flag_boxes.values(),
            self.colour_field.swatch,
            self.colour_field.line,
            self.background_field.swatch,
            self.background_field.line,
            self.align_combo,
            self.valign_combo,
            self.padding_field.line,
        ]

    def _choices(self, name: str, accessible: str, choices: tuple[str, ...]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.addItem(_INHERIT, None)
        for choice in choices:
            combo.addItem(choice, choice)
        return combo

    # -- the form --------------------------------------------------------------------------

    def load_form(self, item: Any) -> None:
        self.name_edit.setText(item.name)
        self.font_combo.set_family(item.font)
        self.size_spin.setValue(item.size or 0)
        for key, box in self.flag_boxes.items():
            box.setCheckState(_CHECK.get(getattr(item, key), Qt.CheckState.Unchecked))
        self.colour_field.set_colour(item.color)
        self.background_field.set_colour(item.background)
        self.align_combo.setCurrentIndex(max(0, self.align_combo.findData(item.align)))
        self.valign_combo.setCurrentIndex(max(0, self.valign_combo.findData(item.valign)))
        self.padding_field.set_points(item.padding)
        self._update_sample()

    def form_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name_edit.text().strip()}
        data["font"] = self.font_combo.family()
        data["size"] = self.size_spin.value() or None
        for key, box in self.flag_boxes.items():
            state = box.checkState()
            data[key] = (
                None if state == Qt.CheckState.PartiallyChecked else state == Qt.CheckState.Checked
            )
        data["color"] = self._colour(self.colour_field)
        data["background"] = self._colour(self.background_field)
        data["align"] = self.align_combo.currentData()
        data["valign"] = self.valign_combo.currentData()
        valid, padding = self.padding_field.points()
        data["padding"] = padding if valid else self.padding_field.line.text()
        return data

    @staticmethod
    def _colour(field: ColourField) -> Any:
        valid, value = field.colour()
        return value if valid else field.line.text()  # the engine's message names the bad text

    def new_item(self) -> dict[str, Any]:
        return {
            "name": unique_name("style", {s.name for s in self.items()}),
            **dict.fromkeys(STYLE_KEYS),
        }

    def _update_sample(self, *_: Any) -> None:
        data = self.form_data()
        font = QFont(data["font"] or "Liberation Sans")
        size = data["size"] or 10
        font.setPointSizeF(min(float(size), 28.0))  # a huge size would not fit the dialog
        font.setBold(bool(data["bold"]))
        font.setItalic(bool(data["italic"]))
        font.setUnderline(bool(data["underline"]))
        self.sample.setFont(font)
        colour = data["color"] if isinstance(data["color"], str) and data["color"] else "#000000"
        background = data["background"] or "#ffffff"
        self.sample.setStyleSheet(
            f"QLabel {{ color: {colour}; background: {background}; border: 1px solid #cbd5e1;"
            " padding: 4px; }"
        )
        horizontal = {"center": Qt.AlignmentFlag.AlignHCenter, "right": Qt.AlignmentFlag.AlignRight}
        vertical = {"top": Qt.AlignmentFlag.AlignTop, "bottom": Qt.AlignmentFlag.AlignBottom}
        self.sample.setAlignment(
            horizontal.get(data["align"], Qt.AlignmentFlag.AlignLeft)
            | vertical.get(data["valign"], Qt.AlignmentFlag.AlignVCenter)
        )

    # -- committing --------------------------------------------------------------------------

    def follow_renames(self, candidate: dict[str, Any], renames: dict[str, str]) -> None:
        """Elements follow a renamed style and lose a removed one, as SetStylesCommand does."""
        names = {s.get("name") for s in candidate.get("styles", [])}
        removed = {s.name for s in self.document.report.styles} - names - set(renames)
        for band in candidate.get("bands", []):
            for element in band.get("elements", []):
                style = element.get("style")
                if style in renames:
                    element["style"] = renames[style]
                elif style in removed:
                    element.pop("style")

    def push(self, items: tuple[Any, ...], text: str, old_names: list[str]) -> None:
        renames = {old: s.name for old, s in zip(old_names, items, strict=True) if old}
        self.document.push(SetStylesCommand(self.document, items, text, renames=renames))

    def ask_clear_references(self, name: str, count: int) -> bool:
        """Whether removing a style in use may clear the elements' references (a hook tests replace)."""
        answer = QMessageBox.question(
            self,
            "Styles",
            f"{count} element(s) use the style {name}. Remove it and clear their style?",
            Button.Yes | Button.Cancel,
            Button.Cancel,
        )
        return answer == Button.Yes

    def remove_item(self) -> bool:
        """Remove the current style; elements using it lose the reference after a confirmation."""
        row = self.current_row()
        items = self.items()
        if not 0 <= row < len(items):
            return False
        name = items[row].name
        count = style_users(self.document.report, name)
        if count and not self.ask_clear_references(name, count):
            return False
        return super().remove_item()
