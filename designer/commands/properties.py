"""The set-property undo command: one field of an element, a band or the report; typing merges into one step."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from engine.model import Report

from ..document import DocumentState, ElementRef, ReportDocument
from ..geometry import set_field
from .base import DocumentCommand, StateDraft

#: QUndoCommand.id() of SetPropertyCommand: consecutive edits of one property merge
SET_PROPERTY_ID = 0x5E7
#: QUndoCommand.id() of EditPropertyPartCommand: consecutive edits of one part merge
EDIT_PART_ID = 0x5E8


class SetPropertyCommand(DocumentCommand):
    """Set the field at a dotted path (``text``, ``stroke.width``, ``page.margins.top``) of one target.

    The target is an element ref, a band ref, None for the report itself, or a tuple of
    element refs (a multi-selection: one step sets it on all). Raises
    pydantic.ValidationError, before anything changes, when the value is not allowed.
    """

    def __init__(
        self,
        document: ReportDocument,
        target: ElementRef | tuple[ElementRef, ...] | None,
        path: str,
        value: Any,
    ) -> None:
        self.target = tuple(target) if isinstance(target, (tuple, list)) else target
        self.path = path
        self.value = value
        super().__init__(document, f"Set {path.rsplit('.', 1)[-1].replace('_', ' ')}")

    def build(self, draft: StateDraft) -> DocumentState:
        if isinstance(self.target, tuple):
            for ref in self.target:
                draft.set_element(ref, set_field(draft.element(ref), self.path, self.value))
            return draft.freeze()
        if self.target is None:
            if self.path.split(".", 1)[0] == "bands":
                raise ValueError("bands are changed with band commands, not as a property")
            return draft.freeze(set_field(draft.report, self.path, self.value))
        if self.target in draft.band_refs:
            b = draft.band_index(self.target)
            if self.path.split(".", 1)[0] == "elements":
                raise ValueError("elements are changed with element commands, not as a property")
            draft.set_band(self.target, set_field(draft.bands[b], self.path, self.value))
        else:
            draft.set_element(
                self.target, set_field(draft.element(self.target), self.path, self.value)
            )
        return draft.freeze()

    def id(self) -> int:
        return SET_PROPERTY_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (
            isinstance(other, SetPropertyCommand)
            and other.target == self.target
            and other.path == self.path
        ):
            return False
        self.after = other.after
        self.value = other.value
        self.setObsolete(self.after.report == self.before.report)
        return True


class EditPropertyPartCommand(SetPropertyCommand):
    """Set a compound property (a list of conditional styles, an image source) from one part of its editor.

    Consecutive edits merge only when they edit the same ``part`` (typing in one row's
    condition); a part of None (adding, removing or moving a row) never merges, so each
    such edit is one undo step.
    """

    def __init__(
        self,
        document: ReportDocument,
        target: ElementRef | tuple[ElementRef, ...] | None,
        path: str,
        value: Any,
        part: str | None,
    ) -> None:
        self.part = part
        super().__init__(document, target, path, value)

    def id(self) -> int:
        return EDIT_PART_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditPropertyPartCommand) or self.part is None:
            return False
        return other.part == self.part and super().mergeWith(other)


class ReplaceReportCommand(DocumentCommand):
    """Replace the whole report (recovering an autosave): every band and element gets a new id."""

    def __init__(self, document: ReportDocument, report: Report, text: str) -> None:
        self.report = report
        super().__init__(document, text)

    def build(self, draft: StateDraft) -> DocumentState:
        return DocumentState.of(self.report)
