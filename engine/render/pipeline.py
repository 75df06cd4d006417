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
from ..typst import DEFAULT_FONT, TypstSource, generate_typst
from .compiler import check_source_size, compile_document
from .cores import worker_count
from .fonts import installed_families
from .raster import check_raster
from .stamp import stamp_page_numbers
from .telemetry import RenderStats, publish

if TYPE_CHECKING:
    from ..charts import ChartPlan, ChartStat
    from ..fill import CompiledReport
    from .parallel import ChunkCompiler

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
        workers: compile processes; None picks by size (one compile in this process for
            small reports, a pool of spawned processes sized to the cores for big ones).
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
            options = _Options(fmt, ppi, timestamp, tuple(pdf_standards), tagged)
            count = workers if workers is not None else worker_count()
            chunks = (
                _Chunks(root, options, count, reporter, cancel)
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
                result = _compile_chunked(document, chunks, options, report)
            else:
                result = _compile_single(document, root, options, reporter)
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
    from ..charts import SourceLink, plan_charts

    report = compiled.report
    link = None
    if report.data_source is not None and sourced:
        link = SourceLink(report.data_source, values, base, data_url)
    return plan_charts(compiled, values, link=link, pushdown=pushdown)


#: from this many pages up, `workers=None` compiles in a pool of processes
CHUNKED_FROM_PAGES = 60
#: pages per chunk (a worker compiling 40 pages of a listing peaks near 0.5 GB)
CHUNK_PAGES = 40


@dataclass(frozen=True)
class _Options:
    fmt: str
    ppi: float
    timestamp: dt.datetime | None
    pdf_standards: tuple[str, ...]
    tagged: bool


def _compile_single(
    document: TypstSource, root: Path, options: _Options, reporter: Reporter
) -> RenderResult:
    mark = time.perf_counter()
    reporter.update("compile", chunks_total=1)
    text = document.text()
    check_source_size(text, document.page_count)
    compiled = compile_document(
        text,
        fmt=options.fmt,  # type: ignore[arg-type]
        ppi=options.ppi,
        timestamp=options.timestamp,
        pdf_standards=options.pdf_standards,
        tagged=options.tagged,
        origins=document.origins,
        root=root,
    )
    reporter.update(chunks_done=1)
    count = len(compiled.pages) if options.fmt != "pdf" else document.page_count
    warnings = document.warnings + compiled.warnings
    return RenderResult(
        options.fmt,
        compiled.pages,
        count,
        warnings,
        {"compile": time.perf_counter() - mark},
        {"compile": _peak_mb()},
    )


class _Chunks:
    """The chunks of one render: submitted early or at the end, compiled on the worker pool."""

    def __init__(
        self,
        root: Path,
        options: _Options,
        workers: int,
        reporter: Reporter,
        cancel: CancelToken | None,
    ) -> None:
        self.reporter = reporter
        self.started = time.perf_counter()
        self.ranges: list[tuple[int, int]] = []
        self.done = 0
        self._start = (root, options, workers, cancel)
        self._compiler: ChunkCompiler | None = None

    @property
    def compiler(self) -> ChunkCompiler:
        """The worker pool, made when the first chunk is submitted (a one-page render needs none;
        `engine.render.parallel` and `subprocess` are then never imported)."""
        if self._compiler is None:
            from .parallel import ChunkCompiler

            root, options, workers, cancel = self._start
            self._compiler = ChunkCompiler(
                root, fmt=options.fmt, ppi=options.ppi, timestamp=options.timestamp,
                pdf_standards=options.pdf_standards, tagged=options.tagged, workers=workers,
                cancel=cancel, on_chunk=self._finished,
            )  # fmt: skip
        return self._compiler

    def submit(self, first: int, last: int, text: str) -> None:
        check_source_size(text, last - first + 1)  # here, before a worker starts on it
        self.ranges.append((first, last))
        self.compiler.submit(first, last, text)
        self.reporter.update(chunks_total=len(self.ranges), chunks_done=self.done)

    def _finished(self, index: int, result: dict[str, Any]) -> None:
        self.done += 1
        first, last = self.ranges[index]
        self.reporter.state.extra = {
            "chunk_pdf": result["outputs"][0],
            "chunk_pages": (first, last),
        }
        self.reporter.update(chunks_done=self.done)


def _compile_chunked(
    document: TypstSource, chunks: _Chunks, options: _Options, report: Report
) -> RenderResult:
    first = document.early[-1][1] + 1 if document.early else 1
    chunks.reporter.update("compile")
    for start in range(first, document.page_count + 1, CHUNK_PAGES):
        end = min(document.page_count, start + CHUNK_PAGES - 1)
        chunks.submit(start, end, document.text(start, end))
    results = chunks.compiler.wait()
    timings = {"compile": time.perf_counter() - chunks.started}
    peaks = {"compile": _peak_mb(), "worker_peak_mb": max(r["peak_mb"] for r in results)}
    warnings = list(document.warnings)
    for r in results:
        warnings.extend(w for w in r["warnings"] if w not in warnings)
    mark = time.perf_counter()
    chunks.reporter.update("merge")
    paths = [p for r in results for p in r["outputs"]]
    if options.fmt == "pdf":
        early = [p for a, b in document.early for p in range(a, b + 1)]
        total = document.page_count

        def stamp(doc: Any) -> None:
            if early and document.stamps:
                stamp_page_numbers(doc, early, total, document.stamps)

        from .parallel import merge_pdfs

        pages = [
            merge_pdfs(
                paths, title=report.title or report.name, timestamp=options.timestamp, stamp=stamp
            )
        ]
    else:
        pages = [Path(p).read_bytes() for p in paths]
    timings["merge"] = time.perf_counter() - mark
    peaks["merge"] = _peak_mb()
    return RenderResult(
        options.fmt, pages, document.page_count, warnings, timings, peaks, chunks=len(results)
    )
