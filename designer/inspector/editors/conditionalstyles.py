"""The conditional styles editor: rows of a `when` expression and the style keys it sets; add, remove, reorder."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.model import STYLE_KEYS, ConditionalStyle

from ...widgets import StyleKeysForm
from ..descriptors import PropertyDescriptor
from .base import EditorContext, PropertyEditor, editor_for
from .expression import ExpressionEditor

#: the condition a new row starts with (always true, setting nothing until keys are given)
NEW_WHEN = "True"


def row_text(style: ConditionalStyle) -> str:
    """A row's caption: its condition and the keys it sets (``Total > 10 → color, bold``)."""
    keys = [k for k in STYLE_KEYS if getattr(style, k) is not None]
    return f"{style.when} → {', '.join(keys)}" if keys else f"{style.when} → (nothing yet)"


@editor_for("conditional_styles")
class ConditionalStylesEditor(PropertyEditor):
    """The list of conditional styles (the first whose `when` is true applies) and the current row's form.

    Every edit commits the whole list; typing in one row's condition or one key merges
    into one undo step, adding, removing and moving rows are a step each.
    """

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.styles: tuple[ConditionalStyle, ...] = ()
        self.list = QListWidget(self)
        self.list.setAccessibleName(descriptor.label)
        self.list.setMaximumHeight(72)
        self.add_button = _button("+", "Add a conditional style", self)
        self.remove_button = _button("−", "Remove the selected conditional style", self)
        self.up_button = _button("↑", "Move up (checked earlier)", self)
        self.down_button = _button("↓", "Move down (checked later)", self)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.when = ExpressionEditor(PropertyDescriptor("when", "When", "expression"), self)
        self.keys = StyleKeysForm(parent=self)
        self.detail = QWidget(self)
        detail = QFormLayout(self.detail)
        detail.setContentsMargins(0, 0, 0, 0)
        detail.addRow("When", self.when)
        detail.addRow(self.keys)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.detail)
        self.list.currentRowChanged.connect(self._row_picked)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(lambda: self.remove_row())
        self.up_button.clicked.connect(lambda: self.move_row(-1))
        self.down_button.clicked.connect(lambda: self.move_row(1))
        self.when.changed.connect(lambda text: self._set_key("when", text))
        self.keys.edited.connect(self._set_key)
        self.keys.invalid.connect(lambda _key, message: self.set_error(message))
        self._show_rows(0)

    def set_context(self, context: EditorContext) -> None:
        self.when.set_context(context)
        self.keys.set_unit(context.unit)

    # -- the user's edits ------------------------------------------------------------------

    def current_row(self) -> int:
        return self.list.currentRow()

    def add_row(self) -> None:
        """Add a row after the last one (condition ``True``, no keys) and select it."""
        self._commit_styles((*self.styles, ConditionalStyle(when=NEW_WHEN)), None, len(self.styles))

    def remove_row(self, row: int | None = None) -> None:
        """Remove a row (the selected one by default)."""
        row = self.current_row() if row is None else row
        if 0 <= row < len(self.styles):
            rest = self.styles[:row] + self.styles[row + 1 :]
            self._commit_styles(rest, None, min(row, len(rest) - 1))

    def move_row(self, step: int, row: int | None = None) -> None:
        """Move a row (the selected one by default) ``step`` places up (-1) or down (+1)."""
        row = self.current_row() if row is None else row
        to = row + step
        if 0 <= row < len(self.styles) and 0 <= to < len(self.styles):
            styles = list(self.styles)
            styles[row], styles[to] = styles[to], styles[row]
            self._commit_styles(tuple(styles), None, to)

    def _set_key(self, key: str, value: Any) -> None:
        row = self.current_row()
        if not 0 <= row < len(self.styles):
            return
        try:
            style = self.styles[row].replace(**{key: value})
        except ValidationError as exc:
            self.set_error(str(exc.errors()[0].get("msg", exc)))
            return
        styles = (*self.styles[:row], style, *self.styles[row + 1 :])
        # typing merges (one row's condition, size or colour); a switch or a pick is a step
        typed = key in ("when", "size", "color", "background", "padding", "font")
        self._commit_styles(styles, f"{row}.{key}" if typed else None, row)

    def _commit_styles(
        self, styles: tuple[ConditionalStyle, ...], part: str | None, row: int
    ) -> None:
        self.set_error("")
        self.part = part
        self._show(styles, row)
        self.commit(styles)

    # -- showing the model -----------------------------------------------------------------

    def _row_picked(self, row: int) -> None:
        self._show_rows(row)

    def _show_rows(self, row: int) -> None:
        """Show the form of one row (or none), and enable the buttons that apply."""
        has_row = 0 <= row < len(self.styles)
        self.detail.setVisible(has_row)
        self.remove_button.setEnabled(has_row)
        self.up_button.setEnabled(has_row and row > 0)
        self.down_button.setEnabled(has_row and row < len(self.styles) - 1)
        if has_row:
            style = self.styles[row]
            self.when.set_value(style.when)
            self.when.line.blockSignals(True)
            self.when.line.setText(style.when)
            self.when.line.blockSignals(False)
            self.when.set_error("")
            self.keys.set_keys({k: getattr(style, k) for k in STYLE_KEYS})

    def _show(self, styles: tuple[ConditionalStyle, ...], row: int) -> None:
        """Show a list of styles, keeping the form of a row the user is editing untouched."""
        same_rows = len(styles) == len(self.styles) and row == self.current_row()
        self.styles = styles
        self.list.blockSignals(True)
        if same_rows:
            for i, style in enumerate(styles):
                self.list.item(i).setText(row_text(style))
        else:
            self.list.clear()
            self.list.addItems([row_text(s) for s in styles])
            self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        if not same_rows:
            self._show_rows(self.current_row())

    def _shown_matches(self, value: Any) -> bool:
        return self.styles == tuple(value or ())

    def show_value(self, value: Any) -> None:
        styles = tuple(value or ())
        row = self.current_row()
        row = row if 0 <= row < len(styles) else (0 if styles else -1)
        self.styles = ()  # force the rows and the form to be shown afresh
        self._show(styles, row)


def _button(text: str, tip: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    return button
