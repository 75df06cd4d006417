"""A report and its stream of band instances → a paginated Typst document, whole or in chunks of pages."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..fill import PAGE_BAND_TYPES, BandInstance, PageTotals
from .bands import band_definitions
from .escape import typst_length, typst_string
from .flow import CodeWriter
from .fonts import DEFAULT_FONT, font_chain
from .origins import Origins
from .paginate import PageLayout, Paginator
from .sizing import size_instance
from .styles import HELPERS, StyleTable
from .values import ValueWriter

log = logging.getLogger(__name__)


@dataclass
class TypstSource:
    """A paginated document: shared preamble, page setup and the body code of every page."""

    prelude: str
    setup: str
    pages: list[str]
    page_texts: dict[int, dict[int, str]]
    origins: Origins
    warnings: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def text(self, first: int = 1, last: int | None = None) -> str:
        """The Typst document of pages `first`..`last` (1-based, inclusive; default all)."""
        last = self.page_count if last is None else last
        texts = {p: t for p, t in self.page_texts.items() if first <= p <= last}
        start = f"#counter(page).update({first})\n" if first > 1 else ""
        body = self.pages[first - 1 : last]
        if body and body[0].startswith("#pagebreak()\n"):
            body = [body[0][len("#pagebreak()\n") :], *body[1:]]
        return self.prelude + page_table(texts) + self.setup + start + "".join(body)


def page_table(page_texts: Mapping[int, Mapping[int, str]]) -> str:
    """`#let PT = (...)`: page-reference texts per page, and PV, which prints one on its page."""
    pages = ", ".join(
        f'"{page}": ({", ".join(f"{typst_string(str(i))}: {typst_string(t)}" for i, t in refs.items()) or ":"})'
        for page, refs in sorted(page_texts.items())
    )
    return (
        f"#let PT = ({pages or ':'})\n"
        '#let PV(k) = PT.at(str(here().page()), default: (:)).at(k, default: "")\n'
    )


class _Builder:
    """The state of one generation: styles, values, pages written so far, page totals."""

    def __init__(
        self,
        report: Any,
        installed_fonts: frozenset[str],
        image_dir: Path | None,
        base_dir: Path | None,
        page_keys: Mapping[str, str],
    ) -> None:
        self.report = report
        self.installed = installed_fonts
        self.styles = StyleTable(installed_fonts)
        self.values = ValueWriter(image_dir)
        self.images = _static_images(report, self.values, base_dir)
        self.code = CodeWriter(report, self.values, self.styles, self.images)
        self.page_keys = dict(page_keys)
        self.templates: dict[str, BandInstance] = {}
        self.pages: list[str] = []
        self.page_texts: dict[int, dict[int, str]] = {}
        self.warnings: list[str] = []
        self.lift = 0.0
        self.setup = ""

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
            log.warning("%s", message)

    def height_of(self, kinds: tuple[str, ...]) -> float:
        return sum(
            float(self.report.bands[self.templates[k].band_index].height)
            for k in kinds
            if k in self.templates
        )

    def write(self, layout: PageLayout) -> None:
        """Generate a finished page's code and its page-reference texts."""
        self.pages.append(
            self.code.page(
                layout, first=not self.pages, lift=self.lift if layout.number == 1 else 0.0
            )
        )
        if self.values.page_refs:
            totals = PageTotals(self.page_keys)
            for item in layout.items:
                if not item.reprint and item.instance.page_values:
                    totals.add(item.instance.page_values)
            values = totals.values()
            self.page_texts[layout.number] = {
                i: ref.render(values) for i, ref in enumerate(self.values.page_refs)
            }


def generate_typst(
    report: Any,
    instances: Iterable[BandInstance],
    *,
    installed_fonts: frozenset[str] = frozenset(),
    image_dir: Path | None = None,
    base_dir: Path | None = None,
    page_keys: Mapping[str, str] | None = None,
) -> TypstSource:
    """Paginate a filled report and generate its Typst document.

    Args:
        report: the Report the instances were filled from.
        instances: the fill stage's stream (page furniture templates first).
        installed_fonts: lower-case font families the compiler has (for fallback chains).
        image_dir: the compile folder; image bytes are stored there and read by Typst.
        base_dir: the report's folder, for image files given by relative path.
        page_keys: page key → calculation (`CompiledReport.page_keys`), for page totals.
    """
    b = _Builder(report, installed_fonts, image_dir, base_dir, page_keys or {})
    bands = report.bands
    paginator: Paginator | None = None
    margins = report.page.margins
    page_height = report.page.dimensions[1] - margins.top - margins.bottom
    for instance in instances:
        if instance.band_type in PAGE_BAND_TYPES:
            b.templates[instance.band_type] = instance
            continue
        if paginator is None:
            paginator = _start(b, page_height, instance)
        sized = size_instance(bands[instance.band_index], instance)
        paginator.add(sized)
        if b.lift and instance.band_type == "title":
            for kind in ("page_header", "column_header"):
                if kind in b.templates:
                    paginator.add(
                        size_instance(bands[b.templates[kind].band_index], b.templates[kind])
                    )
        while paginator.pages:
            b.write(paginator.pages.pop(0))
    if paginator is None:
        paginator = _start(b, page_height, None)
    paginator.finish()
    for layout in paginator.pages:
        b.write(layout)
    return _assemble(b)


