"""Pages of sized band instances → Typst body code: one band-function call per instance, column and page breaks."""

from __future__ import annotations

from typing import Any

from .bands import band_name
from .elements import TEXT_TYPES
from .escape import typst_length, typst_string
from .paginate import PageLayout
from .sizing import Sized
from .styles import StyleTable
from .values import ValueWriter


def _tuple(items: list[str]) -> str:
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


class CodeWriter:
    """Writes band-function calls for sized instances; remembers the page facts for page totals."""

    def __init__(
        self,
        report: Any,
        values: ValueWriter,
        styles: StyleTable,
        images: dict[int, dict[int, str]],
    ) -> None:
        self.report = report
        self.values = values
        self.styles = styles
        self.images = images

    def call(self, sized: Sized) -> str:
        """`b3((values), (styles), ...)` for one sized instance."""
        instance = sized.instance
        band = self.report.bands[instance.band_index]
        elements = band.elements
        values = ["none"] * len(elements)
        styles = ["none"] * len(elements)
        images = self.images.get(instance.band_index, {})
        for ev in instance.elements:
            i = ev.element_index
            element = elements[i]
            if element.type == "image" and element.source.field is None:
                values[i] = typst_string(images.get(i, ""))
            elif element.type == "image":  # a data field's picture: checked before Typst sees it
                row = f" (row {instance.row_number})" if instance.row_number else ""
                where = f"bands[{instance.band_index}].elements[{i}].source.field{row}"
                values[i] = self.values.image_code(ev.text, where)
            else:
                values[i] = self.values.code(ev.text)
            if element.type in TEXT_TYPES:
                styles[i] = self.styles.name(ev.style)
        extra = ""
        if sized.variant == "g":
            extra = (
                f", g: {_tuple([typst_length(g) for g in sized.growth])}"
                f", d: {_tuple([typst_length(d) for d in sized.shift])}, h: {typst_length(sized.height)}"
            )
        elif sized.shrunk:
            extra = f", h: {typst_length(sized.height)}"
        return f"{band_name(instance.band_index, sized.variant)}({_tuple(values)}, {_tuple(styles)}{extra})"

    def page(self, layout: PageLayout, *, first: bool, lift: float = 0.0) -> str:
        """The body code of one page: a page break before it (unless first), then its columns."""
        lines: list[str] = [] if first else ["#pagebreak()\n"]
        if lift:
            # as in JasperReports and Crystal: on page 1 the title comes above the page header
            lines.append(f"#v(-{typst_length(lift)})\n")
        if layout.title is not None:
            lines.append(
                f'#place(top, float: true, scope: "parent", clearance: 0pt, {self.call(layout.title)})\n'
            )
        last = max((i for i, column in enumerate(layout.columns) if column), default=0)
        for index, column in enumerate(layout.columns[: last + 1]):
            if index:
                lines.append("#colbreak()\n")
            lines.extend(f"#{self.call(item)}\n" for item in column)
        return "".join(lines)
