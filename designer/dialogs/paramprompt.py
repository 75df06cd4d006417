"""The parameter prompt before a run: a report's parameters in, typed values (the engine's conversion, as the CLI's `-p`) out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.errors import ParameterError
from engine.model import Parameter, Report, convert_value, resolve_parameters

#: last accepted values per report name, for this session (callers may keep their own)
_REMEMBERED: dict[str, dict[str, Any]] = {}
_INT_LIMIT = 2**31 - 1
_NUMBER_LIMIT = 1e15

#: a widget for a parameter, the value it starts at, and how its value is read back
Reader = Callable[[], Any]
_EDITORS: dict[str, Callable[[Parameter, Any], tuple[QWidget, Reader]]] = {}


def editor(*types: str) -> Callable[[Any], Any]:
    """Register the widget factory of one or more parameter types."""

    def register(fn: Any) -> Any:
        for name in types:
            _EDITORS[name] = fn
        return fn

    return register


def _typed(param: Parameter, value: Any) -> Any:
    """The value in the parameter's type, or None when it does not convert."""
    try:
        return convert_value(param.type, value)
    except ValueError:
        return None


@editor("date")
def _date_editor(param: Parameter, value: Any) -> tuple[QWidget, Reader]:
    widget = QDateEdit()
    widget.setCalendarPopup(True)
    widget.setDisplayFormat("yyyy-MM-dd")
    day = _typed(param, value) or dt.date.today()
    widget.setDate(QDate(day.year, day.month, day.day))
    return widget, lambda: widget.date().toPython()


@editor("datetime")
def _datetime_editor(param: Parameter, value: Any) -> tuple[QWidget, Reader]:
    widget = QDateTimeEdit()
    widget.setCalendarPopup(True)
    widget.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
    moment = _typed(param, value) or dt.datetime.now().replace(microsecond=0)
    widget.setDateTime(
        QDateTime(
            QDate(moment.year, moment.month, moment.day),
            QTime(moment.hour, moment.minute, moment.second),
        )
    )
    return widget, lambda: widget.dateTime().toPython().replace(tzinfo=None, microsecond=0)


@editor("integer")
def _integer_editor(param: Parameter, value: Any) -> tuple[QWidget, Reader]:
    widget = QSpinBox()
    widget.setRange(-_INT_LIMIT, _INT_LIMIT)
    widget.setValue(_typed(param, value) or 0)
    return widget, widget.value


def _places(value: Decimal | None) -> int:
    exponent = value.as_tuple().exponent if value is not None else -2
    return max(2, -exponent) if isinstance(exponent, int) else 2


@editor("decimal")
def _decimal_editor(param: Parameter, value: Any) -> tuple[QWidget, Reader]:
    widget = QDoubleSpinBox()
    typed = _typed(param, value)
    widget.setDecimals(min(_places(typed), 6))
    widget.setRange(-_NUMBER_LIMIT, _NUMBER_LIMIT)
    widget.setValue(float(typed or 0))
    # the text with the shown decimals: exact, never a float's binary expansion
    return widget, lambda: f"{widget.value():.{widget.decimals()}f}"


@editor("float")
def _float_editor(param: Parameter, value: Any) -> tuple[QWidget, Reader]:
    widget = QDoubleSpinBox()
    widget.setDecimals(6)
    widget.setRange(-_NUMBER_LIMIT, _NUMBER_LIMIT)
    widget.setValue(_typed(param, value) or 0.0)
    return widget, widget.value


@editor("boolean")
def _boolean_editor(param: Parameter, value: Any) -> tuple[QWidget, Reader]:
    widget = QCheckBox()
    widget.setChecked(bool(_typed(param, value)))
    return widget, widget.isChecked


@editor("string", "bytes")
def _text_editor(param: Parameter, value: Any) -> tuple[QWidget, Reader]:
    widget = QLineEdit()
    widget.setText("" if value is None else str(value))
    if param.type == "bytes":
        widget.setPlaceholderText("base64")
    return widget, widget.text


def _choice_editor(param: Parameter, value: Any) -> tuple[QWidget, Reader]:
    widget = QComboBox()
    choices = list(param.choices or ())
    for choice in choices:
        widget.addItem(str(choice))
    typed = [_typed(param, c) for c in choices]
    current = _typed(param, value)
    if current in typed:
        widget.setCurrentIndex(typed.index(current))
    return widget, lambda: choices[widget.currentIndex()] if choices else None


class ParameterDialog(QDialog):
    """One typed widget per parameter (its label as the caption); OK converts them as the engine does."""

    def __init__(
        self, report: Report, start: dict[str, Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(f"Parameters of {report.title or report.name}")
        self.setObjectName("parameterDialog")
        self.setAccessibleName("Report parameters")
        #: parameter name → its widget, and how to read its value
        self.widgets: dict[str, QWidget] = {}
        self._readers: dict[str, Reader] = {}
        self.values: dict[str, Any] = {}
        form = QFormLayout()
        for param in report.parameters:
            factory = _choice_editor if param.choices else _EDITORS[param.type]
            widget, reader = factory(param, start.get(param.name, param.default))
            widget.setObjectName(f"param_{param.name}")
            caption = param.label or param.name.replace("_", " ").capitalize()
            widget.setAccessibleName(caption)
            widget.setToolTip(f"params.{param.name} ({param.type})")
            form.addRow(f"{caption}{' *' if param.required else ''}:", widget)
            self.widgets[param.name] = widget
            self._readers[param.name] = reader
        self.error_label = QLabel("")
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b91c1c;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Run")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(360)

    def given(self) -> dict[str, Any]:
        """The widgets' values before conversion."""
        return {name: read() for name, read in self._readers.items()}

    def accept(self) -> None:
        try:
            self.values = resolve_parameters(self.report, self.given())
        except ParameterError as exc:
            self.error_label.setText("\n".join(exc.problems))
            return
        super().accept()


def needs_prompt(report: Report, start: dict[str, Any]) -> bool:
    """Whether some parameter has no value: none remembered and no default."""
    return any(p.default is None and start.get(p.name) is None for p in report.parameters)


def ask_parameters(
    report: Report,
    parent: QWidget | None,
    remembered: dict[str, Any] | None = None,
    *,
    always: bool = False,
) -> dict[str, Any] | None:
    """Typed values of every parameter, asked for when some have no value; None when cancelled.

    The prompt opens when a parameter has neither a default nor a remembered value (or
    `always`); it shows every parameter, starting from the remembered values, else the
    defaults. Values convert with engine.model.resolve_parameters, the CLI's rules.
    `remembered` is the caller's store of the last values; it is updated in place. Without
    one, the last values are kept per report name for this session.

    Raises:
        ParameterError: without a prompt, when the defaults themselves do not convert.
    """
    store = remembered if remembered is not None else _REMEMBERED.setdefault(report.name, {})
    if not report.parameters:
        return {}
    if not always and not needs_prompt(report, store):
        try:
            return resolve_parameters(report, {k: v for k, v in store.items() if _known(report, k)})
        except ParameterError:
            pass  # a remembered value no longer fits (the parameter changed): ask
    dialog = ParameterDialog(report, store, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    store.clear()
    store.update(dialog.values)
    return dict(dialog.values)


def _known(report: Report, name: str) -> bool:
    return any(p.name == name for p in report.parameters)
