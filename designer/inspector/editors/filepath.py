"""The file path editor: a path relative to the report's folder, typed or picked in QFileDialog (a subreport's `.ashr`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QToolButton, QWidget

from ..descriptors import PropertyDescriptor
from .base import EditorContext, PropertyEditor, editor_for

#: the file dialog's filter by field name
FILTERS = {"report": "Reports (*.ashr);;All files (*)"}


def relative_path(path: str | Path, folder: Path | None) -> str:
    """A chosen file as the report stores it: relative to the report's folder when it has one, with ``/``."""
    path = Path(path)
    if folder is not None and path.is_absolute():
        try:
            return Path(os.path.relpath(path, folder)).as_posix()
        except ValueError:  # another drive on Windows: keep it absolute
            return path.as_posix()
    return path.as_posix()


@editor_for("path")
class FilePathEditor(PropertyEditor):
    """A file path: typed (committed as you type) or chosen with the "…" button; required unless optional."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.folder: Path | None = None
        self.line = QLineEdit(self)
        self.line.setAccessibleName(descriptor.label)
        self.line.setPlaceholderText("(none)" if descriptor.optional else "path/to/file")
        self.browse_button = QToolButton(self)
        self.browse_button.setText("…")
        self.browse_button.setToolTip("Choose a file")
        self.browse_button.setAccessibleName(f"Choose {descriptor.label.lower()}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.browse_button)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._edited)
        self.browse_button.clicked.connect(self.browse)

    def set_context(self, context: EditorContext) -> None:
        self.folder = context.folder

    def _edited(self, text: str) -> None:
        text = text.strip()
        if text == "" and not self.descriptor.optional:
            self.set_error(f"a {self.descriptor.label.lower()} path is required")
            return
        self.set_error("")
        self.commit(text or None)

    def ask_file(self) -> str:
        """The file dialog's answer, "" when cancelled (a hook tests replace)."""
        name = self.descriptor.path.rsplit(".", 1)[-1]
        start = str(self.folder) if self.folder is not None else ""
        chosen, _ = QFileDialog.getOpenFileName(
            self, f"Choose {self.descriptor.label.lower()}", start, FILTERS.get(name, "")
        )
        return chosen

    def browse(self) -> None:
        """Pick a file in QFileDialog and commit it."""
        chosen = self.ask_file()
        if chosen:
            self.set_path(chosen)

    def set_path(self, path: str | Path) -> None:
        """Take a chosen file (made relative to the report's folder), show and commit it."""
        text = relative_path(path, self.folder)
        self.line.setText(text)
        self._edited(text)

    def _shown_matches(self, value: Any) -> bool:
        return (self.line.text().strip() or None) == value

    def show_value(self, value: Any) -> None:
        self.line.blockSignals(True)
        self.line.setText(value or "")
        self.line.blockSignals(False)
