"""Undo commands: every change the designer makes to a report is one of these."""

from __future__ import annotations

from ..bands import band_caption
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
from .properties import SET_PROPERTY_ID, SetPropertyCommand

__all__ = [
    "SET_PROPERTY_ID",
    "AddBandCommand",
    "AddElementCommand",
    "DocumentCommand",
    "Move",
    "MoveElementsCommand",
    "RemoveBandCommand",
    "RemoveElementsCommand",
    "ResizeElementCommand",
    "SetBandHeightCommand",
    "SetPropertyCommand",
    "StateDraft",
    "band_caption",
    "nudge",
]
