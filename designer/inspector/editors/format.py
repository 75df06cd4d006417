"""The format editor: kind, pattern and currency of a value format, with a live sample in the report's locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from engine.fill.formatting import make_formatter
from engine.model import Format

from ..descriptors import PropertyDescriptor
from .base import EditorContext, PropertyEditor, editor_for

_FORMAT = TypeAdapter(Format)
_NONE = "(none)"
KINDS = ("currency", "number", "percent", "date", "datetime")

#: a typical value of each kind, formatted for the sample text
SAMPLES: dict[str, Any] = {
    "currency": Decimal("1234.5"),
    "number": Decimal("1234.5"),
    "percent": Decimal("0.256"),
    "date": dt.date(2024, 1, 31),
    "datetime": dt.datetime(2024, 1, 31, 14, 30),
}


def sample_text(fmt: Any, locale: str) -> str:
    """A typical value of the format's kind as the report would print it in ``locale``.

    Raises:
        Exception: whatever the formatter raises for a pattern it cannot apply.
    """
    value = SAMPLES[fmt.kind]
    return make_formatter(fmt, locale)(value)


@editor_for("format")
class FormatEditor(PropertyEditor):
    """A format: none, or a kind with its CLDR pattern (and currency code for currency)."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.locale = "en_US"
        self.kind = QComboBox(self)
        self.kind.addItem(_NONE, None)
        for kind in KINDS:
            self.kind.addItem(kind.capitalize(), kind)
        self.pattern = QLineEdit(self)
        self.pattern.setPlaceholderText("(default)")
        self.currency = QLineEdit(self)
        self.currency.setPlaceholderText("USD")
        self.currency.setMaxLength(3)
        self.sample = QLabel(self)
        self.sample.setObjectName("formatSample")
        self.sample.setStyleSheet("color: #475569;")
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.kind)
        layout.addRow("Pattern", self.pattern)
        layout.addRow("Currency", self.currency)
        layout.addRow("Sample", self.sample)
        self._form = layout
        self.kind.currentIndexChanged.connect(self._edited)
        self.pattern.textEdited.connect(self._edited)
        self.currency.textEdited.connect(self._edited)
        self._show_rows(None)

    def set_context(self, context: EditorContext) -> None:
        self.locale = context.locale
        self._update_sample(self.value())

    def _show_rows(self, kind: str | None) -> None:
        self._form.setRowVisible(self.pattern, kind is not None)
        self._form.setRowVisible(self.currency, kind == "currency")
        self._form.setRowVisible(self.sample, kind is not None)

    def build(self) -> Any:
        """The format the widgets describe (None for none).

        Raises:
            pydantic.ValidationError: for a currency that is not three capital letters.
        """
        kind = self.kind.currentData()
        if kind is None:
            return None
        data: dict[str, Any] = {"kind": kind}
        if self.pattern.text().strip():
            data["pattern"] = self.pattern.text().strip()
        if kind == "currency":
            data["currency"] = self.currency.text().strip().upper() or "USD"
        return _FORMAT.validate_python(data)

    def _edited(self, *_: Any) -> None:
        self._show_rows(self.kind.currentData())
        try:
            fmt = self.build()
        except ValidationError:
            self.set_error("a currency is a three-letter code such as USD or EUR")
            return
        if not self._update_sample(fmt):
            return
        self.set_error("")
        self.commit(fmt)

    def _update_sample(self, fmt: Any) -> bool:
        if fmt is None:
            self.sample.setText("")
            return True
        try:
            self.sample.setText(sample_text(fmt, self.locale))
        except Exception as exc:  # a pattern Babel cannot apply: say so, commit nothing
            self.sample.setText("")
            self.set_error(f"cannot apply this pattern: {exc}")
            return False
        return True

    def set_error(self, message: str) -> None:
        super().set_error(message)
        if message:
            self.sample.setText(message)
            self.sample.setStyleSheet("color: #b91c1c;")
        else:
            self.sample.setStyleSheet("color: #475569;")

    def _shown_matches(self, value: Any) -> bool:
        try:
            return self.build() == value
        except ValidationError:
            return False

    def show_value(self, value: Any) -> None:
        for widget in (self.kind, self.pattern, self.currency):
            widget.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(value.kind if value else None)))
        pattern = getattr(value, "pattern", None) if value is not None else None
        self.pattern.setText(pattern or "")
        self.currency.setText(getattr(value, "currency", "") or "" if value is not None else "")
        for widget in (self.kind, self.pattern, self.currency):
            widget.blockSignals(False)
        self._show_rows(value.kind if value is not None else None)
        self._update_sample(value)
