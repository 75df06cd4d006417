"""The Groups dialog: the report's grouping levels in, SetGroupsCommand undo steps out (bands follow renames)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QMessageBox, QWidget

from engine.expr import check_expression
from engine.model import BAND_TYPES

from ..commands import SetGroupsCommand
from ..document import ElementRef
from ..renames import follow_renamed_groups
from .listeditor import ListEditorDialog, unique_name

Button = QMessageBox.StandardButton
_FLAGS = {
    "descending": "&Descending",
    "keep_together": "&Keep together",
    "start_new_page": "Start a &new page",
    "reprint_header": "Reprint &header on each page",
}


def group_references(report: Any, name: str) -> list[str]:
    """What keeps a group from being removed on its own: variables resetting on it, group scopes."""
    found = [f"variable {v.name}" for v in report.variables if v.reset_group == name]
    scope = f"group:{name}"
    for band in report.bands:
        for element in band.elements:
            chart = getattr(element, "chart", None)
            if getattr(element, "scope", None) == scope or (chart and chart.scope == scope):
                found.append(f"{element.type} {element.name or ''} in the {band.type}".strip())
    return found


class GroupsDialog(ListEditorDialog):
    """Groups in nesting order (outermost first): name, expression, page and header options.

    Removing a group that variables or aggregates still reset on is refused; its header and
    footer bands go with it after a confirmation, in the same undo step.
    """

    key = "groups"
    noun = "group"

    def build_form(self, form: QFormLayout) -> list[QWidget]:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("groupName")
        self.name_edit.setAccessibleName("Group name")
        self.expression_edit = QLineEdit()
        self.expression_edit.setObjectName("groupExpression")
        self.expression_edit.setAccessibleName("Group expression")
        self.expression_edit.setPlaceholderText("a field or an expression, e.g. BillingCountry")
        self.expression_edit.textChanged.connect(self._check_expression)
        form.addRow("&Name:", self.name_edit)
        form.addRow("E&xpression:", self.expression_edit)
        self.flag_boxes: dict[str, QCheckBox] = {}
        for key, caption in _FLAGS.items():
            box = QCheckBox(caption)
            box.setObjectName(f"group_{key}")
            box.setAccessibleName(caption.replace("&", ""))
            form.addRow("", box)
            self.flag_boxes[key] = box
        return [self.name_edit, self.expression_edit, *self.flag_boxes.values()]

    def load_form(self, item: Any) -> None:
        self.name_edit.setText(item.name)
        self.expression_edit.setText(item.expression)
        for key, box in self.flag_boxes.items():
            box.setChecked(bool(getattr(item, key)))

    def form_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name_edit.text().strip(),
            "expression": self.expression_edit.text().strip(),
        }
        data.update({key: box.isChecked() for key, box in self.flag_boxes.items()})
        return data

    def new_item(self) -> dict[str, Any]:
        fields = self.document.fields
        expression = fields[0].name if fields else "1"
        name = unique_name("group", {g.name for g in self.items()})
        return {"name": name, "expression": expression, **dict.fromkeys(_FLAGS, False)}

    def extra_problems(self, data: dict[str, Any]) -> list[str]:
        text = data.get("expression") or ""
        if not text:
            return []  # the model's own check names the empty expression
        names = self.document.expression_names()
        return [f"group {data['name']}: {m}" for m in check_expression(text, names)]

    def _check_expression(self, text: str) -> None:
        problems = check_expression(text, self.document.expression_names()) if text else []
        self.expression_edit.setStyleSheet("border: 1px solid #dc2626" if problems else "")
        self.expression_edit.setToolTip("\n".join(problems))

    # -- committing ------------------------------------------------------------------------

    def follow_renames(self, candidate: dict[str, Any], renames: dict[str, str]) -> None:
        """Bands, variables and group scopes follow a renamed group, as SetGroupsCommand does."""
        follow_renamed_groups(candidate, renames)

    def push(self, items: tuple[Any, ...], text: str, old_names: list[str]) -> None:
        renames = {old: g.name for old, g in zip(old_names, items, strict=True) if old}
        self.document.push(SetGroupsCommand(self.document, items, text, renames=renames))

    def ask_add_bands(self, name: str) -> bool:
        """Whether a new group gets its header and footer bands (a hook tests replace)."""
        answer = QMessageBox.question(
            self,
            "Groups",
            f"Add a header and a footer band for group {name}?",
            Button.Yes | Button.No,
            Button.Yes,
        )
        return answer == Button.Yes

    def ask_remove_bands(self, name: str, count: int) -> bool:
        """Whether removing a group may remove its bands too (a hook tests replace)."""
        answer = QMessageBox.question(
            self,
            "Groups",
            f"Group {name} has {count} band(s) with their elements. Remove them with the group?",
            Button.Yes | Button.Cancel,
            Button.Cancel,
        )
        return answer == Button.Yes

    def add_item(self) -> bool:
        """Append a new group, with its header and footer bands when the user wants them."""
        data = [*self._data(), self.new_item()]
        name = data[-1]["name"]
        bands = []
        if self.ask_add_bands(name):
            bands = [
                BAND_TYPES[t].model_validate({"type": t, "group": name, "height": 20})
                for t in ("group_header", "group_footer")
            ]
        candidate = self.validated(data)
        if candidate is None:
            return False
        self.document.push(
            SetGroupsCommand(self.document, candidate, f"Add group {name}", add_bands=bands)
        )
        self.list.setCurrentRow(self.list.count() - 1)
        return True

    def remove_item(self) -> bool:
        """Remove the current group: refused while referenced, its bands after a confirmation."""
        row = self.current_row()
        items = self.items()
        if not 0 <= row < len(items):
            return False
        name = items[row].name
        report = self.document.report
        references = group_references(report, name)
        if references:
            self.show_message(
                f"Group {name} cannot be removed: {', '.join(references)} still reset on it. "
                "Change or remove them first."
            )
            return False
        doc = self.document
        bands: list[ElementRef] = [
            ref
            for ref, band in zip(doc.band_refs(), report.bands, strict=True)
            if getattr(band, "group", None) == name
        ]
        if bands and not self.ask_remove_bands(name, len(bands)):
            return False
        groups = items[:row] + items[row + 1 :]
        doc.push(SetGroupsCommand(doc, groups, f"Remove group {name}", remove_bands=bands))
        return True
