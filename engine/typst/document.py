"""A report and its stream of band instances → one Typst document: preamble, page furniture, body."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..fill import PAGE_BAND_TYPES, BandInstance, PageRef, PageTotals
from .bands import band_definitions
from .escape import typst_length, typst_string
from .flow import FlowWriter
from .fonts import DEFAULT_FONT, font_chain
from .origins import Origins
from .styles import HELPERS, StyleTable
from .values import ValueWriter

log = logging.getLogger(__name__)


@dataclass
class TypstSource:
    """Generated Typst code in parts, so page totals can be filled in after a first layout."""

    prelude: str
    body: str
    origins: Origins
    page_refs: list[PageRef] = field(default_factory=list)
    contributions: dict[int, dict[str, list[Any]]] = field(default_factory=dict)
    page_keys: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def needs_page_facts(self) -> bool:
        """True when page totals must be computed from a first layout (two compiles)."""
        return bool(self.page_refs)

    def text(self, page_texts: Mapping[int, Mapping[int, str]] | None = None) -> str:
        """The whole document; `page_texts` maps page → page-ref index → text (from `page_totals`)."""
        return self.prelude + page_table(page_texts or {}) + self.body

    def page_totals(self, facts: list[tuple[int, int]]) -> dict[int, dict[int, str]]:
        """Texts of every page reference on every page, from (marker, page) facts of a first layout."""
        per_page: dict[int, PageTotals] = {}
        for marker, page in facts:
            totals = per_page.get(page)
            if totals is None:
                totals = per_page[page] = PageTotals(self.page_keys)
            totals.add(self.contributions.get(marker, {}))
        pages = max([p for _, p in facts], default=1)
        texts: dict[int, dict[int, str]] = {}
        empty = PageTotals(self.page_keys)
        for page in range(1, pages + 1):
            values = (per_page.get(page) or empty).values()
            texts[page] = {i: ref.render(values) for i, ref in enumerate(self.page_refs)}
        return texts


def page_table(page_texts: Mapping[int, Mapping[int, str]]) -> str:
    """`#let PT = (...)`: the page-reference texts of each page, and PV, which prints one on its page."""
    pages = ", ".join(
        f'"{page}": ({", ".join(f"{typst_string(str(i))}: {typst_string(t)}" for i, t in refs.items()) or ":"})'
        for page, refs in sorted(page_texts.items())
    )
    return (
        f"#let PT = ({pages or ':'})\n"
        '#let PV(k) = PT.at(str(here().page()), default: (:)).at(k, default: "")\n'
    )


FACTS_QUERY = (
    "\n#context [#metadata(query(<pv>).map(m => (m.value, m.location().page())))<pagefacts>]\n"
)


def generate_typst(
    report: Any,
    instances: Iterable[BandInstance],
    *,
    installed_fonts: frozenset[str] = frozenset(),
    image_dir: Path | None = None,
    base_dir: Path | None = None,
    page_keys: Mapping[str, str] | None = None,
) -> TypstSource:
    """Generate the Typst document of a filled report.

    Args:
        report: the Report the instances were filled from.
        instances: the fill stage's stream (page furniture templates first).
        installed_fonts: lower-case font families the compiler has (for fallback chains).
        image_dir: the compile folder; image bytes are stored there and read by Typst.
        base_dir: the report's folder, for image files given by relative path.
        page_keys: page key → calculation (`CompiledReport.page_keys`), for page totals.
    """
    styles = StyleTable(installed_fonts)
    values = ValueWriter(image_dir)
    images = _static_images(report, values, base_dir)
    height = report.page.dimensions[1]
    margins = report.page.margins
    templates: dict[str, BandInstance] = {}
    flow: FlowWriter | None = None
    header_height = footer_height = 0.0
    title_first = False
    for instance in instances:
        if instance.band_type in PAGE_BAND_TYPES:
            templates[instance.band_type] = instance
            continue
        if flow is None:
            header_height = _height(report, templates, ("page_header", "column_header"))
            footer_height = _height(report, templates, ("column_footer", "page_footer"))
            content = height - margins.top - margins.bottom - header_height - footer_height
            if content <= 0:
                raise RenderError(
                    "page header and footer bands leave no room for content; make them shorter"
                )
            flow = FlowWriter(report, values, styles, content, images)
            title_first = (
                instance.band_type == "title" and header_height > 0 and report.page.columns == 1
            )
            if title_first:
                # as in JasperReports and Crystal: on page 1 the title comes above the page header
                flow.lines.append(f"#v(-{typst_length(header_height)})\n")
        flow.add(instance)
        if title_first and instance.band_type == "title":
            for kind in ("page_header", "column_header"):
                if kind in templates:
                    flow.lines.append(f"#{flow.call(templates[kind])[0]}\n")
    if flow is None:
        header_height = _height(report, templates, ("page_header", "column_header"))
        footer_height = _height(report, templates, ("column_footer", "page_footer"))
        flow = FlowWriter(report, values, styles, height, images)
    flow.finish()

    furniture = _page_setup(
        report, templates, flow, header_height, footer_height, installed_fonts, title_first
    )
    origins = Origins()
    prelude: list[str] = ["// generated by AshReports — do not edit\n", HELPERS]
    origins.mark(1, "the document preamble")
    band_code: list[str] = []
    for index, band in enumerate(report.bands):
        band_code.append(band_definitions(index, band))
    line = sum(p.count("\n") for p in prelude) + 1
    style_defs = styles.definitions()
    prelude.append(style_defs)
    line += style_defs.count("\n")
    for index, code in enumerate(band_code):
        origins.mark(line, f"bands[{index}] ({report.bands[index].type} band)")
        prelude.append(code)
        line += code.count("\n")
    prelude.append(values.deferred_table())
    body_start = line + 1 + 2  # F table, then the two page-table lines
    origins.mark(body_start, "the page setup")
    body = furniture + "".join(flow.lines)
    if flow.contributions:
        body += FACTS_QUERY
    origins.mark(body_start + furniture.count("\n"), "the band instances")
    return TypstSource(
        prelude="".join(prelude),
        body=body,
        origins=origins,
        page_refs=values.page_refs,
        contributions=flow.contributions,
        page_keys=dict(page_keys or {}),
        warnings=flow.warnings,
    )


def _height(report: Any, templates: Mapping[str, BandInstance], kinds: tuple[str, ...]) -> float:
    return sum(float(report.bands[templates[k].band_index].height) for k in kinds if k in templates)


def _template_code(
    flow: FlowWriter, templates: Mapping[str, BandInstance], kinds: tuple[str, ...]
) -> str:
    calls = [flow.call(templates[k])[0] for k in kinds if k in templates]
    return "{ " + "; ".join(calls) + " }" if calls else "none"


def _page_setup(
    report: Any,
    templates: Mapping[str, BandInstance],
    flow: FlowWriter,
    header_height: float,
    footer_height: float,
    installed_fonts: frozenset[str],
    title_first: bool,
) -> str:
    page = report.page
    width, height = page.dimensions
    m = page.margins
    header = _template_code(flow, templates, ("page_header", "column_header"))
    if title_first:
        header = f"context if here().page() == 1 {{ none }} else {header}"
    footer = _template_code(flow, templates, ("column_footer", "page_footer"))
    background = "none"
    if "background" in templates:
        call = flow.call(templates["background"])[0]
        background = f"place(top + left, dx: {typst_length(m.left)}, dy: {typst_length(m.top)}, box(width: {typst_length(page.content_width)}, {call}))"
    fonts = (
        "(" + ", ".join(typst_string(f) for f in font_chain(DEFAULT_FONT, installed_fonts)) + ")"
    )
    title = typst_string(report.title or report.name)
    return (
        f"#set document(title: {title})\n"
        f"#set page(width: {typst_length(width)}, height: {typst_length(height)}, "
        f"margin: (top: {typst_length(m.top + header_height)}, bottom: {typst_length(m.bottom + footer_height)}, "
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
