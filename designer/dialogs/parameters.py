"""The Parameters dialog: the report's run-time parameters in, SetReportKeyCommand undo steps out."""

from __future__ import annotations

import json
from typing import Any, get_args

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QWidget

from engine.model import Parameter

from .listeditor import ListEditorDialog, unique_name

#: the value types a parameter may have, in the model's order
PARAMETER_TYPES: tuple[str, ...] = get_args(Parameter.model_fields["type"].annotation)


def parse_value(text: str) -> Any:
    """A typed value: JSON when it reads as JSON (``12``, ``true``, ``"a,b"``), else the text itself."""
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        return text


def show_value(value: Any) -> str:
    """The text that parse_value reads back as ``value``."""
    if isinstance(value, str) and parse_value(value) == value:
        return value
    return json.dumps(value)


class ParametersDialog(ListEditorDialog):
    """Parameters: name, type, label, default, required, choices (comma separated)."""

    key = "parameters"
    noun = "parameter"

    def build_form(self, form: QFormLayout) -> list[QWidget]:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("parameterName")
        self.name_edit.setAccessibleName("Parameter name")
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("parameterType")
        self.type_combo.setAccessibleName("Parameter type")
        self.type_combo.addItems(list(PARAMETER_TYPES))
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("parameterLabel")
        self.label_edit.setAccessibleName("Parameter label")
        self.default_edit = QLineEdit()
        self.default_edit.setObjectName("parameterDefault")
        self.default_edit.setAccessibleName("Default value")
        self.default_edit.setPlaceholderText("empty: no default")
        self.required_box = QCheckBox("Re&quired")
        self.required_box.setObjectName("parameterRequired")
        self.required_box.setAccessibleName("Required")
        self.choices_edit = QLineEdit()
        self.choices_edit.setObjectName("parameterChoices")
        self.choices_edit.setAccessibleName("Choices")
        self.choices_edit.setPlaceholderText("empty: any value; else a, b, c")
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Type:", self.type_combo)
        form.addRow("&Label:", self.label_edit)
        form.addRow("De&fault:", self.default_edit)
        form.addRow("", self.required_box)
        form.addRow("&Choices:", self.choices_edit)
        return [
            self.name_edit,
            self.type_combo,
            self.label_edit,
            self.default_edit,
            self.required_box,
            self.choices_edit,
        ]

    def load_form(self, item: Any) -> None:
        self.name_edit.setText(item.name)
        self.type_combo.setCurrentText(item.type)
        self.label_edit.setText(item.label)
        self.default_edit.setText("" if item.default is None else show_value(item.default))
        self.required_box.setChecked(item.required)
        choices = item.choices
        self.choices_edit.setText(
            "" if choices is None else ", ".join(show_value(c) for c in choices)
        )

    def form_data(self) -> dict[str, Any]:
        default = self.default_edit.text().strip()
        choices = [c for c in self.choices_edit.text().split(",") if c.strip()]
        return {
            "name": self.name_edit.text().strip(),
            "type": self.type_combo.currentText(),
            "label": self.label_edit.text(),
            "default": parse_value(default) if default else None,
            "required": self.required_box.isChecked(),
            "choices": [parse_value(c) for c in choices] if choices else None,
        }

    def new_item(self) -> dict[str, Any]:
        return {
            "name": unique_name("parameter", {p.name for p in self.items()}),
            "type": "string",
            "label": "",
            "default": None,
            "required": False,
            "choices": None,
        }
