"""Flow band instances → lines of Typst body code: band calls, group wrappers (keep together, new page, reprinted header)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ..fill import BandInstance
from .bands import band_name
from .elements import TEXT_TYPES
from .escape import typst_string
from .fonts import text_width
from .styles import StyleTable
from .values import ValueWriter

log = logging.getLogger(__name__)

#: height of one line box in em: ascender + descender of Liberation Sans (0.905 + 0.212)
LINE_EM = 1.117
#: space between lines in em (the `par(leading:)` the document sets)
LEADING_EM = 0.15


@dataclass
class _Wrapper:
    level: int
    kind: str  # "keep" or "grid"
    line: int  # index into lines of the opening line
    height: float = 0.0
    header_pending: bool = False


class FlowWriter:
    """Collects the body of the document, one band instance at a time."""

    def __init__(
        self,
        report: Any,
        values: ValueWriter,
        styles: StyleTable,
        content_height: float,
        images: dict[int, dict[int, str]] | None = None,
    ) -> None:
        self.report = report
        self.images = images or {}
        self.values = values
        self.styles = styles
        self.content_height = content_height
        self.lines: list[str] = []
        self.warnings: list[str] = []
        self.contributions: dict[int, dict[str, list[Any]]] = {}
        self._wrappers: list[_Wrapper] = []
        self._keys: tuple[Any, ...] | None = None
        self._pending: list[int] = []  # group levels whose wrappers open with their header
        self._groups = list(report.groups)
        self._columns = report.page.columns > 1

    # -- public --------------------------------------------------------------------------

    def add(self, instance: BandInstance) -> None:
        """Append one flow band instance (title, group bands, detail, summary, no_data)."""
        kind = instance.band_type
        if kind in ("summary", "no_data"):
            self._close_from(0)
        elif kind != "title":
            self._regroup(instance.group_keys)
            # a group's wrapper opens just before its header, so the header of an outer
            # group lands in that group's grid header, not inside an inner group's wrapper
            upto = (
                instance.level
                if kind == "group_header" and instance.level is not None
                else len(self._groups) - 1
            )
            while self._pending and self._pending[0] <= upto:
                self._open(self._pending.pop(0))
        marker = None
        if instance.page_values:
            marker = len(self.contributions)
            self.contributions[marker] = instance.page_values
        code, height = self.call(instance, marker)
        for wrapper in self._wrappers:
            wrapper.height += height
        grid = self._in_grid()
        if kind == "title" and self._columns:
            self.lines.append(f'#place(top, float: true, scope: "parent", {code})\n')
        elif (
            grid is not None
            and grid.header_pending
            and kind == "group_header"
            and instance.level == grid.level
        ):
            grid.header_pending = False
            self.lines.append(f"grid.header(repeat: true, {code}),\n")
        elif grid is not None:
            self.lines.append(f"{code},\n")
        else:
            self.lines.append(f"#{code}\n")

    def finish(self) -> None:
        """Close every open group wrapper."""
        self._close_from(0)

    # -- band calls --------------------------------------------------------------------

    def call(self, instance: BandInstance, marker: int | None = None) -> tuple[str, float]:
        """`b3((values), (styles))` for an instance, choosing the fixed, clipping or growing variant.

        `marker` numbers the page facts (`<pv>` metadata) the band carries for page totals.
        """
        band = self.report.bands[instance.band_index]
        elements = band.elements
        values = ["none"] * len(elements)
        styles = ["none"] * len(elements)
        variant = ""
        height = float(band.height)
        for ev in instance.elements:
            i = ev.element_index
            element = elements[i]
            if element.type == "image" and ev.text is None:
                values[i] = typst_string(self.images.get(instance.band_index, {}).get(i, ""))
            else:
                values[i] = self.values.code(ev.text)
            if element.type in TEXT_TYPES:
                styles[i] = self.styles.name(ev.style)
                if isinstance(ev.text, str) and not _fits(ev.text, element, ev.style):
                    if band.can_grow:
                        variant = "g"
                        height = max(height, self._grown(ev.text, element, ev.style, band))
                    elif variant != "g":
                        variant = "c"
        args = f"({', '.join(values)},)" if len(values) == 1 else f"({', '.join(values)})"
        style_args = f"({', '.join(styles)},)" if len(styles) == 1 else f"({', '.join(styles)})"
        mark = f", m: {marker}" if marker is not None else ""
        return f"{band_name(instance.band_index, variant)}({args}, {style_args}{mark})", height

    def _grown(self, text: str, element: Any, style: Any, band: Any) -> float:
        inner = max(1.0, element.width - 2 * style.padding)
        lines = 0
        for paragraph in text.split("\n"):
            width = text_width(paragraph, style.font, style.size, style.bold, style.italic)
            lines += max(1, int(width // inner) + 1)
        needed = style.size * (lines * LINE_EM + (lines - 1) * LEADING_EM) + 2 * style.padding
        return float(band.height) + max(0.0, needed - element.height)

    # -- groups ----------------------------------------------------------------------------

    def _in_grid(self) -> _Wrapper | None:
        """The innermost wrapper when it is a grid (code in its argument list), else None (markup)."""
        if self._wrappers and self._wrappers[-1].kind == "grid":
            return self._wrappers[-1]
        return None

    def _regroup(self, keys: tuple[Any, ...]) -> None:
        if not self._groups or not keys:
            return
        old = self._keys
        if old is not None and keys == old:
            return
        first = (
            0
            if old is None
            else next(
                (i for i, (a, b) in enumerate(zip(keys, old, strict=False)) if a != b), len(keys)
            )
        )
        self._close_from(first)
        self._keys = keys
        self._pending = list(range(first, len(self._groups)))

    def _open(self, level: int) -> None:
        group = self._groups[level]
        inside_container = bool(self._wrappers)
        if group.start_new_page:
            if inside_container:
                self._warn(
                    f"groups[{level}].start_new_page: ignored inside a group kept together or with a reprinted header"
                )
            else:
                self.lines.append("#pagebreak(weak: true)\n")
        prefix = "" if self._in_grid() is not None else "#"
        if group.keep_together:
            self._wrappers.append(_Wrapper(level, "keep", len(self.lines)))
            self.lines.append(f"{prefix}block(breakable: false)[\n")
            prefix = "#"
        if group.reprint_header:
            self._wrappers.append(_Wrapper(level, "grid", len(self.lines), header_pending=True))
            self.lines.append(f"{prefix}grid(columns: 1fr,\n")

    def _close_from(self, level: int) -> None:
        while self._wrappers and self._wrappers[-1].level >= level:
            wrapper = self._wrappers.pop()
            in_grid = self._in_grid() is not None
            end = "," if in_grid else ""
            if wrapper.kind == "grid":
                self.lines.append(f"){end}\n")
            else:
                self.lines.append(f"]{end}\n")
                if wrapper.height > self.content_height:
                    opening = self.lines[wrapper.line]
                    self.lines[wrapper.line] = opening.replace(
                        "breakable: false", "breakable: true"
                    )
                    self._warn(
                        f"groups[{wrapper.level}].keep_together: an instance of group "
                        f"'{self._groups[wrapper.level].name}' is taller than a page; it was allowed to break"
                    )
        self._pending = [lv for lv in self._pending if lv < level]
        if level == 0:
            self._keys = None

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
            log.warning("%s", message)


def _fits(text: str, element: Any, style: Any) -> bool:
    """Whether text surely fits its box on one line (no wrap, no overflow)."""
    if "\n" in text:
        return False
    if style.size * LINE_EM + 2 * style.padding > element.height + 0.5:
        return not text
    width = text_width(text, style.font, style.size, style.bold, style.italic)
    return width + 2 * style.padding <= element.width - 0.5
