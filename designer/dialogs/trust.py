"""The trust prompt: a TrustRequest in (the report's data source, folders outside its folder), the user's Trust or Don't Trust out."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ..trust import TrustRequest

_NOTE = "color: #475569;"


def _value(text: str) -> QLabel:
    """A value the user may want to copy (a path, a host): selectable, wrapped anywhere."""
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # a report's text is never markup here
    return label


class TrustDialog(QDialog):
    """Asks whether to read a report's data: what will be accessed, and Trust or Don't Trust (the default)."""

    def __init__(self, request: TrustRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.setObjectName("trustDialog")
        self.setWindowTitle("Trust this report's data?")
        self.setAccessibleName("Trust this report's data")
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        heading = QLabel(
            f"<b>The report “{escape(request.report_name)}” wants to read data.</b><br>"
            "Trust it only if you expected this report to read what is listed below."
        )
        heading.setWordWrap(True)
        heading.setObjectName("trustHeading")
        layout = QVBoxLayout(self)
        top = QFormLayout()
        top.addRow(icon, heading)
        layout.addLayout(top)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addRow("Report folder:", _value(str(request.report_folder)))
        if request.source is not None:
            kind = QLabel(f"<b>{escape(request.source.title)}</b>")
            form.addRow("Data source:", kind)
            for label, value in request.source.details:
                form.addRow(f"{label}:", _value(value))
        if request.folders:
            folders = _value("\n".join(str(f) for f in request.folders))
            folders.setObjectName("trustFolders")
            form.addRow("Folders outside it:", folders)
        layout.addLayout(form)
        note = QLabel(
            "Data is only ever read, never changed. Your answer is remembered for this "
            "source in this folder."
            + (
                " Trusting also lets this report read files in the folders outside its own."
                if request.folders
                else ""
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet(_NOTE)
        layout.addWidget(note)
        self.buttons = QDialogButtonBox()
        self.trust_button = QPushButton("&Trust")
        self.trust_button.setObjectName("trustButton")
        self.distrust_button = QPushButton("&Don't Trust")
        self.distrust_button.setObjectName("distrustButton")
        self.buttons.addButton(self.trust_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.distrust_button, QDialogButtonBox.ButtonRole.RejectRole)
        # Enter must never trust by accident: the safe answer is the default
        self.trust_button.setAutoDefault(False)
        self.distrust_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)


def ask_trust(request: TrustRequest, parent: QWidget | None = None) -> bool:
    """Show the trust prompt (modal); True when the user chose Trust."""
    dialog = TrustDialog(request, parent)
    answer = dialog.exec() == QDialog.DialogCode.Accepted
    if not isValid(dialog):  # its window closed (and deleted it) while it was asking: no answer
        return False
    dialog.deleteLater()
    return answer
