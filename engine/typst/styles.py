"""Resolved element styles → named Typst dictionaries (`S1`, `S2`, ...) defined once in the preamble."""

from __future__ import annotations

from typing import Any

from .escape import typst_color, typst_length, typst_string
from .fonts import font_chain

_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "left"}
#: how far across its box a one-line text sits: left 0, centre 0.5, right 1
_ACROSS = {"left": 0, "center": 0.5, "right": 1, "justify": 0}
#: how far down its box a one-line text sits: top 0, middle 0.5, bottom 1
_DOWN = {"top": 0, "middle": 0.5, "bottom": 1}
#: one line's height in em (ascender + descender of Liberation Sans), as the paginator counts it
_LINE_EM = 1.117
_VALIGN = {"top": "top", "middle": "horizon", "bottom": "bottom"}


class StyleTable:
    """Gives each distinct resolved style a short Typst name and writes their definitions."""

    def __init__(self, installed_fonts: frozenset[str] = frozenset()) -> None:
        self._names: dict[Any, str] = {}
        self._by_id: dict[int, tuple[Any, str]] = {}
        self._installed = installed_fonts

    def name(self, style: Any) -> str:
        """The Typst name of a ResolvedStyle, defining it on first use."""
        # the fill interns styles: look up by identity first (hashing a style is slower)
        known = self._by_id.get(id(style))
        if known is not None and known[0] is style:
            return known[1]
        found = self._names.get(style)
        if found is None:
            found = self._names[style] = f"S{len(self._names) + 1}"
        self._by_id[id(style)] = (style, found)
        return found

    def definitions(self) -> str:
        """`#let S1 = (...)` lines for every style named so far."""
        return "".join(
            f"#let {name} = {self.literal(style)}\n" for style, name in self._names.items()
        )

    def literal(self, style: Any) -> str:
        """A Typst dictionary with the keys the `T` text function reads."""
        fonts = (
            "(" + ", ".join(typst_string(f) for f in font_chain(style.font, self._installed)) + ")"
        )
        return (
            f"(font: {fonts}, size: {typst_length(style.size)}, "
            f'weight: "{"bold" if style.bold else "regular"}", style: "{"italic" if style.italic else "normal"}", '
            f"fill: {typst_color(style.color)}, bg: {typst_color(style.background)}, "
            f"pad: {typst_length(style.padding)}, al: {_ALIGN[style.align]} + {_VALIGN[style.valign]}, "
            f"ul: {'true' if style.underline else 'false'}, just: {'true' if style.align == 'justify' else 'false'}, "
            f"pa: top + {_ALIGN[style.align]}, hx: {_ACROSS[style.align]}, vf: {_DOWN[style.valign]}, "
            f"lh: {typst_length(style.size * _LINE_EM)})"
        )


#: Typst helpers every generated document defines: T draws a text box, G a graphic placeholder
HELPERS = """\
#let J(s, body) = {
  let b = if s.ul { underline(body) } else { body }
  if s.just { par(justify: true, b) } else { b }
}
#let T(w, h, s, body, clip: false) = box(width: w, height: h, fill: s.bg, inset: s.pad, clip: clip,
  align(s.al, text(font: s.font, size: s.size, weight: s.weight, style: s.style, fill: s.fill,
    if s.ul or s.just { J(s, body) } else { body })))
#let P(x, y, w, h, s, body) = {
  if s.bg != none { place(dx: x, dy: y, rect(width: w, height: h, fill: s.bg, stroke: none)) }
  place(s.pa, dx: x + s.pad + s.hx * (w - 2 * s.pad - BW), dy: y + s.pad + s.vf * (h - 2 * s.pad - s.lh),
    text(font: s.font, size: s.size, weight: s.weight, style: s.style, fill: s.fill,
      if s.ul or s.just { J(s, body) } else { body }))
}
#let G(w, h, label) = rect(width: w, height: h, stroke: (paint: luma(150), thickness: 0.5pt, dash: "dashed"),
  align(center + horizon, text(size: 7pt, fill: luma(120), label)))
"""
