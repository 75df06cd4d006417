"""Copy and paste of elements: selected elements in, JSON on the system clipboard out, and back again."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError
from PySide6.QtCore import QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication

from engine.model import Element

from .commands import AddElementsCommand
from .document import ElementRef, ReportDocument
from .geometry import element_box, moved

log = logging.getLogger(__name__)

#: mime type of copied elements; the payload is {"elements": [...]} JSON in UTF-8
ELEMENTS_MIME = "application/x-ashreports-elements"
#: how far a paste or a duplicate lands from the original, in points
PASTE_OFFSET = 10.0

_ELEMENT = TypeAdapter(Element)


def elements_json(elements: Sequence[Any]) -> str:
    """Elements as the clipboard's JSON text (the same keys an `.ashr` file writes)."""
    data = [e.model_dump(mode="json", exclude_defaults=True) for e in elements]
    for item, element in zip(data, elements, strict=True):
        item["type"] = element.type  # a default, but the discriminator must be there
    return json.dumps({"format": "ashr-elements", "elements": data}, indent=2)


def parse_elements(text: str | bytes) -> list[Any]:
    """Element models from clipboard JSON (a list, or {"elements": [...]}); [] when it is not ours."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return []
    if isinstance(data, dict):
        data = data.get("elements", [data] if "type" in data else [])
    if not isinstance(data, list):
        return []
    try:
        return [_ELEMENT.validate_python(item) for item in data]
    except ValidationError as exc:
        log.info("clipboard holds no valid elements: %s", exc.error_count())
        return []


def copy_elements(document: ReportDocument, refs: Sequence[ElementRef]) -> bool:
    """Put the elements on the system clipboard (our mime type and plain-text JSON)."""
    elements = [document.element(r) for r in refs if not document.is_band(r)]
    if not elements:
        return False
    text = elements_json(elements)
    mime = QMimeData()
    mime.setData(ELEMENTS_MIME, text.encode("utf-8"))
    mime.setText(text)
    QGuiApplication.clipboard().setMimeData(mime, QClipboard.Mode.Clipboard)
    return True


def clipboard_elements() -> list[Any]:
    """The elements on the system clipboard, from our mime type or else from JSON text."""
    mime = QGuiApplication.clipboard().mimeData(QClipboard.Mode.Clipboard)
    if mime is None:
        return []
    if mime.hasFormat(ELEMENTS_MIME):
        return parse_elements(bytes(mime.data(ELEMENTS_MIME).data()))
    if mime.hasText():
        return parse_elements(mime.text())
    return []


def unique_names(document: ReportDocument, elements: Sequence[Any]) -> list[Any]:
    """The elements with names already used in the report changed to a free ``name_2``, ``name_3``."""
    taken = {e.name for _, _, e in document.iter_elements() if e.name}
    result = []
    for element in elements:
        name = element.name
        if name and name in taken:
            n = 2
            while f"{name}_{n}" in taken:
                n += 1
            element = element.replace(name=f"{name}_{n}")
        if element.name:
            taken.add(element.name)
        result.append(element)
    return result


def offset(elements: Sequence[Any], dx: float, dy: float) -> list[Any]:
    """The elements shifted by (dx, dy) points."""
    result = []
    for element in elements:
        box = element_box(element)
        result.append(moved(element, round(box.x + dx, 3), round(box.y + dy, 3)))
    return result


def paste_command(
    document: ReportDocument, band: ElementRef, elements: Sequence[Any]
) -> AddElementsCommand | None:
    """The one command that pastes elements into a band, offset from where they were copied."""
    if not elements:
        return None
    pasted = unique_names(document, offset(elements, PASTE_OFFSET, PASTE_OFFSET))
    n = len(pasted)
    text = "Paste element" if n == 1 else f"Paste {n} elements"
    return AddElementsCommand(document, [(band, e) for e in pasted], text)


def duplicate_command(
    document: ReportDocument, refs: Sequence[ElementRef]
) -> AddElementsCommand | None:
    """The one command that duplicates elements, each copy offset in its own band."""
    refs = [r for r in refs if not document.is_band(r)]
    if not refs:
        return None
    copies = unique_names(
        document, offset([document.element(r) for r in refs], PASTE_OFFSET, PASTE_OFFSET)
    )
    additions = [(document.band_ref_of(r), c) for r, c in zip(refs, copies, strict=True)]
    n = len(additions)
    return AddElementsCommand(
        document, additions, "Duplicate element" if n == 1 else f"Duplicate {n} elements"
    )
