"""Model bands → Typst band functions (`b3`, `b3c`, `b3g`): fixed, clipping and growing variants."""

from __future__ import annotations

from typing import Any

from .elements import ELEMENT_CODE, TEXT_TYPES, Placement
from .escape import typst_color, typst_length


def band_name(index: int, variant: str = "") -> str:
    """The Typst function name of band `index` in a variant: '' fixed, 'c' clipping, 'g' growing."""
    return f"b{index}{variant}"


#: generated code in pieces: (index of the element that produced it, or None for the band's own code, text)
Pieces = list[tuple[int | None, str]]


def _function(head: str, band: Any, height: str, bodies: list[str]) -> Pieces:
    """A band function whose block holds one line of code per element."""
    fill = f", fill: {typst_color(band.background)}" if band.background else ""
    opening = f"{head} = block(width: 100%, height: {height}, breakable: false{fill}, {{\n"
    return [(None, opening), *enumerate(bodies), (None, "})\n")]


def fixed_band_pieces(index: int, band: Any, *, clip: bool = False) -> Pieces:
    """A band function drawing every element at its place in a block of the band's height."""
    at = Placement(clip=clip)
    bodies = [ELEMENT_CODE[e.type](e, i, at) for i, e in enumerate(band.elements)]
    name = band_name(index, "c" if clip else "")
    height = f"if h == none {{ {typst_length(band.height)} }} else {{ h }}"
    return _function(f"#let {name}(v, s, h: none)", band, height, bodies)


def growing_band_pieces(index: int, band: Any) -> Pieces:
    """A band function whose text boxes grow by `g` and whose elements move down by `d` (per element).

    The heights come from Python (`sizing.size_instance`), so the layout the paginator
    planned is exactly what Typst draws.
    """
    bodies = []
    for j, e in enumerate(band.elements):
        at = Placement(dy=f"d.at({j})", grow=f"g.at({j})" if e.type in TEXT_TYPES else "")
        bodies.append(ELEMENT_CODE[e.type](e, j, at))
    name = band_name(index, "g")
    return _function(f"#let {name}(v, s, g: (), d: (), h: none)", band, "h", bodies)


def _bottom(e: Any) -> float:
    if e.type == "line":
        return float(max(e.y, e.y2))
    return float(e.y + e.height)


def band_pieces(index: int, band: Any) -> Pieces:
    """Every variant of one band's function, in pieces that name the element producing them."""
    pieces = fixed_band_pieces(index, band)
    if any(e.type in TEXT_TYPES for e in band.elements):
        pieces += fixed_band_pieces(index, band, clip=True)
        if band.can_grow:
            pieces += growing_band_pieces(index, band)
    return pieces
