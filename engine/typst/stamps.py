"""Page-number elements of the page furniture → where their text goes on each page, for stamping after a merge.

Chunks of a big report compile before the page count is known; their "Page X of Y" is left
blank and stamped on the merged PDF (`engine.render.stamp`). The geometry here mirrors
how the document places furniture bands and one-line texts (`styles.P`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..fill import BandInstance, PageNumberText
from .fonts import text_width
from .sizing import LINE_EM

#: ascender of Liberation Sans in em: the baseline sits this far below a line's top
ASCENDER_EM = 0.905

_HEADER = ("page_header", "column_header")
_FOOTER = ("column_footer", "page_footer")


@dataclass(frozen=True)
class PageNumberStamp:
    """One page-number text: its box on the page (top-left origin, points) and how it is drawn."""

    template: str
    x: float
    top: float  # the band's top on every page but page 1
    first_top: float  # the band's top on page 1 (the title may come first)
    width: float
    height: float
    style: Any

    def text(self, page: int, pages: int) -> str:
        return self.template.replace("{page}", str(page)).replace("{pages}", str(pages))

    def origin(self, page: int, text: str) -> tuple[float, float]:
        """The baseline start of `text` on `page`, aligned in its box as the document aligns it."""
        s = self.style
        top = self.first_top if page == 1 else self.top
        line = s.size * LINE_EM
        down = {"top": 0.0, "middle": 0.5, "bottom": 1.0}[s.valign]
        y = top + s.padding + down * (self.height - 2 * s.padding - line) + ASCENDER_EM * s.size
        width = text_width(text, s.font, s.size, s.bold, s.italic)
        across = {"left": 0.0, "center": 0.5, "right": 1.0, "justify": 0.0}[s.align]
        x = self.x + s.padding + across * (self.width - 2 * s.padding - width)
        return x, y


def page_number_stamps(
    report: Any, templates: Mapping[str, BandInstance], *, lift: float, title_height: float
) -> list[PageNumberStamp]:
    """The `{pages}` page numbers of the header and footer bands, with their boxes on the page."""
    page = report.page
    m = page.margins
    height = page.dimensions[1]
    footer_total = sum(
        report.bands[templates[k].band_index].height for k in _FOOTER if k in templates
    )
    tops: dict[str, tuple[float, float]] = {}
    y = m.top
    for kind in _HEADER:
        if kind in templates:
            first = m.top + title_height + (y - m.top) if lift else y
            tops[kind] = (y, first)
            y += report.bands[templates[kind].band_index].height
    y = height - m.bottom - footer_total
    for kind in _FOOTER:
        if kind in templates:
            tops[kind] = (y, y)
            y += report.bands[templates[kind].band_index].height
    found = []
    for kind, (top, first_top) in tops.items():
        instance = templates[kind]
        band = report.bands[instance.band_index]
        for ev in instance.elements:
            if isinstance(ev.text, PageNumberText) and "{pages}" in ev.text.template:
                e = band.elements[ev.element_index]
                found.append(
                    PageNumberStamp(
                        ev.text.template,
                        m.left + e.x,
                        top + e.y,
                        first_top + e.y,
                        e.width,
                        e.height,
                        ev.style,
                    )
                )
    return found
