"""The Variables dialog: the report's named calculations in, SetReportKeyCommand undo steps out."""

from __future__ import annotations

from typing import Any, get_args

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QWidget

from engine.expr import check_expression
from engine.model import Variable

from .listeditor import ListEditorDialog, unique_name

#: the calculations and resets the model allows, in its order
CALCULATIONS: tuple[str, ...] = get_args(Variable.model_fields["calculation"].annotation)
RESETS: tuple[str, ...] = get_args(Variable.model_fields["reset"].annotation)


class VariablesDialog(ListEditorDialog):
    """Variables: name, expression, calculation, when it resets (and on which group), running."""

    key = "variables"
    noun = "variable"

    def build_form(self, form: QFormLayout) -> list[QWidget]:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("variableName")
        self.name_edit.setAccessibleName("Variable name")
        self.expression_edit = QLineEdit()
        self.expression_edit.setObjectName("variableExpression")
        self.expression_edit.setAccessibleName("Variable expression")
        self.expression_edit.textChanged.connect(self._check_expression)
        self.calculation_combo = QComboBox()
        self.calculation_combo.setObjectName("variableCalculation")
        self.calculation_combo.setAccessibleName("Calculation")
        self.calculation_combo.addItems(list(CALCULATIONS))
        self.reset_combo = QComboBox()
        self.reset_combo.setObjectName("variableReset")
        self.reset_combo.setAccessibleName("Reset")
        self.reset_combo.addItems(list(RESETS))
        self.reset_combo.currentTextChanged.connect(self._reset_changed)
        self.reset_group_combo = QComboBox()
        self.reset_group_combo.setObjectName("variableResetGroup")
        self.reset_group_combo.setAccessibleName("Reset group")
        self.running_box = QCheckBox("R&unning (show the value so far)")
        self.running_box.setObjectName("variableRunning")
        self.running_box.setAccessibleName("Running")
        form.addRow("&Name:", self.name_edit)
        form.addRow("E&xpression:", self.expression_edit)
        form.addRow("&Calculation:", self.calculation_combo)
        form.addRow("Re&set:", self.reset_combo)
        form.addRow("Reset &group:", self.reset_group_combo)
        form.addRow("", self.running_box)
        return [
            self.name_edit,
            self.expression_edit,
            self.calculation_combo,
            self.reset_combo,
            self.reset_group_combo,
            self.running_box,
        ]

    def load_form(self, item: Any) -> None:
        self.reset_group_combo.clear()
        self.reset_group_combo.addItems([g.name for g in self.document.report.groups])
        self.name_edit.setText(item.name)
        self.expression_edit.setText(item.expression)
        self.calculation_combo.setCurrentText(item.calculation)
        self.reset_combo.setCurrentText(item.reset)
        self.reset_group_combo.setCurrentText(item.reset_group or "")
        self.running_box.setChecked(item.running)
        self._reset_changed(item.reset)

    def _reset_changed(self, reset: str) -> None:
        self.reset_group_combo.setEnabled(reset == "group" and self.reset_combo.isEnabled())

    def _enable(self) -> None:
        super()._enable()
        self._reset_changed(self.reset_combo.currentText())

    def form_data(self) -> dict[str, Any]:
        reset = self.reset_combo.currentText()
        group = self.reset_group_combo.currentText() if reset == "group" else ""
        return {
            "name": self.name_edit.text().strip(),
            "expression": self.expression_edit.text().strip(),
            "calculation": self.calculation_combo.currentText(),
            "reset": reset,
            "reset_group": group or None,
            "running": self.running_box.isChecked(),
        }

    def new_item(self) -> dict[str, Any]:
        fields = self.document.fields
        return {
            "name": unique_name("variable", {v.name for v in self.items()}),
            "expression": fields[0].name if fields else "1",
            "calculation": "count",
            "reset": "report",
            "reset_group": None,
            "running": False,
        }

    def extra_problems(self, data: dict[str, Any]) -> list[str]:
        text = data.get("expression") or ""
        if not text:
            return []
        names = self.document.expression_names()
        return [f"variable {data['name']}: {m}" for m in check_expression(text, names)]

    def _check_expression(self, text: str) -> None:
        problems = check_expression(text, self.document.expression_names()) if text else []
        self.expression_edit.setStyleSheet("border: 1px solid #dc2626" if problems else "")
        self.expression_edit.setToolTip("\n".join(problems))
