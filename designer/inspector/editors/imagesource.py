"""The image source editor: a file, a data field or inline base64 data, chosen by kind; exactly one is set."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.model import ImageSource

from ..descriptors import PropertyDescriptor
from .base import EditorContext, PropertyEditor, editor_for
from .filepath import relative_path

#: (text, key) of the source kinds, in the chooser's order
SOURCE_KINDS = (("File", "file"), ("Data field", "field"), ("Inline data", "data"))
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.svg);;All files (*)"


def source_kind(source: ImageSource | None) -> str | None:
    """Which key of a source is set ("file", "field" or "data")."""
    if source is None:
        return None
    return next(key for _, key in SOURCE_KINDS if getattr(source, key) is not None)


def data_summary(data: str | None) -> str:
    """What the inline data is, in words: ``12.3 KB embedded``."""
    if not data:
        return "no image loaded"
    size = len(data) * 3 // 4
    return f"{size / 1024:.1f} KB embedded" if size >= 1024 else f"{size} bytes embedded"


@editor_for("image_source")
class ImageSourceEditor(PropertyEditor):
    """Where an image comes from: the kind chooser shows the file path, the field name or the loaded data.

    Switching kind keeps what each kind held before, so switching back restores it;
    a kind with nothing yet given commits nothing until a path, name or image is given.
    """

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        self.folder: Path | None = None
        #: what each kind held last (so switching kinds back and forth loses nothing)
        self.kept: dict[str, str | None] = {"file": None, "field": None, "data": None}
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(f"{descriptor.label} kind")
        for text, key in SOURCE_KINDS:
            self.kind.addItem(text, key)
        self.pages = QStackedWidget(self)
        self.file_line = QLineEdit()
        self.file_line.setPlaceholderText("logo.png")
        self.file_line.setAccessibleName("Image file")
        self.browse_button = QToolButton()
        self.browse_button.setText("…")
        self.browse_button.setToolTip("Choose an image file")
        self.browse_button.setAccessibleName("Choose image file")
        self.pages.addWidget(_row(self.file_line, self.browse_button))
        self.field_combo = QComboBox()
        self.field_combo.setEditable(True)
        self.field_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.field_combo.lineEdit().setPlaceholderText("Picture")
        self.field_combo.setAccessibleName("Image field")
        self.pages.addWidget(_row(self.field_combo))
        self.data_label = QLabel(data_summary(None))
        self.data_label.setObjectName("imageDataSummary")
        self.load_button = QPushButton("Load image…")
        self.pages.addWidget(_row(self.data_label, self.load_button))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.kind)
        layout.addWidget(self.pages)
        self.setFocusProxy(self.kind)
        self.kind.currentIndexChanged.connect(self._kind_picked)
        self.file_line.textEdited.connect(lambda text: self._given("file", text.strip(), "file"))
        self.field_combo.lineEdit().textEdited.connect(
            lambda text: self._given("field", text.strip(), "field")
        )
        self.field_combo.activated.connect(
            lambda _i: self._given("field", self.field_combo.currentText().strip(), None)
        )
        self.browse_button.clicked.connect(self.browse)
        self.load_button.clicked.connect(self.load_image)

    def set_context(self, context: EditorContext) -> None:
        self.folder = context.folder
        fields = sorted(context.names.fields or ())
        current = self.field_combo.currentText()
        self.field_combo.blockSignals(True)
        self.field_combo.clear()
        self.field_combo.addItems(fields)
        self.field_combo.setEditText(current)
        self.field_combo.blockSignals(False)

    # -- the user's edits ------------------------------------------------------------------

    def _kind_picked(self, index: int) -> None:
        key = self.kind.itemData(index)
        self.pages.setCurrentIndex(index)
        if self.kept[key]:
            self._given(key, self.kept[key], None)
        else:
            self.set_error(f"give the image's {self.kind.itemText(index).lower()}")

    def _given(self, key: str, text: str | None, part: str | None) -> None:
        """Commit a source of one kind (``part`` says whether typing in it merges)."""
        if not text:
            self.set_error(f"give the image's {dict((k, t) for t, k in SOURCE_KINDS)[key].lower()}")
            return
        self.kept[key] = text
        try:
            source = ImageSource.model_validate({key: text})
        except ValidationError as exc:
            self.set_error(str(exc.errors()[0].get("msg", exc)))
            return
        self.set_error("")
        self.part = part
        self.commit(source)

    def pick_kind(self, key: str) -> None:
        """Switch the chooser to a kind as the user would."""
        self.kind.setCurrentIndex(self.kind.findData(key))

    def ask_file(self) -> str:
        """The file dialog's answer, "" when cancelled (a hook tests replace)."""
        start = str(self.folder) if self.folder is not None else ""
        chosen, _ = QFileDialog.getOpenFileName(self, "Choose an image", start, IMAGE_FILTER)
        return chosen

    def browse(self) -> None:
        """Pick an image file in QFileDialog and use it as the source."""
        chosen = self.ask_file()
        if chosen:
            self.set_file(chosen)

    def set_file(self, path: str | Path) -> None:
        """Use a file (made relative to the report's folder) as the source."""
        text = relative_path(path, self.folder)
        self.pick_kind("file")
        self.file_line.setText(text)
        self._given("file", text, None)

    def load_image(self) -> None:
        """Pick an image file and embed its bytes as inline data."""
        chosen = self.ask_file()
        if chosen:
            self.load_data(chosen)

    def load_data(self, path: str | Path) -> None:
        """Read an image file and use its bytes, base64 encoded, as the inline data."""
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            self.set_error(f"cannot read {path}: {exc.strerror or exc}")
            return
        data = base64.b64encode(raw).decode("ascii")
        self.pick_kind("data")
        self.data_label.setText(data_summary(data))
        self._given("data", data, None)

    # -- showing the model -----------------------------------------------------------------

    def _shown_matches(self, value: Any) -> bool:
        key = self.kind.currentData()
        return (
            value is not None
            and source_kind(value) == key
            and self.kept[key] == getattr(value, key)
        )

    def show_value(self, value: Any) -> None:
        key = source_kind(value) or "file"
        if value is not None:
            self.kept[key] = getattr(value, key)
        for widget in (self.kind, self.file_line, self.field_combo):
            widget.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(key))
        self.pages.setCurrentIndex(self.kind.currentIndex())
        self.file_line.setText(self.kept["file"] or "")
        self.field_combo.setEditText(self.kept["field"] or "")
        self.data_label.setText(data_summary(self.kept["data"]))
        for widget in (self.kind, self.file_line, self.field_combo):
            widget.blockSignals(False)


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if i == 0 else 0)
    return row