def _start(b: _Builder, page_height: float, first: BandInstance | None) -> Paginator:
    header = b.height_of(("page_header", "column_header"))
    footer = b.height_of(("column_footer", "page_footer"))
    content = page_height - header - footer
    if content <= 0:
        raise RenderError(
            "the page header and footer bands leave no room for content; make them shorter"
        )
    title_first = (
        first is not None
        and first.band_type == "title"
        and header > 0
        and b.report.page.columns == 1
    )
    b.lift = header if title_first else 0.0
    b.setup = _page_setup(
        b
    )  # generated now: page references in the furniture must be known before pages
    return Paginator(b.report, content, first_page_extra=b.lift, warn=b.warn)


def _assemble(b: _Builder) -> TypstSource:
    setup = b.setup
    origins = Origins()
    prelude = ["// generated by AshReports — do not edit\n", HELPERS]
    origins.mark(1, "the document preamble")
    line = sum(p.count("\n") for p in prelude) + 1
    styles = b.styles.definitions()
    prelude.append(styles)
    line += styles.count("\n")
    for index, band in enumerate(b.report.bands):
        code = band_definitions(index, band)
        origins.mark(line, f"bands[{index}] ({band.type} band)")
        prelude.append(code)
        line += code.count("\n")
    prelude.append(b.values.deferred_table())
    prelude.append(f"#let PAGES = {max(1, len(b.pages))}\n")
    origins.mark(line + 2, "the page table and page setup")
    origins.mark(line + 4 + setup.count("\n"), "the band instances")
    return TypstSource("".join(prelude), setup, b.pages or [""], b.page_texts, origins, b.warnings)


def _template_code(b: _Builder, kinds: tuple[str, ...]) -> str:
    calls = [
        b.code.call(size_instance(b.report.bands[b.templates[k].band_index], b.templates[k]))
        for k in kinds
        if k in b.templates
    ]
    return "{ " + "; ".join(calls) + " }" if calls else "none"


def _page_setup(b: _Builder) -> str:
    report = b.report
    page = report.page
    width, height = page.dimensions
    m = page.margins
    header = _template_code(b, ("page_header", "column_header"))
    if b.lift:
        header = f"context if here().page() == 1 {{ none }} else {header}"
    footer = _template_code(b, ("column_footer", "page_footer"))
    background = "none"
    if "background" in b.templates:
        call = _template_code(b, ("background",))
        background = f"place(top + left, dx: {typst_length(m.left)}, dy: {typst_length(m.top)}, box(width: {typst_length(page.content_width)}, {call}))"
    fonts = "(" + ", ".join(typst_string(f) for f in font_chain(DEFAULT_FONT, b.installed)) + ")"
    title = typst_string(report.title or report.name)
    top = m.top + b.height_of(("page_header", "column_header"))
    bottom = m.bottom + b.height_of(("column_footer", "page_footer"))
    return (
        f"#set document(title: {title})\n"
        f"#set page(width: {typst_length(width)}, height: {typst_length(height)}, "
        f"margin: (top: {typst_length(top)}, bottom: {typst_length(bottom)}, "
        f"left: {typst_length(m.left)}, right: {typst_length(m.right)}), "
        f"header: {header}, footer: {footer}, header-ascent: 0pt, footer-descent: 0pt, "
        f"background: {background}, columns: {page.columns})\n"
        f"#set columns(gutter: {typst_length(page.column_gap)})\n"
        f'#set text(font: {fonts}, size: 10pt, top-edge: "ascender", bottom-edge: "descender", hyphenate: false)\n'
        "#set par(leading: 0.15em, spacing: 0pt)\n"
        "#set block(spacing: 0pt)\n"
    )


def _static_images(
    report: Any, values: ValueWriter, base_dir: Path | None
) -> dict[int, dict[int, str]]:
    """Typst paths of images given by file or inline data, stored once in the compile folder."""
    found: dict[int, dict[int, str]] = {}
    for b, band in enumerate(report.bands):
        for e, element in enumerate(band.elements):
            if element.type != "image" or element.source.field is not None:
                continue
            path = f"bands[{b}].elements[{e}].source"
            if element.source.file is not None:
                file = Path(element.source.file)
                if not file.is_absolute():
                    file = (base_dir or Path.cwd()) / file
                try:
                    data = file.read_bytes()
                except OSError as exc:
                    raise RenderError(
                        f"{path}.file: cannot read image {file}: {exc.strerror or exc}"
                    ) from exc
            else:
                try:
                    data = base64.b64decode(element.source.data or "", validate=True)
                except ValueError as exc:
                    raise RenderError(f"{path}.data: not valid base64 image data") from exc
            found.setdefault(b, {})[e] = values.image_path(data)
    return found
