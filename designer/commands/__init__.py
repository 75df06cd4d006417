"""Undo commands: every change the designer makes to a report is one of these."""

from __future__ import annotations

from ..bands import band_caption
from .arrange import AddElementsCommand, ReplaceElementsCommand, RestackElementsCommand
from .bands import AddBandCommand, RemoveBandCommand, SetBandHeightCommand
from .base import DocumentCommand, StateDraft
from .elements import (
    AddElementCommand,
    Move,
    MoveElementsCommand,
    RemoveElementsCommand,
    ResizeElementCommand,
    nudge,
)
from .properties import (
    EDIT_PART_ID,
    SET_PROPERTY_ID,
    EditPropertyPartCommand,
    ReplaceReportCommand,
    SetPropertyCommand,
)
from .report import ReorderBandsCommand, SetGroupsCommand, SetReportKeyCommand, SetStylesCommand

__all__ = [
    "EDIT_PART_ID",
    "SET_PROPERTY_ID",
    "AddBandCommand",
    "AddElementCommand",
    "AddElementsCommand",
    "DocumentCommand",
    "EditPropertyPartCommand",
    "Move",
    "MoveElementsCommand",
    "RemoveBandCommand",
    "RemoveElementsCommand",
    "ReorderBandsCommand",
    "ReplaceElementsCommand",
    "ReplaceReportCommand",
    "ResizeElementCommand",
    "RestackElementsCommand",
    "SetBandHeightCommand",
    "SetGroupsCommand",
    "SetPropertyCommand",
    "SetReportKeyCommand",
    "SetStylesCommand",
    "StateDraft",
    "band_caption",
    "nudge",
]
