"""Model bands → Typst band functions (`b3`, `b3c`, `b3g`): fixed, clipping and growing variants."""

from __future__ import annotations

from typing import Any

from .elements import ELEMENT_CODE, TEXT_TYPES, Placement
from .escape import typst_color, typst_length


def band_name(index: int, variant: str = "") -> str:
    """The Typst function name of band `index` in a variant: '' fixed, 'c' clipping, 'g' growing."""
    return f"b{index}{variant}"


def _block(band: Any, height: str, body: str, breakable: bool) -> str:
    fill = f", fill: {typst_color(band.background)}" if band.background else ""
    return (
        f"block(width: 100%, height: {height}, breakable: {'true' if breakable else 'false'}{fill}, "
        f"{{\n{body}}})"
    )


def fixed_band(index: int, band: Any, *, clip: bool = False) -> str:
    """A band function drawing every element at its place in a block of the band's height."""
    at = Placement(clip=clip)
    body = "".join(ELEMENT_CODE[e.type](e, i, at) for i, e in enumerate(band.elements))
    name = band_name(index, "c" if clip else "")
    height = f"if h == none {{ {typst_length(band.height)} }} else {{ h }}"
    return f"#let {name}(v, s, h: none) = {_block(band, height, body, False)}\n"


def growing_band(index: int, band: Any) -> str:
    """A band function whose text boxes grow by `g` and whose elements move down by `d` (per element).

    The heights come from Python (`sizing.size_instance`), so the layout the paginator
    planned is exactly what Typst draws.
    """
    body = []
    for j, e in enumerate(band.elements):
        at = Placement(dy=f"d.at({j})", grow=f"g.at({j})" if e.type in TEXT_TYPES else "")
        body.append(ELEMENT_CODE[e.type](e, j, at))
    name = band_name(index, "g")
    return f"#let {name}(v, s, g: (), d: (), h: none) = {_block(band, 'h', ''.join(body), False)}\n"


def _bottom(e: Any) -> float:
    if e.type == "line":
        return float(max(e.y, e.y2))
    return float(e.y + e.height)


def band_definitions(index: int, band: Any) -> str:
    """Every variant of one band's function."""
    code = fixed_band(index, band)
    if any(e.type in TEXT_TYPES for e in band.elements):
        code += fixed_band(index, band, clip=True)
        if band.can_grow:
            code += growing_band(index, band)
    return code
