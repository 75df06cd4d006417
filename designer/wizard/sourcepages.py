"""The wizard's first pages: template and title, data source (the Chinook sample by default), fields to show."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from designer.dialogs.datasourceform import DataSourceForm
from designer.dialogs.datasourceworker import source_fields, start_worker
from designer.templates import TEMPLATES, Column, Template, chinook_source
from engine.data.catalog import list_tables

_ERROR = "color: #b91c1c;"
_NOTE = "color: #475569;"


def _note(text: str = "", style: str = _NOTE) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


class TemplatePage(QWizardPage):
    """Which template, and the report's title."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Template")
        self.setSubTitle("Choose what kind of report to start from.")
        self.list = QListWidget()
        self.list.setObjectName("templateList")
        self.list.setAccessibleName("Templates")
        self.list.setSpacing(4)
        self.list.setMaximumHeight(190)
        for template in TEMPLATES.values():
            item = QListWidgetItem(f"{template.caption}\n{template.description}")
            item.setData(Qt.ItemDataRole.UserRole, template.key)
            item.setToolTip(template.description)
            self.list.addItem(item)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("reportTitle")
        self.title_edit.setAccessibleName("Report title")
        self.title_edit.textChanged.connect(lambda _: self.completeChanged.emit())
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addStretch(1)
        self.list.currentRowChanged.connect(self._template_changed)
        self.list.setCurrentRow(0)

    def template(self) -> Template:
        item = self.list.currentItem()
        return TEMPLATES[item.data(Qt.ItemDataRole.UserRole) if item else "sales"]

    def _template_changed(self) -> None:
        template = self.template()
        self.title_edit.setText(template.title)

    def isComplete(self) -> bool:
        return bool(self.title_edit.text().strip())


class SourcePage(QWizardPage):
    """Where the rows come from: the template's query on the bundled Chinook sample, or another source."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Data source")
        self.setSubTitle(
            "The template reads the bundled Chinook sample database. Keep it, or choose your own."
        )
        self.form = DataSourceForm(None, (), None)
        self.sample_button = QPushButton("Use the &Chinook sample")
        self.sample_button.setObjectName("sampleButton")
        self.sample_button.clicked.connect(self.use_sample)
        self.error_label = _note(style=_ERROR)
        self.error_label.setObjectName("sourceError")
        row = QHBoxLayout()
        row.addWidget(self.sample_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self._template: str | None = None
        self.source: Any = None
        self._tables_generation = 0
        self.form.connection_changed.connect(self.list_tables)

    def initializePage(self) -> None:
        template = self.wizard().template_page.template()
        if template.key != self._template:
            self._template = template.key
            self.use_sample()

    def use_sample(self) -> None:
        """Put the template's own query over the Chinook sample back."""
        self.form.set_source(chinook_source(self.wizard().template_page.template().query))
        self.error_label.setText("")
        self.list_tables()

    def list_tables(self) -> None:
        """Offer the tables of an SQLite file (read in a worker)."""
        self._tables_generation += 1
        if self.form.kind() != "sqlite" or not self.form.path_edit.text().strip():
            return
        url = self.form.url()
        start_worker(
            lambda: list_tables(url, None), self._tables_generation, self._tables_read, self._failed
        )

    def _tables_read(self, generation: int, names: list[str]) -> None:
        if generation == self._tables_generation:
            self.form.set_tables(names)

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._tables_generation:
            self.error_label.setText(message)

    def validatePage(self) -> bool:
        try:
            source = self.form.source()
        except ValueError as exc:
            self.error_label.setText(str(exc))
            return False
        used = self.form.unknown_parameters()
        if used:
            self.error_label.setText(
                f"the query uses :{used[0]}; a new report has no parameters yet: "
                "write the query without them, then add them in Report ▸ Parameters"
            )
            return False
        self.source = source
        return True


class FieldsPage(QWizardPage):
    """The fields to show as columns, checked and in order (read from the source in a worker)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Fields")
        self.setSubTitle("Tick the fields to print and put them in order (drag, or Up and Down).")
        self.list = QListWidget()
        self.list.setObjectName("fieldsList")
        self.list.setAccessibleName("Fields")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.itemChanged.connect(lambda _: self.completeChanged.emit())
        self.status = _note()
        self.status.setObjectName("fieldsStatus")
        self.up_button = QPushButton("Move &Up")
        self.down_button = QPushButton("Move Do&wn")
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        buttons = QHBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        #: every field of the source (FieldInfo), once read
        self.fields: list[Any] = []
        self.generation = 0
        self._read_for: Any = None

    def initializePage(self) -> None:
        source = self.wizard().source_page.source
        if source == self._read_for and self.fields:
            return
        self._read_for = source
        self.generation += 1
        self.fields = []
        self.list.clear()
        self.status.setText("Reading the fields…")
        self.status.setStyleSheet(_NOTE)
        start_worker(
            lambda: source_fields(source, {}, None), self.generation, self._read, self._failed
        )

    def _read(self, generation: int, fields: list[Any]) -> None:
        if generation != self.generation:
            return
        self.fields = list(fields)
        template = self.wizard().template_page.template()
        by_name = {f.name: f for f in fields}
        chosen = [n for n in template.fields if n in by_name]
        if not chosen:  # another source: start with every field
            chosen = [f.name for f in fields]
        rest = [f.name for f in fields if f.name not in chosen]
        self.list.blockSignals(True)
        for name in chosen + rest:
            item = QListWidgetItem(f"{name}  ({by_name[name].type})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.status.setText(f"{len(fields)} fields in the source.")
        self.completeChanged.emit()

    def _failed(self, generation: int, message: str) -> None:
        if generation == self.generation:
            self.status.setText(f"Cannot read the fields: {message}")
            self.status.setStyleSheet(_ERROR)

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def set_checked(self, names: list[str]) -> None:
        """Tick exactly these fields (tests and keyboard users)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in names
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def columns(self) -> tuple[Column, ...]:
        """The ticked fields, in list order."""
        types = {f.name: f.type for f in self.fields}
        names = [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
        return tuple(Column(n, types[n]) for n in names)

    def isComplete(self) -> bool:
        return bool(self.fields) and bool(self.columns())
