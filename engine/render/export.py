"""A report, its parameters and a format (csv: the rows; json: the filled bands) → one data file, written whole or not at all.

The one CSV/JSON writer: the CLI's `render --format csv|json` and the designer's export
both call `export_data`, so they write the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..fill import fill_report
from ..fill.pushdown import fill_partials
from ..prepare import Prepared, read_rows
from ..progress import CancelToken, Progress
from .datafiles import write_csv, write_json
from .output import write_stream

#: the data formats export_data writes
DATA_FORMATS = ("csv", "json")

#: rows read between two progress events (and cancel checks)
ROWS_PER_EVENT = 2000


@dataclass(frozen=True)
class ExportResult:
    """What an export read: rows, and the source's row count when it knew it."""

    rows_read: int
    rows_total: int | None


class RowCounter:
    """Counts rows as they pass: `query` progress events and cancel checks every ROWS_PER_EVENT rows."""

    def __init__(self, progress: Callable[[Progress], None] | None, cancel: CancelToken | None):
        self.progress = progress
        self.cancel = cancel
        self.read = 0
        self.total: int | None = None

    def counted(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        for row in rows:
            yield row
            self.read += 1
            if self.read % ROWS_PER_EVENT == 0:
                self.event("query")
        # a stream closed by a cancel just ends: never let its rows pass for all of them
        self.event("query")

    def event(self, stage: str) -> None:
        if self.cancel is not None:
            self.cancel.check()
        if self.progress is not None:
            self.progress(Progress(stage, rows_read=self.read, rows_total=self.total))


def export_data(
    prepared: Prepared,
    fmt: str,
    target: str | os.PathLike[str],
    *,
    cancel: CancelToken | None = None,
    progress: Callable[[Progress], None] | None = None,
    on_commit: Callable[[], None] | None = None,
) -> ExportResult:
    """Write `target`: `csv` the detail rows after filter and sort, unformatted; `json` every
    printed band with its evaluated values (docs/cli-notes.md).

    Args:
        prepared: the run (`engine.prepare_report`: report, parameters, folder, data).
        fmt: `csv` or `json`.
        target: the file to write.
        cancel: stops the query and the rows; Cancelled is raised and nothing is written.
        progress: receives `query` events with the rows read, then `done`.
        on_commit: called once the file is in place (engine.render.output.write_stream).

    Raises:
        DataSourceError, ReportInputError: as `render_report`; Cancelled.
    """
    if fmt not in DATA_FORMATS:
        raise ValueError(f"not a data format: {fmt}")
    counter = RowCounter(progress, cancel)
    counter.event("query")
    # CSV writes the rows themselves: never grouped by the database
    source = read_rows(prepared, pushdown=fmt == "json", cancel=cancel)
    stream = source.stream
    if stream is not None:
        if cancel is not None:
            cancel.on_cancel(stream.close)
        counter.total = stream.rows_total
    try:
        report, compiled, params = prepared.report, prepared.compiled, prepared.params
        rows = counter.counted(source.rows) if source.rows is not None else None
        if fmt == "json":
            plan = source.pushdown
            instances = (
                fill_partials(compiled, rows, plan, params=params)
                if plan is not None and rows is not None
                else fill_report(compiled, rows, params=params)
            )
            write_stream(
                target, lambda out: write_json(report, instances, out, params), on_commit=on_commit
            )
        else:
            write_stream(
                target, lambda out: write_csv(report, rows or (), out, params), on_commit=on_commit
            )
    finally:
        if stream is not None:
            stream.close()
    if progress is not None:
        progress(Progress("done", rows_read=counter.read, rows_total=counter.total))
    return ExportResult(counter.read, counter.total)
