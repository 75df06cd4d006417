"""Merged PDF pages + page-number stamps → the "Page X of Y" texts drawn on pages compiled before Y was known."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from ..typst.fonts import font_file
from ..typst.stamps import PageNumberStamp


@functools.cache
def _font(family: str, bold: bool, italic: bool) -> Any:
    import pymupdf

    path, _exact = font_file(family, bold, italic)
    return pymupdf.Font(fontfile=str(path))


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
