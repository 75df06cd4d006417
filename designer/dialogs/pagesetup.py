"""The Page Setup dialog: paper size, orientation, margins (in the user's unit) and columns in, one undo step out."""

from __future__ import annotations

import itertools
from typing import Any

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.model import PAGE_SIZES, Page, report_to_data
from engine.model.elements import MAX_LENGTH

from ..commands import SetReportKeyCommand
from ..document import ReportDocument
from .listeditor import new_problems

#: unit → (points per unit, decimals shown)
UNIT_SCALES: dict[str, tuple[float, int]] = {"mm": (72 / 25.4, 1), "in": (72.0, 3), "pt": (1.0, 1)}
SIZES = (*PAGE_SIZES, "custom")


class PageSetupDialog(QDialog):
    """Edits the report's page; OK validates it with the engine and pushes one SetReportKeyCommand."""

    def __init__(self, document: ReportDocument, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.unit = unit
        self.scale, self.decimals = UNIT_SCALES[unit]
        self.page = document.report.page
        self.setWindowTitle("Page Setup")
        self.setObjectName("pageSetupDialog")
        self.setAccessibleName("Page setup")
        page = self.page
        self.size_combo = QComboBox()
        self.size_combo.setObjectName("pageSize")
        self.size_combo.setAccessibleName("Paper size")
        self.size_combo.addItems([s.upper() if len(s) == 2 else s.capitalize() for s in SIZES])
        self.size_combo.setCurrentIndex(SIZES.index(page.size))
        width, height = page.dimensions if page.orientation == "portrait" else page.dimensions[::-1]
        self.width_spin = self._length("pageWidth", "Paper width", width, minimum=1.0)
        self.height_spin = self._length("pageHeight", "Paper height", height, minimum=1.0)
        self.orientation_combo = QComboBox()
        self.orientation_combo.setObjectName("pageOrientation")
        self.orientation_combo.setAccessibleName("Orientation")
        self.orientation_combo.addItems(["Portrait", "Landscape"])
        self.orientation_combo.setCurrentIndex(page.orientation == "landscape")
        margins = page.margins
        self.margin_spins = {
            side: self._length(
                f"margin{side.capitalize()}", f"{side} margin", getattr(margins, side)
            )
            for side in ("top", "bottom", "left", "right")
        }
        self.columns_spin = QSpinBox()
        self.columns_spin.setObjectName("pageColumns")
        self.columns_spin.setAccessibleName("Columns")
        self.columns_spin.setRange(1, 20)
        self.columns_spin.setValue(page.columns)
        self.gap_spin = self._length("columnGap", "Column gap", page.column_gap)
        self.content_label = QLabel("")
        self.content_label.setObjectName("contentWidthLabel")
        self.error_label = QLabel("")
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b91c1c")

        paper = QFormLayout()
        paper.addRow("&Size:", self.size_combo)
        paper.addRow(f"&Width ({unit}):", self.width_spin)
        paper.addRow(f"&Height ({unit}):", self.height_spin)
        paper.addRow("&Orientation:", self.orientation_combo)
        paper_box = QGroupBox("Paper")
        paper_box.setLayout(paper)
        edges = QFormLayout()
        for side, caption in (("top", "&Top"), ("bottom", "&Bottom"), ("left", "&Left")):
            edges.addRow(f"{caption} ({unit}):", self.margin_spins[side])
        edges.addRow(f"&Right ({unit}):", self.margin_spins["right"])
        margins_box = QGroupBox("Margins")
        margins_box.setLayout(edges)
        columns = QFormLayout()
        columns.addRow("&Columns:", self.columns_spin)
        columns.addRow(f"Column &gap ({unit}):", self.gap_spin)
        columns_box = QGroupBox("Columns")
        columns_box.setLayout(columns)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (paper_box, margins_box, columns_box, self.content_label):
            layout.addWidget(widget)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        order = [
            self.size_combo, self.width_spin, self.height_spin, self.orientation_combo,
            *(self.margin_spins[s] for s in ("top", "bottom", "left", "right")),
            self.columns_spin, self.gap_spin, self.buttons,
        ]  # fmt: skip
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        self.size_combo.currentIndexChanged.connect(self._size_changed)
        for widget in order[1:-1]:
            signal = getattr(widget, "valueChanged", None) or widget.currentIndexChanged
            signal.connect(self._update_content)
        self._size_changed()

    def _length(self, name: str, accessible: str, points: float, minimum: float = 0.0) -> Any:
        spin = QDoubleSpinBox()
        spin.setObjectName(name)
        spin.setAccessibleName(accessible.capitalize())
        spin.setDecimals(self.decimals)
        spin.setRange(minimum / self.scale, MAX_LENGTH / self.scale)
        spin.setSuffix(f" {self.unit}")
        spin.setValue(points / self.scale)
        spin.setProperty("points", float(points))
        spin.setProperty("shown", spin.value())
        return spin

    def points(self, spin: QDoubleSpinBox) -> float:
        """A spin box's length in points; an untouched one keeps its exact original value."""
        if spin.value() == spin.property("shown"):
            return float(spin.property("points"))
        return round(spin.value() * self.scale, 4)

    def _size_changed(self, *_: Any) -> None:
        size = SIZES[self.size_combo.currentIndex()]
        custom = size == "custom"
        self.width_spin.setEnabled(custom)
        self.height_spin.setEnabled(custom)
        if not custom:
            w, h = PAGE_SIZES[size]
            self.width_spin.setValue(w / self.scale)
            self.height_spin.setValue(h / self.scale)
        self._update_content()

    def page_data(self) -> dict[str, Any]:
        """The page the dialog shows, as JSON data (lengths in points)."""
        size = SIZES[self.size_combo.currentIndex()]
        data: dict[str, Any] = {
            "size": size,
            "orientation": "landscape" if self.orientation_combo.currentIndex() else "portrait",
            "margins": {side: self.points(spin) for side, spin in self.margin_spins.items()},
            "columns": self.columns_spin.value(),
            "column_gap": self.points(self.gap_spin),
        }
        if size == "custom":
            data["width"] = self.points(self.width_spin)
            data["height"] = self.points(self.height_spin)
        return data

    def _update_content(self, *_: Any) -> None:
        try:
            page = Page.model_validate(self.page_data())
        except ValidationError:
            self.content_label.setText("")
            return
        width = page.content_width / self.scale
        self.content_label.setText(f"Content width: {width:.{self.decimals}f} {self.unit}")

    def validated_page(self) -> Page | None:
        """The page when the engine accepts the report with it; else None and the message shown."""
        data = report_to_data(self.document.report)
        data["page"] = self.page_data()
        problems = new_problems(self.document.report, data)
        if not problems:
            page = Page.model_validate(data["page"])
            if page.content_width <= 0 or page.content_height <= 0:
                problems = ["page: the margins leave no room for the content"]
        self.error_label.setText("\n".join(problems))
        return None if problems else page

    def accept(self) -> None:
        page = self.validated_page()
        if page is None:
            return
        if page != self.document.report.page:
            self.document.push(SetReportKeyCommand(self.document, "page", page, "Page setup"))
        super().accept()
