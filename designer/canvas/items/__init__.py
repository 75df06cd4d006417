"""Canvas items, one kind per module; importing this package registers every element item kind."""

from __future__ import annotations

from . import (
    box,
    image,  # after placeholder: it takes over the image kind
    line,
    placeholder,
    text,
)
from .band import CAPTION_HEIGHT, BandItem
from .element import HANDLE_PIXELS, HANDLES, ITEM_KINDS, ElementItem, create_item, item_for

__all__ = [
    "CAPTION_HEIGHT",
    "HANDLES",
    "HANDLE_PIXELS",
    "ITEM_KINDS",
    "BandItem",
    "ElementItem",
    "box",
    "create_item",
    "image",
    "item_for",
    "line",
    "placeholder",
    "text",
]
