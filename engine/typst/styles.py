"""Resolved element styles → named Typst dictionaries (`S1`, `S2`, ...) defined once in the preamble."""

from __future__ import annotations

from typing import Any

from .escape import typst_color, typst_length, typst_string
from .fonts import font_chain

_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "left"}
_VALIGN = {"top": "top", "middle": "horizon", "bottom": "bottom"}


class StyleTable:
    """Gives each distinct resolved style a short Typst name and writes their definitions."""

    def __init__(self, installed_fonts: frozenset[str] = frozenset()) -> None:
        self._names: dict[Any, str] = {}
        self._installed = installed_fonts

    def name(self, style: Any) -> str:
        """The Typst name of a ResolvedStyle, defining it on first use."""
        found = self._names.get(style)
        if found is None:
            found = self._names[style] = f"S{len(self._names) + 1}"
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
            f"ul: {'true' if style.underline else 'false'}, just: {'true' if style.align == 'justify' else 'false'})"
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
#let G(w, h, label) = rect(width: w, height: h, stroke: (paint: luma(150), thickness: 0.5pt, dash: "dashed"),
  align(center + horizon, text(size: 7pt, fill: luma(120), label)))
"""
