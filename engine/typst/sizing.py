"""A band instance → its height on the page and how its texts grow, decided in Python so pagination is exact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..fill import BandInstance
from .elements import TEXT_TYPES
from .fonts import text_width

#: height of one line box in em: ascender + descender of Liberation Sans (0.905 + 0.212)
LINE_EM = 1.117
#: space between lines in em (the `par(leading:)` the document sets)
LEADING_EM = 0.15
#: an element must start this far below a growing one (points) to be pushed down by it
_EPS = 0.01


@dataclass(slots=True)
class Sized:
    """A band instance with the height it takes and the variant of its band function."""

    instance: BandInstance
    height: float
    variant: str = ""  # "" fixed, "c" clipping, "g" growing
    growth: tuple[float, ...] = ()  # per element: extra height (growing variant)
    shift: tuple[float, ...] = ()  # per element: moved down by (growing variant)
    shrunk: bool = False  # can_shrink took the height below the band's
    reprint: bool = False  # a group header printed again at the top of a page or column


def text_lines(text: str, width: float, style: Any) -> int:
    """How many lines `text` takes in a box `width` wide: greedy wrap at spaces (an upper bound of Typst's)."""
    inner = max(1.0, width - 2 * style.padding)
    space = text_width(" ", style.font, style.size, style.bold, style.italic)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            w = text_width(word, style.font, style.size, style.bold, style.italic)
            if used and used + space + w > inner:
                lines += 1
                used = 0.0
            elif used:
                used += space
            if w > inner:  # a word wider than the box breaks (or overflows) over several lines
                extra = int(w // inner)
                lines += extra
                w -= extra * inner
            used += w
    return lines


def text_height(lines: int, style: Any) -> float:
    """The height of `lines` lines of text in the style, padding included."""
    return float(style.size * (lines * LINE_EM + (lines - 1) * LEADING_EM) + 2 * style.padding)


def fits(text: str, element: Any, style: Any) -> bool:
    """Whether text surely fits its box on one line (no wrap, no overflow)."""
    if "\n" in text:
        return False
    if text_height(1, style) > element.height + 0.5:
        return not text
    width = text_width(text, style.font, style.size, style.bold, style.italic)
    return width + 2 * style.padding <= element.width - 0.5


def _bottom(e: Any) -> float:
    return float(max(e.y, e.y2)) if e.type == "line" else float(e.y + e.height)


def _top(e: Any) -> float:
    return float(min(e.y, e.y2)) if e.type == "line" else float(e.y)


class FitCache:
    """Memoises `fits` within one generation (values repeat a lot); styles stay alive meanwhile."""

    LIMIT = 50_000

    def __init__(self) -> None:
        self._known: dict[tuple[str, int, int], bool] = {}

    def fits(self, text: str, element: Any, style: Any) -> bool:
        key = (text, id(style), id(element))
        known = self._known.get(key)
        if known is None:
            known = fits(text, element, style)
            if len(self._known) >= self.LIMIT:
                self._known.clear()
            self._known[key] = known
        return known


def size_instance(band: Any, instance: BandInstance, cache: FitCache | None = None) -> Sized:
    """Decide the variant and height of one band instance.

    Texts that may not fit make a `can_grow` band grow (their boxes get taller and the
    elements that start below them move down) and other bands clip; a `can_shrink` band
    ends at the bottom of its lowest printed, non-empty element.
    """
    elements = band.elements
    overflow: dict[int, float] = {}
    for ev in instance.elements:
        element = elements[ev.element_index]
        if (
            element.type in TEXT_TYPES
            and isinstance(ev.text, str)
            and not fits(ev.text, element, ev.style)
        ):
            needed = text_height(text_lines(ev.text, element.width, ev.style), ev.style)
            overflow[ev.element_index] = max(0.0, needed - float(element.height))
    height = float(band.height)
    if overflow and band.can_grow and any(overflow.values()):
        growth = [overflow.get(i, 0.0) for i in range(len(elements))]
        shift = [
            max(
                [growth[i] for i in overflow if i != j and _bottom(elements[i]) <= _top(e) + _EPS],
                default=0.0,
            )
            for j, e in enumerate(elements)
        ]
        gap = max(0.0, height - max((_bottom(e) for e in elements), default=0.0))
        bottoms = [_bottom(e) + shift[j] + growth[j] for j, e in enumerate(elements)]
        height = max(height, max(bottoms, default=0.0) + gap)
        return Sized(instance, height, "g", tuple(growth), tuple(shift))
    variant = "c" if any(v > 0 for v in overflow.values()) else ""
    if band.can_shrink:
        printed = [_bottom(elements[ev.element_index]) for ev in instance.elements if ev.text != ""]
        low = max(printed, default=0.0)
        if low < height:
            return Sized(instance, low, variant, shrunk=True)
    return Sized(instance, height, variant)
