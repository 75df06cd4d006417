"""Help menu: About AshReports (version, licence, third-party notices) and About Qt."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from engine import __version__
from engine.paths import LICENSE_FILE, NOTICES_FILE

SUMMARY = (
    "<h2>AshReports {version}</h2>"
    "<p>A band-report designer and headless report engine: reports from SQL, CSV and JSON "
    "data to PDF, PNG and SVG, typeset by Typst.</p>"
    "<p>Licensed under the GNU Affero General Public License, version 3 or (at your option) "
    "any later version (AGPL-3.0-or-later). It ships third-party components under their own "
    "licences, listed below.</p>"
)


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return f"{path.name} is missing from this installation; see the AshReports source distribution."


class AboutDialog(QDialog):
    """The version, the product's licence and the third-party notices, each in a tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About AshReports")
        self.summary = QLabel(SUMMARY.format(version=__version__))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.notices = QTextBrowser()
        self.notices.setObjectName("noticesView")
        self.notices.setOpenExternalLinks(True)
        self.notices.setMarkdown(_text(NOTICES_FILE))
        self.licence = QTextBrowser()
        self.licence.setObjectName("licenceView")
        self.licence.setPlainText(_text(LICENSE_FILE))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.notices, "&Third-party notices")
        self.tabs.addTab(self.licence, "&Licence")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(720, 620)


def add_help_menu(window: QMainWindow) -> QMenu:
    """Append the Help menu to the window's menu bar; About opens non-blocking over the window."""
    menu = window.menuBar().addMenu("&Help")
    about = QAction("&About AshReports", window)
    about.setObjectName("aboutAction")
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about_qt = QAction("About &Qt", window)
    about_qt.setObjectName("aboutQtAction")
    about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)

    def show_about() -> None:
        dialog = window.findChild(AboutDialog) or AboutDialog(window)
        dialog.open()
        dialog.raise_()

    about.triggered.connect(show_about)
    about_qt.triggered.connect(lambda: QMessageBox.aboutQt(window, "About Qt"))
    menu.addAction(about)
    menu.addAction(about_qt)
    return menu
