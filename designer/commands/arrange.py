"""Undo commands that add or rearrange several elements at once: paste, duplicate, align, distribute, stacking order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..document import DocumentState, ElementRef, ReportDocument, new_ref
from .base import DocumentCommand, StateDraft


class AddElementsCommand(DocumentCommand):
    """Add several elements, each to its band (a paste, a duplicate, a field with its column label)."""

    def __init__(
        self,
        document: ReportDocument,
        additions: Sequence[tuple[ElementRef, Any]],
        text: str | None = None,
    ) -> None:
        self.additions = list(additions)
        self.refs = [new_ref() for _ in self.additions]
        n = len(self.additions)
        super().__init__(document, text or ("Add element" if n == 1 else f"Add {n} elements"))

    def build(self, draft: StateDraft) -> DocumentState:
        for ref, (band, element) in zip(self.refs, self.additions, strict=True):
            draft.insert_element(band, ref, element)
        return draft.freeze()


class ReplaceElementsCommand(DocumentCommand):
    """Give several elements new models in place (align, same size, distribute, a shared property)."""

    def __init__(
        self, document: ReportDocument, replacements: Mapping[ElementRef, Any], text: str
    ) -> None:
        self.replacements = dict(replacements)
        super().__init__(document, text)

    def build(self, draft: StateDraft) -> DocumentState:
        for ref, element in self.replacements.items():
            draft.set_element(ref, element)
        return draft.freeze()


class RestackElementsCommand(DocumentCommand):
    """Bring elements to the front (last in their band) or send them to the back (first)."""

    def __init__(
        self, document: ReportDocument, refs: Sequence[ElementRef], *, front: bool
    ) -> None:
        self.refs = list(refs)
        self.front = front
        super().__init__(document, "Bring to front" if front else "Send to back")

    def build(self, draft: StateDraft) -> DocumentState:
        order = [r for refs in draft.element_refs for r in refs]
        chosen = sorted(self.refs, key=order.index)
        taken = [(draft.band_refs[draft.locate(r)[0]], r, draft.take_element(r)) for r in chosen]
        if not self.front:
            taken.reverse()  # inserting each at 0 keeps their relative order
        for band, ref, element in taken:
            draft.insert_element(band, ref, element, None if self.front else 0)
        return draft.freeze()
