"""The shared list-and-form dialog of the report's groups, variables and parameters: edits in, undo commands out."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.model import Report, report_from_data, report_to_data

from ..commands import SetReportKeyCommand
from ..document import ReportDocument
from ..renames import NAMESPACES, follow_renamed


def new_problems(before: Report, data: dict[str, Any]) -> list[str]:
    """The engine's errors of candidate report data that the current report does not have already."""
    old = {(d.path, d.message) for d in report_from_data(report_to_data(before)).errors}
    result = report_from_data(data)
    return [d.format() for d in result.errors if (d.path, d.message) not in old]


def unique_name(stem: str, taken: set[str]) -> str:
    """``stem1``, ``stem2``… whichever is not taken yet."""
    n = 1
    while f"{stem}{n}" in taken:
        n += 1
    return f"{stem}{n}"


class ListEditorDialog(QDialog):
    """A list of one of the report's tuples on the left, a form for the current item on the right.

    Apply (and OK) commits the form; Add, Remove, Move up/down commit at once. Every commit
    is one undo command, and is refused with the engine's message when the result is invalid.
    """

    #: the report key edited (``groups``, ``variables``, ``parameters``)
    key = ""
    #: what one item is called (``group``)
    noun = ""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle(f"{self.noun.capitalize()}s")
        self.setObjectName(f"{self.key}Dialog")
        self.setAccessibleName(f"{self.noun.capitalize()}s editor")
        self.list = QListWidget()
        self.list.setObjectName(f"{self.key}List")
        self.list.setAccessibleName(f"{self.noun.capitalize()}s")
        self.add_button = self._button("&Add", f"Add {self.noun}", self.add_item)
        self.remove_button = self._button("&Remove", f"Remove {self.noun}", self.remove_item)
        self.up_button = self._button("Move &Up", f"Move {self.noun} up", lambda: self.move(-1))
        self.down_button = self._button(
            "Move Do&wn", f"Move {self.noun} down", lambda: self.move(1)
        )
        left = QVBoxLayout()
        left.addWidget(self.list)
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            row.addWidget(button)
        left.addLayout(row)
        self.form = QFormLayout()
        self.form_widgets = self.build_form(self.form)
        self.error_label = QLabel("")
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b91c1c")
        self.error_label.setAccessibleName("Problems")
        self.apply_button = self._button("A&pply", f"Apply the {self.noun}'s changes", self.apply)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addWidget(self.error_label)
        right.addStretch(1)
        right.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignRight)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.setAccessibleName("Dialog buttons")
        self.buttons.accepted.connect(self.accept)
        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(self.buttons)
        chain = [self.list, self.add_button, self.remove_button, self.up_button, self.down_button]
        chain += [*self.form_widgets, self.apply_button, self.buttons]
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)
        self.list.currentRowChanged.connect(self._row_changed)
        document.report_changed.connect(self.refresh)
        self.resize(720, 400)
        self.refresh()
        if self.list.count():
            self.list.setCurrentRow(0)

    def _button(self, text: str, accessible: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # -- for subclasses ----------------------------------------------------------------

    def build_form(self, form: QFormLayout) -> list[QWidget]:
        """Add the form's rows; returns its widgets in tab order."""
        raise NotImplementedError

    def load_form(self, item: Any) -> None:
        """Show one item in the form."""
        raise NotImplementedError

    def form_data(self) -> dict[str, Any]:
        """The form's item as JSON data."""
        raise NotImplementedError

    def new_item(self) -> dict[str, Any]:
        """JSON data of the item Add appends."""
        raise NotImplementedError

    def extra_problems(self, data: dict[str, Any]) -> list[str]:
        """Problems the report's validation does not see (an expression's unknown names)."""
        return []

    def push(self, items: tuple[Any, ...], text: str, old_names: list[str]) -> None:
        """Record the new items as one undo step (expressions follow renamed variables and parameters)."""
        renames = {}
        if self.key in NAMESPACES:
            renames = {old: item.name for old, item in zip(old_names, items, strict=True) if old}
        self.document.push(
            SetReportKeyCommand(self.document, self.key, items, text, renames=renames)
        )

    # -- reading ----------------------------------------------------------------------

    def items(self) -> tuple[Any, ...]:
        return tuple(getattr(self.document.report, self.key))

    def current_row(self) -> int:
        return self.list.currentRow()

    def refresh(self, *_: Any) -> None:
        """Refill the list from the report, keeping the current row."""
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.items():
            self.list.addItem(item.name)
        self.list.blockSignals(False)
        count = self.list.count()
        if count:
            self.list.setCurrentRow(min(max(row, 0), count - 1))
            self._row_changed(self.list.currentRow())
        self._enable()

    def _row_changed(self, row: int) -> None:
        items = self.items()
        if 0 <= row < len(items):
            self.load_form(items[row])
        self.error_label.setText("")
        self._enable()

    def _enable(self) -> None:
        row, count = self.list.currentRow(), self.list.count()
        has = 0 <= row < count
        for widget in (*self.form_widgets, self.apply_button, self.remove_button):
            widget.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < count - 1)

    # -- committing --------------------------------------------------------------------

    def follow_renames(self, candidate: dict[str, Any], renames: dict[str, str]) -> None:
        """Make the rest of the candidate report data follow renamed (or removed) items, as the
        command will; called on every commit, ``renames`` may be empty. Variables and parameters:
        the expressions (and an SQL query's ``:name`` parameters) that read them."""
        if self.key in NAMESPACES:
            follow_renamed(candidate, NAMESPACES[self.key], renames)

    def validated(
        self, data: list[dict[str, Any]], old_names: list[str] | None = None
    ) -> tuple[Any, ...] | None:
        """The items of the data when the engine accepts the report with them, else None (the
        engine's messages are shown); ``old_names`` are the items' names before the edit."""
        candidate = report_to_data(self.document.report)
        candidate[self.key] = data
        renames = {
            old: item.get("name")
            for old, item in zip(old_names or [], data, strict=False)
            if old and old != item.get("name")
        }
        self.follow_renames(candidate, renames)
        problems = new_problems(self.document.report, candidate)
        for item in data:
            problems += self.extra_problems(item)
        result = report_from_data(candidate) if not problems else None
        if result is not None and result.report is None:  # errors elsewhere keep it unreadable
            problems = [d.format() for d in result.errors]
        self.error_label.setText("\n".join(problems))
        if problems or result is None or result.report is None:
            return None
        return tuple(getattr(result.report, self.key))

    def commit(self, data: list[dict[str, Any]], text: str, old_names: list[str]) -> bool:
        """Validate the whole list as the engine would; push it, or show why not."""
        items = self.validated(data, old_names)
        if items is None:
            return False
        self.push(items, text, old_names)
        return True

    def _data(self) -> list[dict[str, Any]]:
        return [item.model_dump(mode="json") for item in self.items()]

    def _names(self) -> list[str]:
        return [item.name for item in self.items()]

    def dirty(self) -> bool:
        """Whether the form shows something else than the current item."""
        row = self.current_row()
        return 0 <= row < len(self.items()) and self.form_data() != self._data()[row]

    def apply(self) -> bool:
        """Commit the form to the current item."""
        row = self.current_row()
        if not 0 <= row < len(self.items()):
            return False
        if not self.dirty():
            return True
        data = self._data()
        data[row] = self.form_data()
        return self.commit(data, f"Edit {self.noun} {data[row].get('name', '')}", self._names())

    def add_item(self) -> bool:
        """Append a new item and select it."""
        data = [*self._data(), self.new_item()]
        if not self.commit(data, f"Add {self.noun}", [*self._names(), ""]):
            return False
        self.list.setCurrentRow(self.list.count() - 1)
        return True

    def remove_item(self) -> bool:
        row = self.current_row()
        if not 0 <= row < len(self.items()):
            return False
        data = self._data()
        name = data.pop(row)["name"]
        names = self._names()
        del names[row]
        return self.commit(data, f"Remove {self.noun} {name}", names)

    def move(self, delta: int) -> bool:
        """Move the current item up (-1) or down (1)."""
        row, data, names = self.current_row(), self._data(), self._names()
        other = row + delta
        if not (0 <= row < len(data) and 0 <= other < len(data)):
            return False
        data[row], data[other] = data[other], data[row]
        names[row], names[other] = names[other], names[row]
        if not self.commit(data, f"Move {self.noun} {data[other]['name']}", names):
            return False
        self.list.setCurrentRow(other)
        return True

    def show_message(self, text: str) -> None:
        """Tell the user why something was refused (a hook tests replace)."""
        self.error_label.setText(text)
        QMessageBox.warning(self, self.windowTitle(), text)

    def accept(self) -> None:
        if self.apply():
            super().accept()
