"""Band instances → Typst source: page setup, one function per band, escaped text; the one place user text enters Typst."""

from __future__ import annotations

from .document import TypstSource, generate_typst, page_table
from .escape import typst_color, typst_length, typst_string, typst_value
from .fonts import DEFAULT_FONT, FALLBACK_FONTS, FONT_DIR, font_chain, text_width
from .origins import Origins

__all__ = [
    "DEFAULT_FONT", "FALLBACK_FONTS", "FONT_DIR", "Origins", "TypstSource",
    "font_chain", "generate_typst", "page_table", "text_width", "typst_color", "typst_length",
    "typst_string", "typst_value",
]  # fmt: skip
