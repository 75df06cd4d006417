"""Undo commands on elements: add, remove, move (a drag of any number of elements) and resize."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from ..document import DocumentState, ElementRef, ReportDocument, new_ref
from ..geometry import Box, element_box, moved, resized
from .base import DocumentCommand, StateDraft


class Move(NamedTuple):
    """Where one element goes: its band and the top-left corner of its box in that band."""

    ref: ElementRef
    band: ElementRef
    x: float
    y: float


class AddElementCommand(DocumentCommand):
    """Add one element to a band (at the end of its elements unless an index is given)."""

    def __init__(
        self,
        document: ReportDocument,
        band: ElementRef,
        element: Any,
        index: int | None = None,
        ref: ElementRef | None = None,
    ) -> None:
        self.band = band
        self.element = element
        self.index = index
        self.ref = ref if ref is not None else new_ref()
        super().__init__(document, f"Add {element.type}")

    def build(self, draft: StateDraft) -> DocumentState:
        draft.insert_element(self.band, self.ref, self.element, self.index)
        return draft.freeze()


class RemoveElementsCommand(DocumentCommand):
    """Remove any number of elements, wherever they are."""

    def __init__(self, document: ReportDocument, refs: Sequence[ElementRef]) -> None:
        self.refs = list(refs)
        n = len(self.refs)
        super().__init__(document, "Delete element" if n == 1 else f"Delete {n} elements")

    def build(self, draft: StateDraft) -> DocumentState:
        for ref in self.refs:
            draft.take_element(ref)
        return draft.freeze()


class MoveElementsCommand(DocumentCommand):
    """Move elements to new positions, each possibly into another band: one drag, one command."""

    def __init__(
        self, document: ReportDocument, moves: Sequence[Move], text: str | None = None
    ) -> None:
        self.moves = list(moves)
        n = len(self.moves)
        super().__init__(document, text or ("Move element" if n == 1 else f"Move {n} elements"))

    def build(self, draft: StateDraft) -> DocumentState:
        for move in self.moves:
            b, _ = draft.locate(move.ref)
            element = moved(draft.element(move.ref), move.x, move.y)
            if draft.band_refs[b] == move.band:
                draft.set_element(move.ref, element)
            else:
                draft.take_element(move.ref)
                draft.insert_element(move.band, move.ref, element)
        return draft.freeze()


def nudge(document: ReportDocument, refs: Sequence[ElementRef], dx: float, dy: float) -> Any:
    """The command that shifts elements by (dx, dy) points inside their own bands."""
    moves = []
    for ref in refs:
        box = element_box(document.element(ref))
        moves.append(Move(ref, document.band_ref_of(ref), box.x + dx, box.y + dy))
    return MoveElementsCommand(document, moves)


class ResizeElementCommand(DocumentCommand):
    """Give one element a new box (a line's end points follow the box)."""

    def __init__(self, document: ReportDocument, ref: ElementRef, box: Box) -> None:
        self.ref = ref
        self.box = Box(*box)
        super().__init__(document, "Resize element")

    def build(self, draft: StateDraft) -> DocumentState:
        draft.set_element(self.ref, resized(draft.element(self.ref), self.box))
        return draft.freeze()
