"""The open report: owns the Report, its designer ids and the QUndoStack, and is the only thing that changes it."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NewType

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from engine.expr import ExpressionNames
from engine.model import CURRENT_VERSION, Report

#: a designer id of a band or an element; stable across inserts, removals and moves, never saved
ElementRef = NewType("ElementRef", int)

_ids = itertools.count(1)


def new_ref() -> ElementRef:
    """A fresh id, unique for the whole session (so refs from different documents never collide)."""
    return ElementRef(next(_ids))


@dataclass(frozen=True)
class DocumentState:
    """A report with its parallel id layout: one id per band and one per element of each band."""

    report: Report
    band_refs: tuple[ElementRef, ...]
    element_refs: tuple[tuple[ElementRef, ...], ...]

    @classmethod
    def of(cls, report: Report) -> DocumentState:
        """A state for a freshly loaded report: every band and element gets a new id."""
        return cls(
            report,
            tuple(new_ref() for _ in report.bands),
            tuple(tuple(new_ref() for _ in band.elements) for band in report.bands),
        )

    def locate(self, ref: ElementRef) -> tuple[int, int | None]:
        """(band index, element index) of an element, or (band index, None) of a band.

        Raises:
            KeyError: when the ref is neither a band nor an element of this state.
        """
        for b, band_ref in enumerate(self.band_refs):
            if band_ref == ref:
                return b, None
            refs = self.element_refs[b]
            if ref in refs:
                return b, refs.index(ref)
        raise KeyError(ref)

    def __contains__(self, ref: object) -> bool:
        try:
            self.locate(ref)  # type: ignore[arg-type]
        except KeyError:
            return False
        return True


def untitled_report() -> Report:
    """The report File ▸ New starts from: a title, page header, detail, page footer and summary."""
    bands = [
        {"type": "title", "height": 40},
        {"type": "page_header", "height": 20},
        {"type": "detail", "height": 16},
        {"type": "page_footer", "height": 20},
        {"type": "summary", "height": 30},
    ]
    return Report.model_validate(
        {"format": "ashr", "version": CURRENT_VERSION, "name": "untitled", "bands": bands}
    )


class ReportDocument(QObject):
    """The report being edited, its file path, undo history and selection; emits a signal on every change."""

    report_changed = Signal(object)  # Report
    selection_changed = Signal(list)  # list[ElementRef]
    path_changed = Signal(object)  # Path | None
    modified_changed = Signal(bool)
    #: the data source's fields became known (or failed): list[FieldInfo], error text or ""
    fields_changed = Signal(list, str)

    def __init__(self, report: Report | None = None, path: Path | None = None) -> None:
        super().__init__()
        self._state = DocumentState.of(report or untitled_report())
        self._path = path
        self._selection: list[ElementRef] = []
        self._fields: list[Any] = []
        self._fields_error = ""
        self._fields_loading = False
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    def _clean_changed(self, clean: bool) -> None:
        # the stack clears itself while the document is being destroyed
        with contextlib.suppress(RuntimeError):
            self.modified_changed.emit(not clean)

    # -- reading ---------------------------------------------------------------------

    @property
    def report(self) -> Report:
        return self._state.report

    @property
    def state(self) -> DocumentState:
        return self._state

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def selection(self) -> list[ElementRef]:
        return list(self._selection)

    @property
    def fields(self) -> list[Any]:
        """The data source's fields (FieldInfo) as last introspected; [] while unknown."""
        return list(self._fields)

    @property
    def fields_error(self) -> str:
        return self._fields_error

    @property
    def fields_loading(self) -> bool:
        return self._fields_loading

    def set_fields(self, fields: Iterable[Any], error: str = "", *, loading: bool = False) -> None:
        """Record the fields a worker read from the data source (session state, not undoable)."""
        self._fields = list(fields)
        self._fields_error = error
        self._fields_loading = loading
        self.fields_changed.emit(list(self._fields), error)

    def expression_names(self) -> ExpressionNames:
        """The names an expression may read: known fields (unchecked while unknown), params, vars."""
        report = self.report
        fields = frozenset(f.name for f in self._fields) if self._fields else None
        return ExpressionNames(
            fields,
            frozenset(p.name for p in report.parameters),
            frozenset(v.name for v in report.variables),
        )

    def band_refs(self) -> tuple[ElementRef, ...]:
        """Ids of the bands, in file order."""
        return self._state.band_refs

    def element_refs(self, band: ElementRef | None = None) -> tuple[ElementRef, ...]:
        """Ids of the elements of one band, or of every band."""
        if band is None:
            return tuple(r for refs in self._state.element_refs for r in refs)
        return self._state.element_refs[self._state.locate(band)[0]]

    def is_band(self, ref: ElementRef) -> bool:
        return ref in self._state.band_refs

    def band(self, ref: ElementRef) -> Any:
        """The band model of a band ref, or of the band that holds an element ref."""
        return self.report.bands[self._state.locate(ref)[0]]

    def band_ref_of(self, ref: ElementRef) -> ElementRef:
        """The band ref of an element ref (a band ref gives itself)."""
        return self._state.band_refs[self._state.locate(ref)[0]]

    def element(self, ref: ElementRef) -> Any:
        """The element model of an element ref.

        Raises:
            KeyError: when the ref is not an element.
        """
        b, e = self._state.locate(ref)
        if e is None:
            raise KeyError(ref)
        return self.report.bands[b].elements[e]

    def model_of(self, ref: ElementRef | None) -> Any:
        """The model a ref stands for: an element, a band, or (None) the report."""
        if ref is None:
            return self.report
        b, e = self._state.locate(ref)
        band = self.report.bands[b]
        return band if e is None else band.elements[e]

    def contains(self, ref: ElementRef) -> bool:
        return ref in self._state

    def iter_elements(self) -> Iterator[tuple[ElementRef, ElementRef, Any]]:
        """(band ref, element ref, element) for every element."""
        for b, band in enumerate(self.report.bands):
            for e, element in enumerate(band.elements):
                yield self._state.band_refs[b], self._state.element_refs[b][e], element

    # -- changing: commands call apply_state, everything else goes through the undo stack

    def push(self, command: QUndoCommand) -> None:
        """Run a command and record it for undo."""
        self.undo_stack.push(command)

    def apply_state(self, state: DocumentState) -> None:
        """Make ``state`` current (for undo commands only) and tell the panes."""
        self._state = state
        self.report_changed.emit(state.report)
        kept = [r for r in self._selection if r in state]
        if kept != self._selection:
            self._selection = kept
            self.selection_changed.emit(list(kept))

    def set_selection(self, refs: Iterable[ElementRef]) -> None:
        """Select these bands or elements (unknown refs are dropped); emits when it changes."""
        wanted = list(dict.fromkeys(r for r in refs if r in self._state))
        if wanted != self._selection:
            self._selection = wanted
            self.selection_changed.emit(list(wanted))

    def reset(self, report: Report, path: Path | None = None) -> None:
        """Replace the whole document (New, Open): clears the undo history and selection."""
        self.undo_stack.clear()
        self._selection = []
        self._state = DocumentState.of(report)
        self.set_path(path)
        self.report_changed.emit(report)
        self.selection_changed.emit([])
        self.modified_changed.emit(False)

    def set_path(self, path: Path | None) -> None:
        if path != self._path:
            self._path = path
            self.path_changed.emit(path)

    def mark_saved(self, path: Path) -> None:
        """The report was written to ``path``: it is now the clean state."""
        self.set_path(path)
        self.undo_stack.setClean()
