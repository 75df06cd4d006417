"""The diagnostics pane: load, validation, expression, data and render problems of the document in, a clickable list out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.errors import Diagnostic, ParameterError, ReportError, ReportValidationError, error
from engine.fill import check_expressions
from engine.model import validate_report

from .document import ElementRef, ReportDocument

#: where a problem was found, in the order the list shows them
SOURCES = ("load", "validation", "expression", "data", "render")
#: the sources revalidation computes itself (the others are reported to the pane)
_OWN = ("validation", "expression")
_PATH_RE = re.compile(r"^bands\[(\d+)\](?:\.elements\[(\d+)\])?(?:\.(.+))?$")
#: item role holding the entry's index in `entries`
_ENTRY_ROLE = Qt.ItemDataRole.UserRole
#: how long edits wait before the model is checked again
DEBOUNCE_MS = 300


@dataclass(frozen=True)
class Entry:
    """One listed problem: its diagnostic and what found it."""

    source: str
    diagnostic: Diagnostic


def as_diagnostics(errors: object) -> list[Diagnostic]:
    """An engine ReportError, a Diagnostic, a list of them, or None → a list of Diagnostics."""
    if errors is None:
        return []
    if isinstance(errors, Diagnostic):
        return [errors]
    if isinstance(errors, ReportValidationError):
        return list(errors.diagnostics)
    if isinstance(errors, ParameterError):
        return [error("parameter", problem) for problem in errors.problems]
    if isinstance(errors, ReportError):
        return [error(type(errors).__name__, errors.message)]
    if isinstance(errors, BaseException):
        return [error(type(errors).__name__, str(errors) or type(errors).__name__)]
    if isinstance(errors, str):
        return [error("message", errors)] if errors else []
    if isinstance(errors, Iterable):
        found: list[Diagnostic] = []
        for item in errors:
            found.extend(as_diagnostics(item))
        return found
    raise TypeError(f"cannot show {type(errors).__name__} as diagnostics")


def locate(document: ReportDocument, path: str) -> tuple[ElementRef | None, str]:
    """The band or element a JSON path points into (None: the report) and the property path inside it."""
    match = _PATH_RE.match(path)
    if match is None:
        return None, path
    band, element, rest = match.group(1), match.group(2), match.group(3) or ""
    refs = document.band_refs()
    b = int(band)
    if b >= len(refs):
        return None, ""
    if element is None:
        return refs[b], rest
    elements = document.element_refs(refs[b])
    e = int(element)
    if e >= len(elements):
        return refs[b], ""
    return elements[e], rest


class DiagnosticsPanel(QWidget):
    """Lists every known problem; rechecks the model (debounced) after each change.

    Clicking a problem selects its band or element through the document and emits
    `property_requested` with the property path inside it, for the inspector to focus.
    """

    property_requested = Signal(str)
    #: (errors, warnings) after each change of the list
    counts_changed = Signal(int, int)

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagnosticsPanel")
        self.document = document
        self._by_source: dict[str, list[Diagnostic]] = {s: [] for s in SOURCES}
        self.entries: list[Entry] = []
        self.summary = QLabel("")
        self.summary.setObjectName("diagnosticsSummary")
        self.summary.setStyleSheet("padding: 2px 4px;")
        self.tree = QTreeWidget()
        self.tree.setObjectName("diagnosticsList")
        self.tree.setAccessibleName("Problems")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderLabels(["Message", "Element", "Path", "Source"])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemClicked.connect(lambda item, _column: self.activate(item))
        self.tree.itemActivated.connect(lambda item, _column: self.activate(item))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        style = self.style()
        self._icons = {
            True: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            False: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.revalidate)
        document.report_changed.connect(lambda *_: self.timer.start())
        document.fields_changed.connect(self._fields_changed)
        document.path_changed.connect(lambda *_: self.show_errors("load", None))
        self.revalidate()

    def sizeHint(self) -> QSize:
        # a strip under the canvas: a few problems show without taking the canvas's height
        return QSize(600, 120)

    # -- filling -----------------------------------------------------------------------

    def revalidate(self) -> None:
        """Check the model now: semantic checks, and expressions against the known fields."""
        self.timer.stop()
        report = self.document.report
        fields = self.document.fields
        names = {f.name for f in fields} if fields else None
        self._by_source["validation"] = validate_report(report)
        self._by_source["expression"] = check_expressions(report, names)
        self._refill()

    def _fields_changed(self, fields: list[Any], message: str) -> None:
        problems = [error("data", f"the data source failed: {message}", "data_source")]
        self._by_source["data"] = problems if message else []
        self.timer.start()  # the field names changed: expressions are checked against them

    def show_errors(self, source: str, errors: object, *, file: str = "") -> None:
        """Show the problems one source reported (replacing its earlier ones); None or [] clears it.

        Args:
            source: ``load``, ``data``, ``render`` (any other name is listed after them).
            errors: an engine ReportError (a ReportValidationError lists every diagnostic),
                a Diagnostic, or a list of Diagnostics.
            file: the problems are of another file than the open report (one that failed
                to open): their paths go into the message and clicking selects nothing.
        """
        if source in _OWN:
            raise ValueError(f"'{source}' problems are computed by the pane itself")
        found = as_diagnostics(errors)
        if file:
            found = [
                replace(d, message=d.format(file).removeprefix("warning: "), path="") for d in found
            ]
        self._by_source[source] = found
        self._refill()

    def _refill(self) -> None:
        order = [*SOURCES, *sorted(set(self._by_source) - set(SOURCES))]
        self.entries = [
            Entry(source, d)
            for source in order
            for d in sorted(self._by_source.get(source, []), key=lambda d: not d.is_error)
        ]
        self.tree.clear()
        for index, entry in enumerate(self.entries):
            d = entry.diagnostic
            item = QTreeWidgetItem([d.message, d.element, d.path, entry.source])
            item.setIcon(0, self._icons[d.is_error])
            item.setData(0, _ENTRY_ROLE, index)
            item.setToolTip(0, d.format())
            self.tree.addTopLevelItem(item)
        errors = sum(e.diagnostic.is_error for e in self.entries)
        warnings = len(self.entries) - errors
        self.summary.setText(
            f"{errors} error(s), {warnings} warning(s)" if self.entries else "No problems found"
        )
        self.counts_changed.emit(errors, warnings)

    # -- following a click -------------------------------------------------------------------

    def activate(self, item: QTreeWidgetItem | int) -> ElementRef | None:
        """Select the band or element of an entry (or item) and ask for its property."""
        if isinstance(item, QTreeWidgetItem):
            item = int(item.data(0, _ENTRY_ROLE))
        path = self.entries[item].diagnostic.path
        ref, prop = locate(self.document, path)
        self.document.set_selection([ref] if ref is not None else [])
        if prop:
            self.property_requested.emit(prop)
        return ref

    def messages(self) -> list[str]:
        """The listed messages, each with its path (tests and copying)."""
        return [e.diagnostic.format() for e in self.entries]
