"""The element palette: the types the toolbox offers, their drag-and-drop mime type, and a new element of each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from engine.model import ELEMENT_TYPES

#: mime type of a toolbox drag; the payload is the element type in UTF-8
ELEMENT_MIME = "application/x-ashreports-element"
#: mime type of a drag from the fields pane; the payload is a data field name or, for
#: parameters and variables, ``=`` and an expression (``=params.start``), in UTF-8
FIELD_MIME = "application/x-ashreports-field"


class PaletteEntry(NamedTuple):
    """One toolbox entry: the element type, its caption and tooltip."""

    type: str
    caption: str
    tooltip: str


#: element type → the keys of a new element of that type (besides type, x, y)
_DEFAULTS: dict[str, Callable[[], dict[str, Any]]] = {
    "label": lambda: {"width": 100, "height": 16, "text": "Label"},
    "field": lambda: {"width": 100, "height": 16, "field": "field"},
    "expression": lambda: {"width": 100, "height": 16, "expression": "1 + 1"},
    "aggregate": lambda: {
        "width": 100, "height": 16, "calculation": "sum", "expression": "Total", "align": "right",
    },
    "page_number": lambda: {"width": 120, "height": 14},
    "line": lambda: {},
    "box": lambda: {"width": 100, "height": 40},
    "image": lambda: {"width": 60, "height": 60, "source": {"file": "logo.png"}},
    "chart": lambda: {
        "width": 240, "height": 160,
        "chart": {"kind": "bar", "category": "category", "value": "value"},
    },
    "barcode": lambda: {"width": 60, "height": 60, "symbology": "qr", "value": "'text'"},
    "subreport": lambda: {"width": 200, "height": 40, "report": "other.ashr"},
}  # fmt: skip

PALETTE: tuple[PaletteEntry, ...] = tuple(
    PaletteEntry(t, t.replace("_", " ").capitalize(), (ELEMENT_TYPES[t].__doc__ or "").strip())
    for t in ELEMENT_TYPES
)


def new_element(element_type: str, x: float, y: float) -> Any:
    """A new element of a type with sensible defaults, its box at (x, y) in its band.

    Raises:
        KeyError: for an unknown element type.
    """
    cls = ELEMENT_TYPES[element_type]
    keys = _DEFAULTS[element_type]()
    if element_type == "line":
        keys = {"x2": float(x) + 100, "y2": float(y)}
    return cls.model_validate({"type": element_type, "x": float(x), "y": float(y), **keys})


def new_value_element(source: str, x: float, y: float) -> Any:
    """A field element for a field name, or an expression element for ``=expression``, at (x, y)."""
    if source.startswith("="):
        return new_element("expression", x, y).replace(expression=source[1:])
    return new_element("field", x, y).replace(field=source)
