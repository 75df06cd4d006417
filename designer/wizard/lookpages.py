"""The wizard's last pages: grouping and totals, then theme, brand colour and logo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from designer.templates import Column
from designer.templates.build import NUMBER_TYPES
from designer.templates.look import report_look
from designer.widgets.colourfield import ColourField
from engine.fill import THEMES

_NO_GROUP = "(no grouping)"
_IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.svg);;All files (*)"


class GroupingPage(QWizardPage):
    """Group rows by a field (a header and subtotal per value) and pick the numeric columns to total."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Grouping and totals")
        self.setSubTitle(
            "Rows with the same value of the group field print together, each group with a "
            "subtotal; the report ends with a grand total and a count."
        )
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("groupCombo")
        self.group_combo.setAccessibleName("Group by")
        self.totals_list = QListWidget()
        self.totals_list.setObjectName("totalsList")
        self.totals_list.setAccessibleName("Totals")
        self.totals_note = QLabel("")
        self.totals_note.setWordWrap(True)
        self.totals_note.setStyleSheet("color: #475569;")
        form = QFormLayout()
        form.addRow("&Group by:", self.group_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Sum these columns per group and for the report:"))
        layout.addWidget(self.totals_list, 1)
        layout.addWidget(self.totals_note)

    def initializePage(self) -> None:
        wizard = self.wizard()
        template = wizard.template_page.template()
        fields = wizard.fields_page.fields
        columns = wizard.fields_page.columns()
        self.group_combo.clear()
        self.group_combo.addItem(_NO_GROUP, None)
        for field in fields:
            self.group_combo.addItem(field.name, field.name)
        names = [f.name for f in fields]
        group = template.group_by if template.group_by in names else None
        self.group_combo.setCurrentIndex(names.index(group) + 1 if group else 0)
        self.totals_list.clear()
        numeric = [c for c in columns if c.type in NUMBER_TYPES]
        for column in numeric:
            item = QListWidgetItem(column.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            wanted = column.name in template.totals
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
            self.totals_list.addItem(item)
        self.totals_note.setText(
            "" if numeric else "No numeric columns: groups and the report show counts only."
        )

    def group_by(self) -> Column | None:
        name = self.group_combo.currentData()
        if name is None:
            return None
        fields = {f.name: f for f in self.wizard().fields_page.fields}
        return Column(name, fields[name].type)

    def set_totals(self, names: list[str]) -> None:
        for i in range(self.totals_list.count()):
            item = self.totals_list.item(i)
            item.setCheckState(
                Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked
            )

    def totals(self) -> tuple[str, ...]:
        return tuple(
            self.totals_list.item(i).text()
            for i in range(self.totals_list.count())
            if self.totals_list.item(i).checkState() == Qt.CheckState.Checked
        )


class ThemePage(QWizardPage):
    """Theme (fonts, colours, rules, chart palette), an optional brand colour and logo."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Theme")
        self.setSubTitle("Choose the look. A brand colour replaces the theme's accent colour.")
        self.theme_combo = QComboBox()
        self.theme_combo.setObjectName("themeCombo")
        self.theme_combo.setAccessibleName("Theme")
        for name in THEMES:
            self.theme_combo.addItem(name.capitalize(), name)
        self.brand_field = ColourField(optional=True, title="Brand colour")
        self.brand_field.setObjectName("brandColour")
        self.brand_field.line.setPlaceholderText("(the theme's accent)")
        self.logo_edit = QLineEdit()
        self.logo_edit.setObjectName("logoPath")
        self.logo_edit.setAccessibleName("Logo image")
        self.logo_edit.setPlaceholderText("(no logo)")
        self.logo_button = QPushButton("&Browse…")
        self.logo_button.clicked.connect(self.browse_logo)
        logo_row = QHBoxLayout()
        logo_row.setContentsMargins(0, 0, 0, 0)
        logo_row.addWidget(self.logo_edit, 1)
        logo_row.addWidget(self.logo_button)
        logo = QWidget()
        logo.setLayout(logo_row)
        self.sample = QLabel()
        self.sample.setObjectName("themeSample")
        self.sample.setMinimumHeight(120)
        self.sample.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.error_label = QLabel("")
        self.error_label.setObjectName("themeError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b91c1c;")
        form = QFormLayout()
        form.addRow("T&heme:", self.theme_combo)
        form.addRow("Brand &colour:", self.brand_field)
        form.addRow("&Logo:", logo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.sample, 1)
        layout.addWidget(self.error_label)
        self.theme_combo.currentIndexChanged.connect(self.show_sample)
        self.brand_field.edited.connect(lambda _: self.show_sample())
        self.show_sample()

    def theme(self) -> str:
        return str(self.theme_combo.currentData())

    def brand(self) -> str | None:
        valid, value = self.brand_field.colour()
        return value if valid and value else None

    def logo(self) -> str | None:
        text = self.logo_edit.text().strip()
        return text or None

    def show_sample(self) -> None:
        """A few lines in the theme's fonts and colours: title, column header, a row, a total."""
        look = report_look(self.theme(), self.brand())
        styles = {s["name"]: s for s in look.styles}

        def span(name: str, text: str) -> str:
            s = styles[name]
            weight = "bold" if s.get("bold") else "normal"
            italic = "italic" if s.get("italic") else "normal"
            return (
                f"<span style=\"font-family:'{s['font']}'; font-size:{s.get('size', 10) + 2}pt; "
                f'font-weight:{weight}; font-style:{italic}; color:{s["color"]};">{text}</span>'
            )

        fill = look.header_fill or "transparent"
        self.sample.setText(
            f"{span('title', 'Sales by Country')}<br>{span('subtitle', 'A sample of this theme')}"
            f"<hr style='background:{look.accent}'>"
            f"<table width='100%' cellspacing='0' cellpadding='2'>"
            f"<tr style='background:{fill}'><td>{span('column_header', 'Customer')}</td>"
            f"<td align='right'>{span('column_header', 'Total')}</td></tr>"
            f"<tr><td>{span('detail', 'Diego Gutiérrez')}</td><td align='right'>{span('detail', '13.86')}</td></tr>"
            f"<tr><td>{span('total', 'Subtotal Argentina')}</td><td align='right'>{span('total', '37.62')}</td></tr>"
            "</table>"
        )

    def ask_file(self) -> str:
        """The logo file the user picks ("" when cancelled); a hook tests replace."""
        name, _ = QFileDialog.getOpenFileName(self, "Choose the logo", "", _IMAGE_FILTER)
        return name

    def browse_logo(self) -> None:
        name = self.ask_file()
        if name:
            self.logo_edit.setText(name)

    def validatePage(self) -> bool:
        valid, _ = self.brand_field.colour()
        if not valid:
            self.error_label.setText("the brand colour must look like #1e3a8a (or be empty)")
            return False
        logo = self.logo()
        if logo is not None and not Path(logo).is_file():
            self.error_label.setText(f"no such image file: {logo}")
            return False
        return self.wizard().finish_report()
