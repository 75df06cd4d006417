"""The preview in a window: the Preview dock, View ▸ Preview and Refresh Data, File ▸ Export… and Print…."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMenu

from .controller import PreviewController
from .pane import PreviewPane
from .printing import PrintWorker
from .progressdialog import preload_plots

#: File ▸ Export…'s filters and the format each one writes
EXPORT_FILTERS: dict[str, str] = {
    "PDF document (*.pdf)": "pdf",
    "PNG images, one per page (*.png)": "png",
    "SVG images, one per page (*.svg)": "svg",
    "CSV rows (*.csv)": "csv",
    "JSON filled bands (*.json)": "json",
}


class PreviewFeature(QObject):
    """Builds the preview dock and its actions for a main window and one document."""

    def __init__(self, window: QMainWindow, document: Any) -> None:
        super().__init__(window)
        self.window = window
        self.pane = PreviewPane()
        self.dock = QDockWidget("Preview", window)
        self.dock.setObjectName("previewDock")
        self.dock.setAccessibleName("Preview dock")
        self.dock.setWidget(self.pane)
        # a column of its own right of the properties: pages need the room
        window.addDockWidget(
            Qt.DockWidgetArea.RightDockWidgetArea, self.dock, Qt.Orientation.Horizontal
        )
        self.dock.hide()
        self.controller = PreviewController(document, self.pane, window)
        # the progress plots' library loads in the background once the window is up
        QTimer.singleShot(1500, preload_plots)
        renderer = self.pane.renderer
        window.destroyed.connect(lambda *_: renderer.request_stop())
        self.dock.visibilityChanged.connect(self.controller.set_active)
        self.preview_action = self.dock.toggleViewAction()
        self.preview_action.setText("Pre&view")
        self.preview_action.setShortcut(QKeySequence("F9"))
        self.refresh_action = self._action("Refresh Data", self.refresh_data, "F5")
        self.export_action = self._action("&Export…", self.export_dialog, "Ctrl+E")
        self.print_action = self._action(
            "&Print…", self.print_dialog, QKeySequence.StandardKey.Print
        )
        self._print_pending = False
        self._printing: PrintWorker | None = None
        self.controller.rendered.connect(self._rendered)

    def _action(self, text: str, slot: Any, shortcut: Any) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def add_file_actions(self, menu: QMenu) -> None:
        menu.addAction(self.export_action)
        menu.addAction(self.print_action)

    def add_view_actions(self, menu: QMenu) -> None:
        menu.addAction(self.preview_action)
        menu.addAction(self.refresh_action)

    def show_preview(self) -> None:
        """Show the Preview dock (it renders at once)."""
        first = not self.dock.isVisible() and self.dock.width() < 300
        self.dock.show()
        self.dock.raise_()
        if first:
            self.window.resizeDocks([self.dock], [460], Qt.Orientation.Horizontal)

    def refresh_data(self) -> None:
        self.show_preview()
        self.controller.refresh_data()

    # -- export ------------------------------------------------------------------------------

    def ask_export_target(self) -> tuple[Path, str] | None:
        """The file and format to export to (a file dialog; a hook tests replace)."""
        document = self.controller.document
        start = (
            document.path.with_suffix(".pdf")
            if document.path
            else Path(f"{document.report.name}.pdf")
        )
        name, chosen = QFileDialog.getSaveFileName(
            self.window, "Export report", str(start), ";;".join(EXPORT_FILTERS)
        )
        if not name:
            return None
        return export_target(Path(name), EXPORT_FILTERS.get(chosen, "pdf"))

    def export_dialog(self) -> bool:
        """File ▸ Export…: pick a file and format, then render with the progress dialog."""
        if self.controller.exporting:
            return False
        target = self.ask_export_target()
        if target is None:
            return False
        return self.controller.export(*target)

    # -- print -------------------------------------------------------------------------------

    def ask_printer(self, printer: QPrinter, pages: int) -> bool:
        """Let the user pick a printer and pages (QPrintDialog; a hook tests replace)."""
        dialog = QPrintDialog(printer, self.window)
        dialog.setMinMax(1, max(1, pages))
        return dialog.exec() == QPrintDialog.DialogCode.Accepted

    def print_dialog(self) -> None:
        """File ▸ Print…: print the current preview (rendering it first when it is not up to date)."""
        controller = self.controller
        current = (
            controller.last_result is not None
            and controller.last_job is not None
            and (controller.last_job.report == controller.document.report and not controller.busy)
        )
        if not current:
            self._print_pending = True
            self.show_preview()
            if not controller.busy and not controller.run_preview():
                self._print_pending = False  # not trusted: nothing to print, now or later
            return
        self._print(controller.last_result)

    def _rendered(self, result: Any) -> None:
        if self._print_pending:
            self._print_pending = False
            self._print(result)

    def _print(self, result: Any) -> None:
        if self._printing is not None or result is None or result.pdf is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(
            self.controller.document.report.title or self.controller.document.report.name
        )
        if not self.ask_printer(printer, result.page_count):
            return
        worker = self._printing = PrintWorker(result.pdf, printer)
        status = self.window.statusBar()
        worker.page_printed.connect(lambda d, t: status.showMessage(f"Printing page {d} of {t}…"))
        worker.printed.connect(lambda n: status.showMessage(f"Printed {n} pages", 5000))
        worker.finished.connect(self._printed)
        worker.start()

    def _printed(self) -> None:
        self._printing = None


def export_target(path: Path, fmt: str) -> tuple[Path, str]:
    """The format from the file's extension when it names one, else the chosen filter's (added as the extension)."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix in EXPORT_FILTERS.values():
        return path, suffix
    return path.with_name(f"{path.name}.{fmt}"), fmt
