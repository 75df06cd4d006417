"""A Report and parameter values → its rendered pages (PDF, PNG, SVG) or Typst source: the orchestrating pipeline."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..data import OrderKey, open_rows
from ..errors import RenderError
from ..expr import compile_expression
from ..fill import compile_report, fill_report, plain_field, sort_rows
from ..model import Report, resolve_parameters
from ..typst import TypstSource, generate_typst
from .compiler import compile_document
from .fonts import installed_families

log = logging.getLogger(__name__)

OutputFormat = Literal["pdf", "png", "svg", "typ"]


@dataclass
class RenderResult:
    """What a render produced: one PDF (or one PNG/SVG per page, or the Typst source) and its warnings."""

    fmt: str
    pages: list[bytes]
    page_count: int
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def order_keys(report: Report) -> list[OrderKey] | None:
    """The row order as plain fields for the data source to apply, or None when an expression needs Python."""
    keys: list[OrderKey] = []
    for item in [*report.groups, *report.sort]:
        name = plain_field(compile_expression(item.expression))
        if name is None:
            return None
        keys.append(OrderKey(name, item.descending))
    return keys


@dataclass
class ReportRows:
    """A report's rows in print order (None: no data source) and the field names the source gave."""

    rows: Iterator[Mapping[str, Any]] | None
    fields: set[str] | None


def read_rows(
    report: Report,
    params: Mapping[str, Any],
    *,
    base_dir: Path | None,
    data_url: str | None,
) -> ReportRows:
    """Open the data source: rows streamed when the source can sort them, else sorted in Python.

    The source is opened (and its query run) here, so its field names are known before the
    report's expressions are compiled against them.
    """
    source = report.data_source
    if source is None:
        return ReportRows(None, None)
    keys = order_keys(report)
    stream = open_rows(source, params=params, base_dir=base_dir, url=data_url, order_by=keys or ())
    needs_sort = bool(report.groups or report.sort) and (keys is None or not stream.ordered)

    def rows() -> Iterator[Mapping[str, Any]]:
        with stream:
            if needs_sort:
                yield from sort_rows(report, stream, params)
            else:
                yield from stream

    return ReportRows(rows(), {f.name for f in stream.fields})


def render_report(
    report: Report,
    params: Mapping[str, Any] | None = None,
    *,
    fmt: OutputFormat = "pdf",
    base_dir: Path | str | None = None,
    data_url: str | None = None,
    rows: Iterable[Mapping[str, Any]] | None = None,
    ppi: float = 144.0,
    timestamp: dt.datetime | None = None,
    pdf_standards: Sequence[str] = (),
    tagged: bool = False,
    progress: Callable[[str, dict[str, Any]], None] | None = None,
) -> RenderResult:
    """Render a report to PDF, PNG or SVG pages, or to its Typst source.

    Args:
        report: the report definition.
        params: parameter values by name (text or typed); defaults fill the rest.
        fmt: `pdf` (one item), `png`/`svg` (one item per page) or `typ` (the source).
        base_dir: the report's folder; relative data and image paths resolve against it.
        data_url: replaces the data source URL (or CSV/JSON path).
        rows: rows to use instead of reading the data source (already in print order).
        ppi: pixels per inch for PNG.
        timestamp: pinned PDF creation date for byte-reproducible output.
        pdf_standards: PDF standards such as `a-2b` or `ua-1`.
        tagged: write a tagged (accessible) PDF.
        progress: called with (stage, facts) as the render goes.

    Raises:
        ParameterError: a parameter is unknown or does not convert.
        ReportValidationError: an expression in the report is wrong.
        DataSourceError: the data source failed.
        RenderError: typesetting failed.
    """
    timings: dict[str, float] = {}
    notify = progress or (lambda stage, facts: None)
    base = Path(base_dir) if base_dir is not None else None
    started = time.perf_counter()
    values = resolve_parameters(report, params)
    if rows is None:
        notify("query", {})
        source = read_rows(report, values, base_dir=base, data_url=data_url)
        compiled = compile_report(report, field_names=source.fields)
        rows = source.rows
    else:
        compiled = compile_report(report)
        if report.groups or report.sort:
            rows = sort_rows(compiled, rows, values)
    timings["prepare"] = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="ashr-") as work:
        root = Path(work)
        mark = time.perf_counter()
        notify("fill", {})
        instances = fill_report(compiled, rows, params=values)
        source = generate_typst(
            report,
            instances,
            installed_fonts=installed_families(),
            image_dir=root,
            base_dir=base,
            page_keys=compiled.page_keys,
        )
        timings["fill+generate"] = time.perf_counter() - mark
        if fmt == "typ":
            text = source.text()
            return RenderResult("typ", [text.encode("utf-8")], 0, source.warnings, timings)
        return _compile(source, root, fmt, ppi, timestamp, pdf_standards, tagged, timings, notify)


def _compile(
    source: TypstSource,
    root: Path,
    fmt: OutputFormat,
    ppi: float,
    timestamp: dt.datetime | None,
    pdf_standards: Sequence[str],
    tagged: bool,
    timings: dict[str, float],
    notify: Callable[[str, dict[str, Any]], None],
) -> RenderResult:
    mark = time.perf_counter()
    notify("layout", {})
    text = source.text()
    compiled = compile_document(
        text,
        fmt="pdf" if fmt == "typ" else fmt,
        ppi=ppi,
        timestamp=timestamp,
        pdf_standards=pdf_standards,
        tagged=tagged,
        origins=source.origins,
        root=root,
    )
    timings["compile"] = time.perf_counter() - mark
    warnings = source.warnings + compiled.warnings
    count = len(compiled.pages) if fmt != "pdf" else _pdf_page_count(compiled.pages[0])
    notify("done", {"pages": count})
    return RenderResult(fmt, compiled.pages, count, warnings, timings)


def _pdf_page_count(pdf: bytes) -> int:
    import pymupdf

    try:
        with pymupdf.open(stream=pdf, filetype="pdf") as doc:
            return int(doc.page_count)
    except Exception as exc:  # a PDF Typst wrote that MuPDF cannot read would be a bug
        raise RenderError(f"the PDF could not be read back: {exc}") from exc
