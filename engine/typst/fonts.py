"""Font facts the code generator needs: the bundled font folder, fallback chains and text widths for wrap checks."""

from __future__ import annotations

import functools
from pathlib import Path

from ..paths import FONT_DIR
from .metrics import AdvanceTable

#: the default family: metric-compatible with Arial/Helvetica, bundled so output is the same everywhere
DEFAULT_FONT = "Liberation Sans"

#: tried in order for characters the chosen font lacks (CJK where the system has such a font)
FALLBACK_FONTS: tuple[str, ...] = (
    "DejaVu Sans",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "Noto Sans",
)

_FILES = {
    ("liberation sans", False, False): "LiberationSans-Regular.ttf",
    ("liberation sans", True, False): "LiberationSans-Bold.ttf",
    ("liberation sans", False, True): "LiberationSans-Italic.ttf",
    ("liberation sans", True, True): "LiberationSans-BoldItalic.ttf",
    ("liberation serif", False, False): "LiberationSerif-Regular.ttf",
    ("liberation serif", True, False): "LiberationSerif-Bold.ttf",
    ("liberation serif", False, True): "LiberationSerif-Italic.ttf",
    ("liberation serif", True, True): "LiberationSerif-BoldItalic.ttf",
    ("liberation mono", False, False): "LiberationMono-Regular.ttf",
    ("liberation mono", True, False): "LiberationMono-Bold.ttf",
    ("liberation mono", False, True): "LiberationMono-Italic.ttf",
    ("liberation mono", True, True): "LiberationMono-BoldItalic.ttf",
}

#: an unknown font is assumed this much wider than Liberation Sans, so wrap checks err on the safe side
_UNKNOWN_FONT_FACTOR = 1.15


def font_chain(font: str | None, installed: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The font list for a text: the chosen family, the default, then the installed fallbacks."""
    chain = [font or DEFAULT_FONT]
    if DEFAULT_FONT not in chain:
        chain.append(DEFAULT_FONT)
    chain.extend(f for f in FALLBACK_FONTS if f.lower() in installed and f not in chain)
    return tuple(chain)


def font_file(family: str, bold: bool = False, italic: bool = False) -> tuple[Path, bool]:
    """The bundled font file for a family and face, and whether it is that family (else Liberation Sans)."""
    name = _FILES.get((family.lower(), bold, italic))
    if name is None:
        return FONT_DIR / _FILES[("liberation sans", bold, italic)], False
    return FONT_DIR / name, True


class _Advances(dict[str, float]):
    """Advance widths (in em) of one font's characters, read from the font as they are first
    measured; a character the font lacks counts one em."""

    def __init__(self, family: str, bold: bool, italic: bool) -> None:
        super().__init__()
        path, exact = font_file(family, bold, italic)
        self._factor = 1.0 if exact else _UNKNOWN_FONT_FACTOR
        self._table = AdvanceTable(path)

    def __missing__(self, ch: str) -> float:
        advance = self._table.advance(ch)
        # a character the font lacks is drawn by a fallback font: assume a full em (CJK is about that wide)
        width = 1.0 if advance is None else advance * self._factor
        self[ch] = width
        return width


@functools.cache
def _advances(family: str, bold: bool, italic: bool) -> _Advances:
    return _Advances(family, bold, italic)


def text_width(
    text: str, family: str, size: float, bold: bool = False, italic: bool = False
) -> float:
    """The width in points of one line of text (an upper estimate for fonts that are not bundled)."""
    advances = _advances(family, bold, italic)
    return sum(map(advances.__getitem__, text)) * size
