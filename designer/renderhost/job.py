"""A render job (a report snapshot, parameter values, format, target) → PDF bytes or files written whole, with progress.

Runs in the render process (`server`) and never touches Qt: `run_job` calls back with engine
`Progress` events and with each chunk of pages the engine finished early. Exports take
the CLI's path (`render_report` then `write_files`; CSV and JSON through the fill's
writers) and write through a temporary file renamed at the end, so a cancel or a failure
leaves no file. Previews read the rows themselves (`engine.prepare.read_rows`) so they can
keep them in a `RowCache` and re-render a layout edit without querying again — except for
a summary report the database can group (`Prepared.plan`): that one takes the
CLI's path too, so the database returns one row per group and computes the charts' points
(a million rows are never read into the render process, and the chart cache still serves
an unchanged chart).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine import CancelToken, Progress, export_data, prepare_report, render_report
from engine.access import allow_folders, reset_access
from engine.model import Report
from engine.prepare import read_rows
from engine.render import DATA_FORMATS, RowCounter, page_paths, write_files

from .rowcache import RowCache, cache_key

#: every format a job can produce; `pdf` without a target is a preview
FORMATS = ("pdf", "png", "svg", "csv", "json")

ProgressHandler = Callable[[Progress], None]
#: (first page, last page, PDF bytes) of pages finished before the whole report
ChunkHandler = Callable[[int, int, bytes], None]


@dataclass(frozen=True)
class RenderJob:
    """What to render: a frozen report snapshot, raw parameter values and where the output goes."""

    report: Report
    params: Mapping[str, Any] = field(default_factory=dict)
    base_dir: Path | None = None
    fmt: str = "pdf"
    #: the file to write (PNG and SVG: one file per page, numbered); None keeps the PDF in memory
    target: Path | None = None
    ppi: float = 144.0
    timestamp: dt.datetime | None = None
    #: a number the caller uses to tell its runs apart
    serial: int = 0
    #: folders outside the report's folder the user trusted it to read (the designer's trust
    #: prompt); every other file outside its folder is refused by engine.access
    allowed: tuple[Path, ...] = ()

    @property
    def is_preview(self) -> bool:
        return self.target is None


@dataclass
class JobResult:
    """What a job produced: the PDF bytes of a preview (or None), the files written, pages, warnings."""

    pdf: bytes | None
    files: list[Path]
    page_count: int
    warnings: list[str]
    rows: int
    cached: bool = False


class _Rows(RowCounter):
    """Counts the rows a job reads itself (engine.render.RowCounter), and adds them to the engine's events."""

    def merged(self, event: Progress) -> Progress:
        """An engine event with the rows read here (the engine counts only what the fill took)."""
        return dataclasses.replace(
            event,
            rows_read=max(event.rows_read, self.read),
            rows_total=event.rows_total if event.rows_total is not None else self.total,
        )


def run_job(
    job: RenderJob,
    cancel: CancelToken,
    *,
    progress: ProgressHandler | None = None,
    on_chunk: ChunkHandler | None = None,
    cache: RowCache | None = None,
) -> JobResult:
    """Render a job; raises the engine's ReportError (Cancelled when `cancel` was cancelled).

    Sets this process's allowed folders (engine.access) to the job's `allowed` first.
    """
    if job.fmt not in FORMATS:
        raise ValueError(f"unknown format {job.fmt!r}")
    # the render process outlives a job: each job reads only the folders trusted for it
    reset_access()
    allow_folders(job.allowed)
    if job.fmt in DATA_FORMATS:  # CSV (the rows) or JSON (the filled bands), as the CLI writes them
        assert job.target is not None
        prepared = prepare_report(job.report, job.params, base_dir=job.base_dir)
        done = export_data(prepared, job.fmt, job.target, cancel=cancel, progress=progress)
        return JobResult(None, [job.target], 0, [], done.rows_read)
    counter = _Rows(progress, cancel)
    seen: set[str] = set()

    def on_event(event: Progress) -> None:
        chunk = event.extra.get("chunk_pdf")
        if on_chunk is not None and isinstance(chunk, str) and chunk not in seen:
            seen.add(chunk)  # the engine repeats the last chunk's facts in later events
            first, last = event.extra["chunk_pages"]  # type: ignore[misc]
            on_chunk(first, last, Path(chunk).read_bytes())
        if progress is not None:
            progress(counter.merged(event))

    if job.is_preview:
        return _preview(job, cancel, counter, on_event, cache)
    prepared = prepare_report(job.report, job.params, base_dir=job.base_dir)
    result = render_report(
        prepared, fmt=job.fmt, ppi=job.ppi, timestamp=job.timestamp, progress=on_event,  # type: ignore[arg-type]
        cancel=cancel,
    )  # fmt: skip
    assert job.target is not None
    paths = page_paths(job.target, len(result.pages)) if job.fmt != "pdf" else [job.target]
    cancel.check()
    write_files(list(zip(paths, result.pages, strict=True)))
    return JobResult(None, paths, result.page_count, result.warnings, counter.read)


def _preview(
    job: RenderJob,
    cancel: CancelToken,
    counter: _Rows,
    on_event: ProgressHandler,
    cache: RowCache | None,
) -> JobResult:
    """A PDF in memory, from the cached rows when the source and parameters did not change."""
    prepared = prepare_report(job.report, job.params, base_dir=job.base_dir)
    report = prepared.report
    if prepared.plan is not None:  # the database groups the rows: nothing worth caching
        on_event(Progress("query"))
        result = render_report(
            prepared, fmt="pdf", timestamp=job.timestamp, progress=on_event, cancel=cancel
        )
        return JobResult(result.pages[0], [], result.page_count, result.warnings, counter.read)
    key = cache_key(report, prepared.params, job.base_dir)
    rows: Iterable[Mapping[str, Any]] | None = None
    cached = cache.get(key) if cache is not None and report.data_source is not None else None
    stream = None
    if cached is not None:
        counter.total = len(cached)
        rows = counter.counted(cached)
    elif report.data_source is not None:
        on_event(Progress("query"))
        source = read_rows(prepared, pushdown=False, cancel=cancel)  # names an unknown field
        stream = source.stream
        if stream is not None:
            cancel.on_cancel(stream.close)
            counter.total = stream.rows_total
        if counter.total is None and cache is not None:
            counter.total = cache.count(key)  # the last read's count: an estimate, not a promise
        read = counter.counted(source.rows or ())
        rows = cache.recording(key, read) if cache is not None else read
    try:
        result = render_report(
            prepared, fmt="pdf", rows=rows, timestamp=job.timestamp, progress=on_event,
            cancel=cancel,
        )  # fmt: skip
    finally:
        if stream is not None:
            stream.close()
    return JobResult(
        result.pages[0], [], result.page_count, result.warnings, counter.read, cached is not None
    )
