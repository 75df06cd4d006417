"""The base undo command: the document state before and after, computed once when the command is made."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from engine.model import Report

from ..document import DocumentState, ElementRef, ReportDocument, new_ref


class StateDraft:
    """A mutable copy of a DocumentState that commands edit and then freeze into a new state."""

    def __init__(self, state: DocumentState) -> None:
        self.report = state.report
        self.bands: list[Any] = list(state.report.bands)
        self.band_refs: list[ElementRef] = list(state.band_refs)
        self.elements: list[list[Any]] = [list(b.elements) for b in state.report.bands]
        self.element_refs: list[list[ElementRef]] = [list(r) for r in state.element_refs]
        self._touched: set[ElementRef] = set()

    def band_index(self, band_ref: ElementRef) -> int:
        return self.band_refs.index(band_ref)

    def locate(self, ref: ElementRef) -> tuple[int, int]:
        """(band index, element index) of an element ref.

        Raises:
            KeyError: when no band holds that element.
        """
        for b, refs in enumerate(self.element_refs):
            if ref in refs:
                return b, refs.index(ref)
        raise KeyError(ref)

    def element(self, ref: ElementRef) -> Any:
        b, e = self.locate(ref)
        return self.elements[b][e]

    def set_element(self, ref: ElementRef, element: Any) -> None:
        b, e = self.locate(ref)
        self.elements[b][e] = element
        self._touched.add(self.band_refs[b])

    def insert_element(
        self, band_ref: ElementRef, ref: ElementRef, element: Any, index: int | None = None
    ) -> None:
        b = self.band_index(band_ref)
        index = len(self.elements[b]) if index is None else index
        self.elements[b].insert(index, element)
        self.element_refs[b].insert(index, ref)
        self._touched.add(band_ref)

    def take_element(self, ref: ElementRef) -> Any:
        """Remove an element from its band and return it."""
        b, e = self.locate(ref)
        del self.element_refs[b][e]
        self._touched.add(self.band_refs[b])
        return self.elements[b].pop(e)

    def insert_band(
        self,
        ref: ElementRef,
        band: Any,
        index: int | None = None,
        refs: list[ElementRef] | None = None,
    ) -> None:
        """Insert a band (with its elements, which get ``refs`` or new ids)."""
        index = len(self.bands) if index is None else index
        self.bands.insert(index, band)
        self.band_refs.insert(index, ref)
        self.elements.insert(index, list(band.elements))
        self.element_refs.insert(index, list(refs or [new_ref() for _ in band.elements]))

    def take_band(self, ref: ElementRef) -> Any:
        b = self.band_index(ref)
        del self.band_refs[b], self.elements[b], self.element_refs[b]
        self._touched.discard(ref)
        return self.bands.pop(b)

    def set_band(self, ref: ElementRef, band: Any) -> None:
        """Replace a band's own keys; its elements stay those of the draft."""
        b = self.band_index(ref)
        self.bands[b] = band
        self._touched.add(ref)

    def freeze(self, report: Report | None = None) -> DocumentState:
        """The edited state; ``report`` replaces the report's own keys (its bands come from the draft)."""
        bands = tuple(
            band.model_copy(update={"elements": tuple(self.elements[b])})
            if self.band_refs[b] in self._touched
            else band
            for b, band in enumerate(self.bands)
        )
        base = report if report is not None else self.report
        return DocumentState(
            base.model_copy(update={"bands": bands}),
            tuple(self.band_refs),
            tuple(tuple(refs) for refs in self.element_refs),
        )


class DocumentCommand(QUndoCommand):
    """An undoable change: subclasses compute the new state in ``build``; errors raise before any push."""

    def __init__(self, document: ReportDocument, text: str) -> None:
        super().__init__(text)
        self.document = document
        self.before = document.state
        self.after = self.build(StateDraft(self.before))

    def build(self, draft: StateDraft) -> DocumentState:
        """The state after this command, built from a draft of the state before it."""
        raise NotImplementedError

    def redo(self) -> None:
        self.document.apply_state(self.after)

    def undo(self) -> None:
        self.document.apply_state(self.before)

    @property
    def changes_nothing(self) -> bool:
        return self.after.report == self.before.report and self.after == self.before
