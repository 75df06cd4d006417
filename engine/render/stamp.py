"""Merged PDF pages + page-number stamps → the "Page X of Y" texts drawn on pages compiled before Y was known."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from ..paths import FONT_DIR
from ..typst.stamps import PageNumberStamp

_FILES = {
    (False, False): "LiberationSans-Regular.ttf",
    (True, False): "LiberationSans-Bold.ttf",
    (False, True): "LiberationSans-Italic.ttf",
    (True, True): "LiberationSans-BoldItalic.ttf",
}
_FAMILIES = {"liberation serif": "LiberationSerif", "liberation mono": "LiberationMono"}


@functools.cache
def _font(family: str, bold: bool, italic: bool) -> Any:
    import pymupdf

    name = _FILES[(bold, italic)]
    prefix = _FAMILIES.get(family.lower())
    if prefix is not None:
        name = name.replace("LiberationSans", prefix)
    return pymupdf.Font(fontfile=str(FONT_DIR / name))


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    if len(value) in (3, 4):
        value = "".join(c * 2 for c in value[:3])
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def stamp_page_numbers(
    doc: Any, pages: Iterable[int], total: int, stamps: Sequence[PageNumberStamp]
) -> None:
    """Draw each stamp's text on the given pages (1-based) of an open PyMuPDF document."""
    import pymupdf

    for number in pages:
        page = doc[number - 1]
        for stamp in stamps:
            text = stamp.text(number, total)
            s = stamp.style
            writer = pymupdf.TextWriter(page.rect)
            writer.append(
                stamp.origin(number, text),
                text,
                font=_font(s.font, s.bold, s.italic),
                fontsize=s.size,
            )
            writer.write_text(page, color=_rgb(s.color))
