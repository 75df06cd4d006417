"""A Report and parameter values → its rendered pages (PDF, PNG, SVG) or Typst source: the orchestrating pipeline."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..fill import fill_report, sort_rows
from ..fill.pushdown import PushdownPlan, fill_partials
from ..model import Report
from ..prepare import Prepared, StreamRows, prepare_report, read_rows
from ..progress import CancelToken, Progress, Reporter
from ..typst import DEFAULT_FONT, generate_typst
from .chunks import (
    CHUNK_PAGES,
    CHUNKED_FROM_PAGES,
    Chunks,
    CompileOptions,
    compile_chunked,
    compile_single,
)
from .cores import worker_count
from .fonts import installed_families
from .raster import check_raster
from .telemetry import RenderStats, publish

if TYPE_CHECKING:
    from ..charts import ChartPlan, ChartStat
    from ..fill import CompiledReport

log = logging.getLogger(__name__)

OutputFormat = Literal["pdf", "png", "svg", "typ"]


@dataclass
class RenderResult:
    """What a render produced: one PDF (or one PNG/SVG per page, or the Typst source) and its warnings.

    `timings` holds seconds per stage and `peaks` the peak memory (MB) per stage, compile
    workers included (`worker_peak_mb`). `pushdown` is True when the database grouped and
    aggregated the rows (a summary report, see `engine.fill.pushdown`).
    """

    fmt: str
    pages: list[bytes]
    page_count: int
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, float] = field(default_factory=dict)
    chunks: int = 1
    pushdown: bool = False
    #: per chart element: seconds, points, cache hits and misses (see `engine.charts`)
    charts: list[ChartStat] = field(default_factory=list)


def font_warnings(report: Report, installed: frozenset[str]) -> list[str]:
    """A warning for each style or element naming a font family this machine does not have."""
    found = []
    for i, style in enumerate(report.styles):
        if style.font and style.font.lower() not in installed:
            found.append(
                f"styles[{i}].font: font '{style.font}' is not installed; {DEFAULT_FONT} is used instead"
            )
    for b, band in enumerate(report.bands):
        for e, element in enumerate(band.elements):
            fonts = [element.font, *(c.font for c in element.conditional_styles)]
            for font in fonts:
                if font and font.lower() not in installed:
                    found.append(
                        f"bands[{b}].elements[{e}].font: font '{font}' is not installed; {DEFAULT_FONT} is used instead"
                    )
    return list(dict.fromkeys(found))


def _counted(
    rows: Iterable[Mapping[str, Any]], reporter: Reporter, every: int = 2000
) -> Iterator[Mapping[str, Any]]:
    """The rows, reporting how many were read (and checking for cancel) every `every` rows."""
    count = 0
    for row in rows:
        yield row
        count += 1
        if count % every == 0:
            reporter.update(rows_read=count)
    reporter.update(rows_read=count)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_report(
    report: Prepared | Report,
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
    progress: Callable[[Progress], None] | None = None,
    cancel: CancelToken | None = None,
    workers: int | None = None,
    pushdown: bool = True,
) -> RenderResult:
    """Render a report to PDF, PNG or SVG pages, or to its Typst source.

    Args:
        report: a prepared run (`engine.prepare_report`), or a Report to prepare here with
            `params`, `base_dir` and `data_url` (which a Prepared already holds).
        params: parameter values by name (text or typed); defaults fill the rest.
        fmt: `pdf` (one item), `png`/`svg` (one item per page) or `typ` (the source).
        base_dir: the report's folder; relative data and image paths resolve against it.
        data_url: replaces the data source URL (or CSV/JSON path).
        rows: rows to use instead of reading the data source (already in print order).
        ppi: pixels per inch for PNG.
        timestamp: pinned PDF creation date for byte-reproducible output.
        pdf_standards: PDF standards such as `a-2b` or `ua-1`.
        tagged: write a tagged (accessible) PDF.
        progress: called with a Progress event at each step (stage, rows, chunks, pages).
        cancel: a CancelToken; cancelling stops the query, the fill and the compile workers.
        workers: processes that compile, this one included: 1 compiles once here; n > 1
            keeps up to n - 1 chunks on the process pool (`engine.render.pool`) and
            compiles the rest here once the fill is done; None: the cores (a report of
            fewer than 60 pages still compiles once here).
        pushdown: let the database group and aggregate a summary report (see `read_rows`);
            False reads every row (the same output, slower).

    Raises:
        ParameterError: a parameter is unknown or does not convert.
        ReportValidationError: an expression in the report is wrong.
        DataSourceError: the data source failed.
        RenderError: typesetting failed.
        Cancelled: `cancel` was cancelled; nothing was produced.
        RasterError: PNG pages at `ppi` would be over the pixel cap, or `ppi` is out of range.
    """
    if not isinstance(report, Prepared):
        report = prepare_report(report, params, base_dir=base_dir, data=data_url)
    prepared = report
    report = prepared.report
    if fmt == "png":  # before the query: Typst would abort the process on such a page
        check_raster(*report.page.dimensions, ppi)
    # whatever happens (a failure, a cancel), the data source's connection is released here,
    # in the thread that reads it
    with contextlib.ExitStack() as closing:
        reporter = Reporter(progress, cancel)
        timings: dict[str, float] = {}
        peaks: dict[str, float] = {}
        base, compiled, values = prepared.base_dir, prepared.compiled, prepared.params
        mark = time.perf_counter()
        reporter.update("query")
        plan: PushdownPlan | None = None
        source_rows = rows is None
        if rows is None:
            source = read_rows(prepared, pushdown=pushdown, cancel=cancel, used_only=True)
            plan = source.pushdown
            if source.stream is not None:
                if cancel is not None:
                    cancel.on_cancel(source.stream.close)
                closing.callback(source.stream.close)
                reporter.update(rows_total=source.stream.rows_total)
                if isinstance(source.rows, StreamRows):  # counted a chunk at a time
                    source.stream.on_chunk = lambda count: reporter.update(rows_read=count)
            rows = source.rows
        elif report.groups or report.sort:
            rows = sort_rows(compiled, rows, values)
        charts = _plan_charts(
            compiled,
            values,
            base,
            prepared.data_url,
            sourced=source_rows,
            pushdown=plan is not None,
        )
        closing.callback(charts.close)
        timings["query"], peaks["query"] = time.perf_counter() - mark, _peak_mb()
        with tempfile.TemporaryDirectory(prefix=f"ashr-{os.getpid()}-") as work:
            root = Path(work)
            mark = time.perf_counter()
            reporter.update("fill")
            counted = (
                _counted(rows, reporter)
                if rows is not None and not isinstance(rows, StreamRows)
                else rows
            )
            if plan is not None and counted is not None:
                instances = fill_partials(
                    compiled, counted, plan, params=values, charts=charts.feeds
                )
            else:
                instances = fill_report(compiled, counted, params=values, charts=charts.feeds)
            options = CompileOptions(fmt, ppi, timestamp, tuple(pdf_standards), tagged)
            count = workers if workers is not None else worker_count()
            chunks = (
                Chunks(root, options, count, reporter, cancel)
                if count > 1 and fmt != "typ"
                else None
            )
            document = generate_typst(
                report,
                instances,
                installed_fonts=installed_families(),
                image_dir=root,
                base_dir=base,
                page_keys=compiled.page_keys,
                # PDF chunks compile while the fill goes on; their "of Y" is stamped after the merge
                on_chunk=chunks.submit if chunks is not None and fmt == "pdf" else None,
                chunk_pages=CHUNK_PAGES,
            )
            timings["fill+layout"], peaks["fill+layout"] = time.perf_counter() - mark, _peak_mb()
            reporter.update("layout", pages=document.page_count)
            if fmt == "typ":
                text = document.text().encode("utf-8")
                reporter.update("done")
                return RenderResult(
                    "typ", [text], document.page_count, document.warnings, timings, peaks,
                    pushdown=plan is not None, charts=charts.stats(),
                )  # fmt: skip
            if (
                chunks is not None
                and (
                    document.early
                    or (workers is not None or document.page_count >= CHUNKED_FROM_PAGES)
                )
                and document.page_count > 1
            ):
                done = compile_chunked(document, chunks, options, report)
            else:
                done = compile_single(document, root, options, reporter)
            result = RenderResult(**vars(done))
            installed = installed_families()
            result.warnings = font_warnings(report, installed) + [
                w for w in result.warnings if not w.startswith("unknown font family")
            ]
            result.timings = {**timings, **result.timings}
            result.peaks = {**peaks, **result.peaks}
            result.pushdown = plan is not None
            result.charts = charts.stats()
            reporter.update("done", pages=result.page_count)
            publish(
                RenderStats(
                    report.name,
                    fmt,
                    result.page_count,
                    result.chunks,
                    reporter.state.rows_read,
                    dict(result.timings),
                    dict(result.peaks),
                    tuple(result.charts),
                )
            )
            return result


class _NoCharts:
    """The chart plan of a report without chart elements (which never loads `engine.charts`)."""

    def __init__(self) -> None:
        self.feeds: dict[str, Any] = {}

    def stats(self) -> list[ChartStat]:
        return []

    def close(self) -> None:
        pass


def _plan_charts(
    compiled: CompiledReport,
    values: Mapping[str, Any],
    base: Path | None,
    data_url: str | None,
    *,
    sourced: bool,
    pushdown: bool,
) -> ChartPlan | _NoCharts:
    """The charts' feeds: the report reads every row, its charts aggregate in that pass; the
    database groups the report (summary push-down), each chart's data is a GROUP BY of its own."""
    if not any(e.type == "chart" for band in compiled.bands for e in band.elements):
        return _NoCharts()
    from ..charts import plan_charts
    from ..data.grouping import SourceLink

    report = compiled.report
    link = None
    if report.data_source is not None and sourced:
        link = SourceLink(report.data_source, values, base, data_url)
    return plan_charts(compiled, values, link=link, pushdown=pushdown)
