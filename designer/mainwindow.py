"""The main window: canvas, toolbox, properties and outline docks wired to one document; menus and files."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from engine.errors import ReportError
from engine.model import BAND_ORDER, BAND_TYPES, GROUP_BANDS, SINGLE_BANDS, read_report, save_report

from .app import APP_NAME
from .canvas import ReportView
from .commands import AddBandCommand, RemoveBandCommand, RemoveElementsCommand
from .document import ReportDocument, untitled_report
from .inspector import InspectorPanel
from .outline import OutlineTree
from .toolbox import ToolboxList

log = logging.getLogger(__name__)

#: the file dialogs' filters; the first one is the default
FILE_FILTER = "AshReports reports (*.ashr);;All files (*)"

Button = QMessageBox.StandardButton


class MainWindow(QMainWindow):
    """One designer window editing one report document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.document = ReportDocument()
        self.view = ReportView(self.document, self)
        self.setCentralWidget(self.view)
        self.toolbox = ToolboxList()
        self.inspector = InspectorPanel(self.document)
        self.outline = OutlineTree(self.document)
        self.toolbox_dock = self._dock(
            "toolboxDock", "Toolbox", self.toolbox, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.outline_dock = self._dock(
            "outlineDock", "Outline", self.outline, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.properties_dock = self._dock(
            "propertiesDock", "Properties", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.resizeDocks(
            [self.toolbox_dock, self.outline_dock], [220, 300], Qt.Orientation.Vertical
        )
        self.resizeDocks(
            [self.toolbox_dock, self.properties_dock], [200, 300], Qt.Orientation.Horizontal
        )
        self.zoom_label = QLabel("100 %")
        self.statusBar().addPermanentWidget(self.zoom_label)
        self._build_menus()
        self.document.modified_changed.connect(self._update_title)
        self.document.path_changed.connect(self._update_title)
        self.document.report_changed.connect(self._update_title)
        self.document.selection_changed.connect(self._selection_changed)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)} %"))
        self._update_title()
        self._selection_changed(self.document.selection)
        self._shown = False
        self.resize(1280, 860)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # -- menus ----------------------------------------------------------------------------

    def _action(self, menu: QMenu, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        keys = QKeySequence.StandardKey
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_action = self._action(file_menu, "&New", self.new_report, keys.New)
        self.open_action = self._action(file_menu, "&Open…", self.open_dialog, keys.Open)
        self.save_action = self._action(file_menu, "&Save", self.save, keys.Save)
        self.save_as_action = self._action(file_menu, "Save &As…", self.save_as, keys.SaveAs)
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, "&Quit", self.close, keys.Quit)

        edit_menu = bar.addMenu("&Edit")
        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(keys.Undo))
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(keys.Redo))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.delete_action = self._action(edit_menu, "&Delete", self.delete_selection, keys.Delete)
        self.select_all_action = self._action(
            edit_menu, "Select &All", self.select_all, keys.SelectAll
        )

        view_menu = bar.addMenu("&View")
        self._action(view_menu, "Zoom &In", self.view.zoom_in, keys.ZoomIn)
        self._action(view_menu, "Zoom &Out", self.view.zoom_out, keys.ZoomOut)
        self._action(view_menu, "&Actual Size (100 %)", lambda: self.view.set_zoom(1.0), "Ctrl+0")
        view_menu.addSeparator()
        for dock in (self.toolbox_dock, self.outline_dock, self.properties_dock):
            view_menu.addAction(dock.toggleViewAction())

        report_menu = bar.addMenu("&Report")
        self.add_band_menu = report_menu.addMenu("Add &Band")
        self.add_band_menu.aboutToShow.connect(self._fill_add_band_menu)

    def _fill_add_band_menu(self) -> None:
        menu = self.add_band_menu
        menu.clear()
        report = self.document.report
        present = {b.type for b in report.bands}
        for band_type in BAND_ORDER:
            caption = band_type.replace("_", " ").capitalize()
            if band_type in GROUP_BANDS:
                for group in report.groups:
                    taken = bool(report.bands_of(band_type, group.name))
                    action = menu.addAction(f"{caption}: {group.name}")
                    action.setEnabled(not taken)
                    action.triggered.connect(
                        lambda _=False, t=band_type, g=group.name: self.add_band(t, g)
                    )
                continue
            action = menu.addAction(caption)
            action.setEnabled(band_type not in SINGLE_BANDS or band_type not in present)
            action.triggered.connect(lambda _=False, t=band_type: self.add_band(t))

    # -- edit ---------------------------------------------------------------------------

    def add_band(self, band_type: str, group: str | None = None) -> None:
        """Add an empty band of a type (group bands name their group)."""
        data: dict[str, Any] = {"type": band_type, "height": 20}
        if group is not None:
            data["group"] = group
        command = AddBandCommand(self.document, BAND_TYPES[band_type].model_validate(data))
        self.document.push(command)
        self.document.set_selection([command.ref])

    def delete_selection(self) -> None:
        """Delete the selected elements, or the selected band with its elements."""
        refs = self.document.selection
        elements = [r for r in refs if not self.document.is_band(r)]
        if elements:
            self.document.push(RemoveElementsCommand(self.document, elements))
        elif refs:
            self.document.push(RemoveBandCommand(self.document, refs[0]))

    def select_all(self) -> None:
        self.document.set_selection(self.document.element_refs())

    def _selection_changed(self, refs: list[Any]) -> None:
        self.delete_action.setEnabled(bool(refs))

    # -- files --------------------------------------------------------------------------

    def _update_title(self, *_: Any) -> None:
        path = self.document.path
        name = path.name if path is not None else f"{self.document.report.name} (unsaved)"
        star = "*" if self.document.modified else ""
        self.setWindowTitle(f"{name}{star} — {APP_NAME}")

    def ask_save_changes(self) -> Button:
        """Ask whether to save unsaved changes: Save, Discard or Cancel."""
        return QMessageBox.question(
            self,
            APP_NAME,
            f"Save the changes to {self.document.report.name}?",
            Button.Save | Button.Discard | Button.Cancel,
            Button.Save,
        )

    def confirm_discard(self) -> bool:
        """True when the current report may be replaced or closed (saved, discarded or unchanged)."""
        if not self.document.modified:
            return True
        answer = self.ask_save_changes()
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self.view.fit_width()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.confirm_discard():
            event.accept()
        else:
            event.ignore()

    def new_report(self) -> None:
        if self.confirm_discard():
            self.document.reset(untitled_report(), None)

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        start = str(self.document.path.parent) if self.document.path else ""
        name, _ = QFileDialog.getOpenFileName(self, "Open report", start, FILE_FILTER)
        if name:
            self.open_file(Path(name), confirmed=True)

    def open_file(self, path: Path | str, *, confirmed: bool = False) -> bool:
        """Open a report; a file with errors is shown in a message box and nothing changes."""
        path = Path(path)
        if not confirmed and not self.confirm_discard():
            return False
        result = read_report(path)
        if result.report is None:
            lines = [d.format(str(path)) for d in result.errors] or [f"{path}: cannot be read"]
            self.show_error(f"Cannot open {path.name}", lines)
            return False
        self.document.reset(result.report, path.resolve())
        self.view.fit_width()
        for warning in result.warnings:
            log.warning("%s", warning.format(str(path)))
        if result.warnings:
            self.statusBar().showMessage(f"{len(result.warnings)} warning(s) in {path.name}", 8000)
        return True

    def save(self) -> bool:
        """Save to the current file, or ask for one."""
        if self.document.path is None:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        start = str(self.document.path or Path.cwd() / f"{self.document.report.name}.ashr")
        name, _ = QFileDialog.getSaveFileName(self, "Save report as", start, FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if path.suffix == "":
            path = path.with_suffix(".ashr")
        return self.save_to(path)

    def save_to(self, path: Path | str) -> bool:
        """Write the report atomically (the old file is kept as .bak); errors go to a message box."""
        path = Path(path)
        try:
            save_report(self.document.report, path)
        except ReportError as exc:
            self.show_error(f"Cannot save {path.name}", exc.lines())
            return False
        self.document.mark_saved(path.resolve())
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def show_error(self, title: str, lines: list[str]) -> None:
        """A message box listing problems, one per line (path: message)."""
        log.error("%s: %s", title, "; ".join(lines))
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, title, Button.Ok, self)
        box.setInformativeText("\n".join(lines[:20]) + ("\n…" if len(lines) > 20 else ""))
        box.setObjectName("errorBox")
        box.exec()
