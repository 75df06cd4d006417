"""Model bands → Typst band functions (`b3`, `b3c`, `b3g`): fixed, clipping and growing variants."""

from __future__ import annotations

from typing import Any

from .elements import ELEMENT_CODE, TEXT_TYPES, Placement
from .escape import typst_color, typst_length

#: how far below a growing element another element must start to be pushed down (points)
_EPS = 0.01


def band_name(index: int, variant: str = "") -> str:
    """The Typst function name of band `index` in a variant: '' fixed, 'c' clipping, 'g' growing."""
    return f"b{index}{variant}"


#: inside every band block: the page-fact marker `m` (see FlowWriter), so it lands on the band's page
_MARKER = "if m != none { [#metadata(m)<pv>] }\n"


def _block(band: Any, height: str, body: str, breakable: bool) -> str:
    fill = f", fill: {typst_color(band.background)}" if band.background else ""
    return (
        f"block(width: 100%, height: {height}, breakable: {'true' if breakable else 'false'}{fill}, "
        f"{{\n{_MARKER}{body}}})"
    )


def fixed_band(index: int, band: Any, *, clip: bool = False) -> str:
    """A band function drawing every element at its place in a block of the band's height."""
    at = Placement(clip=clip)
    body = "".join(ELEMENT_CODE[e.type](e, i, at) for i, e in enumerate(band.elements))
    name = band_name(index, "c" if clip else "")
    return f"#let {name}(v, s, m: none) = {_block(band, typst_length(band.height), body, False)}\n"


def growing_band(index: int, band: Any) -> str:
    """A band function that measures its texts, grows their boxes and pushes lower elements down."""
    elements = list(band.elements)
    texts = [i for i, e in enumerate(elements) if e.type in TEXT_TYPES]
    lines = [f"#let {band_name(index, 'g')}(v, s, m: none) = context {{\n"]
    for i in texts:
        e = elements[i]
        lines.append(
            f"  let g{i} = if v.at({i}) == none {{ 0pt }} else "
            f"{{ calc.max(0pt, TM({typst_length(e.width)}, s.at({i}), v.at({i})) - {typst_length(e.height)}) }}\n"
        )
    bottoms: list[str] = []
    body = []
    for j, e in enumerate(elements):
        top = min(e.y, getattr(e, "y2", e.y))
        above = [i for i in texts if i != j and elements[i].y + elements[i].height <= top + _EPS]
        shift = f"calc.max(0pt, {', '.join(f'g{i}' for i in above)})" if above else ""
        if shift:
            lines.append(f"  let d{j} = {shift}\n")
        grow = f"g{j}" if j in texts else ""
        at = Placement(dy=f"d{j}" if shift else "", grow=grow)
        body.append("  " + ELEMENT_CODE[e.type](e, j, at))
        bottom = (
            getattr(e, "y2", e.y + getattr(e, "height", 0)) if e.type == "line" else e.y + e.height
        )
        parts = [typst_length(bottom)] + ([f"d{j}"] if shift else []) + ([grow] if grow else [])
        bottoms.append(" + ".join(parts))
    content_bottom = max([_bottom(e) for e in elements], default=0.0)
    gap = max(0.0, band.height - content_bottom)
    height = f"calc.max({typst_length(band.height)}, {', '.join(f'{b} + {typst_length(gap)}' for b in bottoms)})"
    lines.append(f"  {_block(band, height, ''.join(body), False)}\n}}\n")
    return "".join(lines)


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
