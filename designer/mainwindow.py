"""The main window: canvas, docks (toolbox, outline, fields, properties, history, diagnostics) and toolbars wired to one document."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QUndoView,
    QWidget,
)

from engine.access import allow_folders
from engine.data.stream import FieldInfo
from engine.errors import ReportError
from engine.model import Report, read_report, save_report

from .about import add_help_menu
from .app import APP_NAME
from .autosave import Autosaver, discard_autosave, read_autosave, recoverable, untitled_autosaves
from .canvas import MAX_ZOOM, MIN_ZOOM, ReportView
from .commands import (
    RemoveBandCommand,
    RemoveElementsCommand,
    ReplaceReportCommand,
    SetReportKeyCommand,
)
from .diagnostics import DiagnosticsPanel
from .dialogs.paramprompt import ask_parameters
from .dialogs.trust import ask_trust as show_trust_dialog
from .document import ReportDocument, untitled_report
from .editactions import EditActions
from .fields import FieldsTree
from .inspector import InspectorPanel
from .outline import OutlineTree
from .preview import PreviewFeature
from .reportactions import ReportActions
from .settings import (
    UNITS,
    add_recent_file,
    format_length,
    recent_files,
    set_unit_preference,
    unit_preference,
)
from .toolbars import build_toolbars
from .toolbox import ToolboxList
from .trust import Trust, TrustRequest, TrustStore, decide_trust, trust_request
from .wizard import run_wizard
from .workers import FieldsWorker

log = logging.getLogger(__name__)

#: the file dialogs' filters; the first one is the default
FILE_FILTER = "AshReports reports (*.ashr);;All files (*)"

Button = QMessageBox.StandardButton

#: what the Fields dock says when the data source was not trusted
FIELDS_RETRY_HINT = "Refresh fields (Shift+F5) to be asked again."

#: the View menu's entries of the docks, with mnemonics that do not clash with its others
_DOCK_MENU_TEXT = {
    "toolboxDock": "Tool&box",
    "outlineDock": "Out&line",
    "fieldsDock": "Fiel&ds",
    "propertiesDock": "&Properties",
    "undoHistoryDock": "Undo &History",
    "diagnosticsDock": "Diag&nostics",
}


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
        self.fields = FieldsTree(self.document)
        self.history = QUndoView(self.document.undo_stack)
        self.history.setObjectName("historyView")
        self.history.setEmptyLabel("<opened>")
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.toolbox_dock = self._dock("toolboxDock", "Toolbox", self.toolbox, left)
        self.outline_dock = self._dock("outlineDock", "Outline", self.outline, left)
        self.properties_dock = self._dock("propertiesDock", "Properties", self.inspector, right)
        self.fields_dock = self._dock("fieldsDock", "Fields", self.fields, left)
        self.history_dock = self._dock("undoHistoryDock", "Undo History", self.history, right)
        self.diagnostics = DiagnosticsPanel(self.document)
        self.diagnostics_dock = self._dock(
            "diagnosticsDock",
            "Diagnostics",
            self.diagnostics,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self.diagnostics.property_requested.connect(self.inspector.focus_property)
        self.tabifyDockWidget(self.outline_dock, self.fields_dock)
        self.outline_dock.raise_()
        self.resizeDocks(
            [self.toolbox_dock, self.outline_dock], [220, 300], Qt.Orientation.Vertical
        )
        self.resizeDocks(
            [self.properties_dock, self.history_dock], [560, 160], Qt.Orientation.Vertical
        )
        self.resizeDocks(
            [self.toolbox_dock, self.properties_dock], [260, 320], Qt.Orientation.Horizontal
        )
        self.unit = unit_preference()
        self.position_label = QLabel("")
        self.position_label.setObjectName("positionLabel")
        self.position_label.setMinimumWidth(240)
        self.zoom_label = QLabel("100 %")
        self.statusBar().addPermanentWidget(self.position_label)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.edit_actions = EditActions(self.document, self, lambda: self.view.last_band)
        self.report_actions = ReportActions(self.document, self, lambda: self.unit)
        self.view.set_unit(self.unit)
        self.inspector.set_unit(self.unit)
        self.preview = PreviewFeature(self, self.document)
        self.preview.controller.parameter_provider = ask_parameters
        self.trust_store = TrustStore()
        self.preview.controller.trust_provider = self.decide_trust
        self.preview.controller.failed.connect(lambda e: self.diagnostics.show_errors("render", e))
        self.preview.controller.rendered.connect(
            lambda _: self.diagnostics.show_errors("render", [])
        )
        self._build_menus()
        self.document.modified_changed.connect(self._update_title)
        self.document.path_changed.connect(self._update_title)
        self.document.report_changed.connect(self._update_title)
        self.document.selection_changed.connect(self._selection_changed)
        self.document.selection_changed.connect(self.edit_actions.selection_changed)
        # opening a file never reads its data: the fields shown are the ones it declares
        self.document.report_changed.connect(self._source_changed)
        self.document.path_changed.connect(self._source_changed)
        self.document.undo_stack.indexChanged.connect(self._command_applied)
        self.fields.refresh_requested.connect(self.refresh_fields)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)} %"))
        self.view.cursor_moved.connect(self._show_position)
        self.autosaver = Autosaver(self.document, parent=self)
        self._fields_generation = 0
        self._fields_key: Any = object()
        self._asking_trust = False
        #: a report is being opened (or made new): its data source is not read
        self._resetting = False
        self._update_title()
        self._selection_changed(self.document.selection)
        self.edit_actions.selection_changed(self.document.selection)
        self._shown = False
        self.resize(1280, 860)
        self.restore_layout()
        self._source_changed()

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(f"{title} dock")
        widget.setAccessibleName(title)
        dock.setWidget(widget)
        # the View menu lists the docks under their titles with a mnemonic
        dock.toggleViewAction().setText(_DOCK_MENU_TEXT[name])
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
        self.new_template_action = self._action(
            file_menu, "New from &Template…", self.new_from_template, "Ctrl+Shift+N"
        )
        self.open_action = self._action(file_menu, "&Open…", self.open_dialog, keys.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        file_menu.addSeparator()
        self.save_action = self._action(file_menu, "&Save", self.save, keys.Save)
        self.save_as_action = self._action(file_menu, "Save &As…", self.save_as, keys.SaveAs)
        file_menu.addSeparator()
        self.preview.add_file_actions(file_menu)
        file_menu.addSeparator()
        self.close_action = self._action(file_menu, "&Close", self.close_document, keys.Close)
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
        self.edit_actions.add_clipboard_actions(edit_menu)
        self.delete_action = self._action(edit_menu, "&Delete", self.delete_selection, keys.Delete)
        self.select_all_action = self._action(
            edit_menu, "Select &All", self.select_all, keys.SelectAll
        )

        view_menu = bar.addMenu("&View")
        self.zoom_in_action = self._action(view_menu, "Zoom &In", self.view.zoom_in, keys.ZoomIn)
        self.zoom_out_action = self._action(
            view_menu, "Zoom &Out", self.view.zoom_out, keys.ZoomOut
        )
        self._action(view_menu, "&Actual Size (100 %)", lambda: self.view.set_zoom(1.0), "Ctrl+0")
        self.fit_width_action = self._action(
            view_menu, "&Fit Width", lambda: self.view.fit_width(MAX_ZOOM, MIN_ZOOM), "Ctrl+9"
        )
        self.rulers_action = self._toggle(view_menu, "&Rulers", self.view.set_rulers_visible)
        self.rulers_action.setShortcut(QKeySequence("Ctrl+R"))
        view_menu.addSeparator()
        self.grid_action = self._toggle(view_menu, "Show &Grid", self.view.set_grid_visible)
        self.snap_action = self._toggle(view_menu, "&Snap to Grid", self.view.set_snap_enabled)
        self.guides_action = self._toggle(
            view_menu, "Snap to &Elements (Guides)", self.view.set_guides_enabled
        )
        units_menu = view_menu.addMenu("&Units")
        group = QActionGroup(self)
        self.unit_actions: dict[str, QAction] = {}
        for unit in UNITS:
            action = units_menu.addAction(f"&{unit}")
            action.setCheckable(True)
            action.setChecked(unit == self.unit)
            action.triggered.connect(lambda _=False, u=unit: self.set_unit(u))
            group.addAction(action)
            self.unit_actions[unit] = action
        view_menu.addSeparator()
        self.preview.add_view_actions(view_menu)
        self.refresh_fields_action = self._action(
            view_menu, "Refresh Fields", self.refresh_fields, "Shift+F5"
        )
        self.forget_trust_action = self._action(
            view_menu, "Forget Trusted Data Sour&ces", self.forget_trusted_sources
        )
        for dock in (
            self.toolbox_dock, self.outline_dock, self.fields_dock,
            self.properties_dock, self.history_dock, self.diagnostics_dock,
        ):  # fmt: skip
            view_menu.addAction(dock.toggleViewAction())
        self.toolbars_menu = view_menu.addMenu("&Toolbars")

        arrange_menu = bar.addMenu("&Arrange")
        self.edit_actions.add_arrange_actions(arrange_menu)

        report_menu = bar.addMenu("&Report")
        self.report_actions.add_actions(report_menu)
        self.add_band_menu = self.report_actions.add_band_menu
        self.toolbars = build_toolbars(self)
        for bar in self.toolbars.values():
            self.toolbars_menu.addAction(bar.toggleViewAction())
        self.help_menu = add_help_menu(self)  # keep last: Help is the menu bar's last menu

    def _toggle(self, menu: QMenu, text: str, slot: Any) -> QAction:
        action = QAction(text, self)
        action.setCheckable(True)
        action.setChecked(True)
        action.toggled.connect(slot)
        menu.addAction(action)
        return action

    # -- edit ---------------------------------------------------------------------------

    def add_band(self, band_type: str, group: str | None = None) -> None:
        """Add an empty band of a type (group bands name their group)."""
        self.report_actions.add_band(band_type, group)

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

    # -- status bar, fields ----------------------------------------------------------------

    def set_unit(self, unit: str) -> None:
        """Show positions in mm, in or pt from now on (and in later sessions)."""
        set_unit_preference(unit)
        self.unit = unit
        self.unit_actions[unit].setChecked(True)
        self.view.set_unit(unit)
        self.inspector.set_unit(unit)

    def _show_position(self, caption: str, x: float, y: float) -> None:
        u = self.unit
        self.position_label.setText(
            f"{caption}   x {format_length(x, u)}   y {format_length(y, u)}"
        )

    # -- data: trust, fields ----------------------------------------------------------------

    def ask_trust(self, request: TrustRequest) -> bool:
        """Ask the user whether to trust a report's data (the trust dialog; a hook tests may replace)."""
        return show_trust_dialog(request, self)

    def decide_trust(self, report: Report, base_dir: Path | None, retry: bool = True) -> Trust:
        """Whether an action may read a report's data: remembered, or asked once (designer.trust)."""
        if self._asking_trust:  # a timer fired while the dialog is up: this run waits for it
            return Trust(False, message="Waiting for your answer about this report's data.")
        self._asking_trust = True
        try:
            trust = decide_trust(
                trust_request(report, base_dir), self.ask_trust, retry=retry, store=self.trust_store
            )
        finally:
            self._asking_trust = False
        if trust.granted and trust.folders:
            # the fields worker reads in this process: the folders the user trusted, for it too
            allow_folders(trust.folders)
        return trust

    def forget_trusted_sources(self) -> None:
        """Forget every Trust answer: each source is asked about again at its next read."""
        self.trust_store.forget_all()
        self.statusBar().showMessage(
            "Forgot the trusted data sources: each is asked about again", 8000
        )

    def trust_typed_source(self) -> None:
        """The current data source was typed by the user (data source dialog, wizard): trusted this session."""
        report = self.document.report
        if report.data_source is None:
            return
        request = trust_request(report, self._base_dir())
        keys = [request.source.key] if request.source is not None else []
        if request.source is not None and request.source.file is not None:
            # a file the user picked outside the report's folder: its folder too
            folder = request.source.file.parent
            if folder in request.folders:
                keys.append(request.folder_key(folder))
        self.trust_store.trust_for_session(keys)

    def _carry_trust(self, folder: Path) -> None:
        """Saved into another folder: a trusted source that reads the same things there stays trusted (this session)."""
        report = self.document.report
        before = trust_request(report, self._base_dir())
        after = trust_request(report, folder)
        if before.empty or before.keys() == after.keys():
            return
        same = before.folders == after.folders and (
            before.source is None
            or (after.source is not None and before.source.details == after.source.details)
        )
        if same and decide_trust(before, None, store=self.trust_store).granted:
            self.trust_store.trust_for_session(after.keys())

    def _base_dir(self) -> Path | None:
        path = self.document.path
        return path.parent if path is not None else None

    def _declared_fields(self) -> list[FieldInfo]:
        source = self.document.report.data_source
        declared = source.fields if source is not None else None
        return [FieldInfo(f.name, f.type) for f in declared or ()]

    def _reset_document(self, report: Report, path: Path | None) -> None:
        """Replace the document (New, Open, Close) without reading the new report's data."""
        self._resetting = True
        try:
            self.document.reset(report, path)
        finally:
            self._resetting = False

    def _source_changed(self, *_: Any) -> None:
        """Another report, file or data source: its declared fields; read again only after an edit of a trusted source."""
        report = self.document.report
        key = (report.data_source, report.parameters, self.document.path)
        if key == self._fields_key:
            return
        same_source = (
            isinstance(self._fields_key, tuple)
            and self._fields_key[0] == report.data_source
            and self._fields_key[2] == self.document.path
        )
        self._fields_key = key
        if same_source and self.document.fields and not self.document.fields_error:
            return  # only the parameters changed: the fields read stay right
        self._fields_generation += 1  # an answer still coming is for the old source
        self.document.set_fields(self._declared_fields())
        if self._resetting or report.data_source is None:
            return  # opening a file never reads its data, trusted or not
        request = trust_request(report, self._base_dir())
        if decide_trust(request, None, store=self.trust_store).granted:
            self.refresh_fields()  # an edit of a source the user trusts: read as before

    def _command_applied(self, index: int) -> None:
        """A data source set by the user's own command (data source dialog) is trusted and read."""
        command = self.document.undo_stack.command(index - 1) if index > 0 else None
        if (
            isinstance(command, SetReportKeyCommand)
            and command.key == "data_source"
            and command.value == self.document.report.data_source
            and command.value is not None
        ):
            self.trust_typed_source()
            if not self.document.fields_loading:  # not already read as a trusted source
                self.refresh_fields()

    def refresh_fields(self, *_: Any) -> bool:
        """Read the data source's fields in a worker thread, once the user trusts the source.

        Returns False when nothing is read (no data source, or the user did not trust it:
        the Fields dock then says so).
        """
        report = self.document.report
        path = self.document.path
        self._fields_key = (report.data_source, report.parameters, path)
        self._fields_generation += 1
        if report.data_source is None:
            self.document.set_fields([])
            return False
        trust = self.decide_trust(report, path.parent if path else None)
        if not trust.granted:
            self.document.set_fields(
                self._declared_fields(), f"{trust.message} {FIELDS_RETRY_HINT}"
            )
            self.statusBar().showMessage(trust.message, 8000)
            return False
        self.document.set_fields([], loading=True)
        worker = FieldsWorker(report, path.parent if path else None, self._fields_generation)
        worker.fields_read.connect(self._fields_read)
        worker.failed.connect(self._fields_failed)
        worker.start_kept()
        return True

    def _fields_read(self, generation: int, fields: list[Any]) -> None:
        if generation == self._fields_generation:
            self.document.set_fields(fields)

    def _fields_failed(self, generation: int, message: str) -> None:
        if generation == self._fields_generation:
            self.document.set_fields([], message)

    # -- window state -------------------------------------------------------------------

    def save_layout(self) -> None:
        """Remember the window's geometry and dock layout (QSettings)."""
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())

    def restore_layout(self) -> bool:
        """Restore the geometry and dock layout of the last window closed."""
        settings = QSettings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        restored = False
        if geometry is not None:
            restored = self.restoreGeometry(geometry)
        if state is not None:
            restored = self.restoreState(state) and restored
        return restored

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self.view.fit_width()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.confirm_discard():
            self.save_layout()
            self.autosaver.timer.stop()
            self.autosaver.discard()  # the changes were saved or knowingly discarded
            # a closed window renders nothing more (nor asks about the data for a render)
            self.preview.controller.set_active(False)
            event.accept()
        else:
            event.ignore()

    def new_report(self) -> None:
        if self.confirm_discard():
            self._reset_document(untitled_report(), None)

    def new_from_template(self) -> bool:
        """File ▸ New from Template: the wizard's report becomes a new unsaved document."""
        if not self.confirm_discard():
            return False
        report = run_wizard(self)
        if report is not None:
            self._reset_document(report, None)
            # the wizard's source is the bundled sample or one the user typed in it
            self.trust_typed_source()
            self.view.fit_width()
        return report is not None

    def close_document(self) -> bool:
        """File ▸ Close: after Save/Discard/Cancel when modified, an empty new report is left."""
        if not self.confirm_discard():
            return False
        self.autosaver.discard()  # saved or knowingly discarded
        self._reset_document(untitled_report(), None)
        self.statusBar().showMessage("Closed the report", 3000)
        return True

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
            self.diagnostics.show_errors("load", result.diagnostics, file=path.name)
            lines = [d.format(str(path)) for d in result.errors] or [f"{path}: cannot be read"]
            self.show_error(f"Cannot open {path.name}", lines)
            return False
        self._reset_document(result.report, path.resolve())
        self.diagnostics.show_errors("load", result.warnings)
        self._resetting = True  # a recovered autosave is opened too: its data is not read
        try:
            self.offer_recovery(path.resolve())
        finally:
            self._resetting = False
        add_recent_file(path)
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
        self._carry_trust(path.resolve().parent)
        self.document.mark_saved(path.resolve())
        discard_autosave(path.resolve())
        add_recent_file(path)
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def fill_recent_menu(self) -> None:
        """Refill File ▸ Open Recent from the settings."""
        self.recent_menu.clear()
        files = recent_files()
        for i, path in enumerate(files, 1):
            action = self.recent_menu.addAction(f"&{i % 10} {path.name}")
            action.setToolTip(str(path))
            action.setData(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        if not files:
            self.recent_menu.addAction("(&none)").setEnabled(False)

    def ask_recover(self, path: Path, saved: Path) -> bool:
        """Whether to recover an autosave newer than its file (a hook tests replace)."""
        answer = QMessageBox.question(
            self,
            APP_NAME,
            f"{path.name} has unsaved changes from an earlier session (autosaved). Recover them?",
            Button.Yes | Button.No,
            Button.Yes,
        )
        return answer == Button.Yes

    def offer_recovery(self, path: Path) -> bool:
        """Offer the autosave of a just-opened file; recovered changes are one undo step, unsaved."""
        saved = recoverable(path)
        if saved is None:
            return False
        report = read_autosave(saved)
        if report is None or report == self.document.report:
            discard_autosave(path)
            return False
        if not self.ask_recover(path, saved):
            discard_autosave(path)
            return False
        self.document.push(ReplaceReportCommand(self.document, report, "Recover autosave"))
        self.statusBar().showMessage(f"Recovered the autosave of {path.name}", 8000)
        return True

    def offer_untitled_recovery(self) -> bool:
        """At start-up: offer the newest autosave of a never-saved report left by a crash."""
        for saved in untitled_autosaves():
            report = read_autosave(saved)
            if report is not None and self.ask_recover(Path("An untitled report"), saved):
                self.document.push(ReplaceReportCommand(self.document, report, "Recover autosave"))
                saved.unlink(missing_ok=True)
                return True
            saved.unlink(missing_ok=True)
        return False

    def show_error(self, title: str, lines: list[str]) -> None:
        """A message box listing problems, one per line (path: message)."""
        log.error("%s: %s", title, "; ".join(lines))
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, title, Button.Ok, self)
        box.setInformativeText("\n".join(lines[:20]) + ("\n…" if len(lines) > 20 else ""))
        box.setObjectName("errorBox")
        box.exec()
