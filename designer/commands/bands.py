"""Undo commands on bands: add a band, remove a band with its elements, set a band's height."""

from __future__ import annotations

from typing import Any

from ..bands import band_caption
from ..document import DocumentState, ElementRef, ReportDocument, new_ref
from .base import DocumentCommand, StateDraft


class AddBandCommand(DocumentCommand):
    """Add a band (at the end of the file's band list unless an index is given)."""

    def __init__(
        self,
        document: ReportDocument,
        band: Any,
        index: int | None = None,
        ref: ElementRef | None = None,
    ) -> None:
        self.band = band
        self.index = index
        self.ref = ref if ref is not None else new_ref()
        super().__init__(document, f"Add {band_caption(band).lower()} band")

    def build(self, draft: StateDraft) -> DocumentState:
        draft.insert_band(self.ref, self.band, self.index)
        return draft.freeze()


class RemoveBandCommand(DocumentCommand):
    """Remove a band and every element in it."""

    def __init__(self, document: ReportDocument, ref: ElementRef) -> None:
        self.ref = ref
        super().__init__(document, f"Delete {band_caption(document.band(ref)).lower()} band")

    def build(self, draft: StateDraft) -> DocumentState:
        draft.take_band(self.ref)
        return draft.freeze()


class SetBandHeightCommand(DocumentCommand):
    """Change the height of one band (a drag of its lower edge, or the inspector)."""

    def __init__(self, document: ReportDocument, ref: ElementRef, height: float) -> None:
        self.ref = ref
        self.height = max(0.0, float(height))
        super().__init__(document, "Change band height")

    def build(self, draft: StateDraft) -> DocumentState:
        b = draft.band_index(self.ref)
        draft.set_band(self.ref, draft.bands[b].replace(height=self.height))
        return draft.freeze()
