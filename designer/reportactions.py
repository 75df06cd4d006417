"""The Report menu's actions: data source, page setup, bands, groups, variables, parameters and styles dialogs, theme, Add Band."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from engine.model import BAND_ORDER, BAND_TYPES, GROUP_BANDS, SINGLE_BANDS, Report

from .commands import AddBandCommand, SetReportKeyCommand
from .dialogs import (
    BandsDialog,
    DataSourceDialog,
    GroupsDialog,
    PageSetupDialog,
    ParametersDialog,
    StylesDialog,
    VariablesDialog,
)
from .document import ElementRef, ReportDocument

#: the report themes, in the model's order
THEMES: tuple[str, ...] = get_args(Report.model_fields["theme"].annotation)


class ReportActions:
    """Builds the Report menu of one window; its dialogs open window-modal and edit the document."""

    def __init__(self, document: ReportDocument, parent: QWidget, unit: Callable[[], str]) -> None:
        self.document = document
        self.parent = parent
        #: the user's length unit now (the dialogs show lengths in it)
        self.unit = unit
        #: the dialog opened last (tests and screenshots reach it here)
        self.dialog: QDialog | None = None

    def _action(self, menu: QMenu, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self.parent)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def add_actions(self, menu: QMenu) -> None:
        self.data_source_action = self._action(
            menu, "&Data Source…", self.data_source, "Ctrl+Shift+D"
        )
        self.page_setup_action = self._action(menu, "Page &Setup…", self.page_setup, "Ctrl+Shift+P")
        self.bands_action = self._action(menu, "&Bands…", self.bands, "Ctrl+Shift+B")
        self.groups_action = self._action(menu, "&Groups…", self.groups, "Ctrl+Shift+G")
        self.variables_action = self._action(menu, "&Variables…", self.variables, "Ctrl+Shift+V")
        self.parameters_action = self._action(menu, "Para&meters…", self.parameters)
        self.styles_action = self._action(menu, "S&tyles…", self.styles, "Ctrl+Shift+Y")
        self.theme_menu = menu.addMenu("T&heme")
        self.theme_menu.setObjectName("themeMenu")
        group = QActionGroup(self.parent)
        self.theme_actions: dict[str, QAction] = {}
        for theme in THEMES:
            action = self.theme_menu.addAction(f"&{theme.capitalize()}")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, t=theme: self.set_theme(t))
            group.addAction(action)
            self.theme_actions[theme] = action
        self.document.report_changed.connect(self._show_theme)
        self._show_theme()
        menu.addSeparator()
        self.add_band_menu = menu.addMenu("&Add Band")
        self.add_band_menu.setObjectName("addBandMenu")
        self.add_band_menu.aboutToShow.connect(self.fill_add_band_menu)

    # -- dialogs -------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def data_source(self) -> QDialog:
        """Report ▸ Data Source: the file, database, table or query the rows come from."""
        return self._open(DataSourceDialog(self.document, self.parent))

    def page_setup(self) -> QDialog:
        """Report ▸ Page Setup: size, orientation, margins, columns."""
        return self._open(PageSetupDialog(self.document, self.unit(), self.parent))

    def bands(self) -> QDialog:
        """Report ▸ Bands: add, remove and order the bands."""
        return self._open(BandsDialog(self.document, self.parent))

    def groups(self) -> QDialog:
        """Report ▸ Groups: the grouping levels and their options."""
        return self._open(GroupsDialog(self.document, self.parent))

    def variables(self) -> QDialog:
        """Report ▸ Variables: named calculations."""
        return self._open(VariablesDialog(self.document, self.parent))

    def parameters(self) -> QDialog:
        """Report ▸ Parameters: values asked for at run time."""
        return self._open(ParametersDialog(self.document, self.parent))

    def styles(self) -> QDialog:
        """Report ▸ Styles: the named styles elements refer to."""
        return self._open(StylesDialog(self.document, self.unit(), self.parent))

    # -- theme -----------------------------------------------------------------------------

    def set_theme(self, theme: str) -> bool:
        """Report ▸ Theme: one undo step; False when the report has that theme already."""
        if self.document.report.theme == theme:
            return False
        self.document.push(
            SetReportKeyCommand(self.document, "theme", theme, f"Theme {theme.capitalize()}")
        )
        return True

    def _show_theme(self, *_: Any) -> None:
        action = self.theme_actions.get(self.document.report.theme)
        if action is not None:
            action.setChecked(True)

    # -- Add Band ------------------------------------------------------------------------

    def fill_add_band_menu(self) -> None:
        """Refill Report ▸ Add Band: once-only types present and taken group bands disabled."""
        menu = self.add_band_menu
        menu.clear()
        report = self.document.report
        present = {b.type for b in report.bands}
        for band_type in BAND_ORDER:
            caption = band_type.replace("_", " ").capitalize()
            if band_type in GROUP_BANDS:
                for group in report.groups:
                    taken = bool(report.bands_of(band_type, group.name))
                    action = menu.addAction(f"&{caption}: {group.name}")
                    action.setEnabled(not taken)
                    action.triggered.connect(
                        lambda _=False, t=band_type, g=group.name: self.add_band(t, g)
                    )
                continue
            action = menu.addAction(f"&{caption}")
            action.setEnabled(band_type not in SINGLE_BANDS or band_type not in present)
            action.triggered.connect(lambda _=False, t=band_type: self.add_band(t))

    def add_band(self, band_type: str, group: str | None = None) -> ElementRef:
        """Add an empty band of a type (group bands name their group); selects it."""
        data: dict[str, Any] = {"type": band_type, "height": 20}
        if group is not None:
            data["group"] = group
        command = AddBandCommand(self.document, BAND_TYPES[band_type].model_validate(data))
        self.document.push(command)
        self.document.set_selection([command.ref])
        return command.ref
