"""A Prepared run in, its rows out: streamed in print order from the source, or one per group from the database."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..data import RowStream, open_rows
from ..data.aggregate import AggregationUnavailable, open_grouped
from ..data.stream import Columns, FieldInfo, OrderKey
from ..errors import DataSourceError
from ..fill import sort_rows
from ..fill.pushdown import PushdownPlan
from .prepared import PUSHDOWN_ENV, Prepared

log = logging.getLogger(__name__)

__all__ = ["PUSHDOWN_ENV", "ReportRows", "StreamRows", "read_rows"]


@dataclass
class ReportRows:
    """A report's rows in print order (None: no data source), the source's field names and its stream.

    With `pushdown` set the rows are one per innermost group instance, grouped and
    aggregated by the database: fill them with `engine.fill.pushdown.fill_partials`.
    """

    rows: Iterable[Mapping[str, Any]] | None
    fields: set[str] | None
    stream: RowStream | None = None
    pushdown: PushdownPlan | None = None


class StreamRows:
    """The rows of an open RowStream, read once as rows or as column chunks; the stream closes when they end."""

    def __init__(self, stream: RowStream) -> None:
        self.stream = stream

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        with self.stream:
            yield from self.stream

    def column_chunks(self) -> Iterator[Columns]:
        """The rows as Columns (for a fill that works on columns)."""
        with self.stream:
            yield from self.stream.column_chunks()


def read_rows(
    prepared: Prepared,
    *,
    pushdown: bool = True,
    cancel: Any = None,
    used_only: bool = False,
) -> ReportRows:
    """Open the data source and check the report's fields against it; the rows are read as they are iterated.

    Rows are streamed when the source can sort them, else sorted in Python. A summary
    report with a push-down plan gets one row per group from the database when the
    database can aggregate exactly; `pushdown=False` always reads the rows. `cancel` (an
    `engine.render.CancelToken`) interrupts the query while it runs; a query stopped by it
    raises Cancelled. `used_only` reads only the fields the report uses where the source
    can (the rows hold every field otherwise).

    Raises:
        ReportValidationError: the report reads a field the source does not have.
        DataSourceError: the source failed.
    """
    report = prepared.report
    source = report.data_source
    if source is None:
        return ReportRows(None, None)
    if pushdown and prepared.plan is not None:
        grouped = _read_groups(prepared, prepared.plan)
        if grouped is not None:
            return grouped
    keys = prepared.order
    try:
        stream = open_rows(
            source, params=prepared.params, base_dir=prepared.base_dir, url=prepared.data_url,
            order_by=keys or (), on_open=cancel.on_cancel if cancel is not None else None,
            columns=prepared.fields if used_only else None,
        )  # fmt: skip
    except DataSourceError as exc:
        if cancel is not None and cancel.cancelled:
            from ..progress import Cancelled

            raise Cancelled() from exc
        raise
    names = _checked(prepared, stream, stream.fields)
    if not (report.groups or report.sort) or (keys is not None and stream.ordered):
        return ReportRows(StreamRows(stream), names, stream)

    def rows() -> Iterator[Mapping[str, Any]]:
        with stream:
            yield from sort_rows(prepared.compiled, stream, prepared.params)

    return ReportRows(rows(), names, stream)


def _read_groups(prepared: Prepared, plan: PushdownPlan) -> ReportRows | None:
    """One row per innermost group from the database, or None when the report must read every row."""
    report = prepared.report
    assert report.data_source is not None
    try:
        stream = open_grouped(
            report.data_source, params=prepared.params, base_dir=prepared.base_dir,
            url=prepared.data_url, groups=[OrderKey(name, descending) for name, descending in plan.groups],
            aggregates=plan.aggregates, rows_alias=plan.rows_alias,
        )  # fmt: skip
    except AggregationUnavailable as exc:
        log.info("%s: no summary push-down: %s", report.name, exc.message)
        return None
    names = _checked(prepared, stream, stream.source_fields)

    def rows() -> Iterator[Mapping[str, Any]]:
        with stream:
            yield from stream

    return ReportRows(rows(), names, stream, plan)


def _checked(prepared: Prepared, stream: RowStream, fields: Iterable[FieldInfo]) -> set[str]:
    """The source's field names, once the report's fields are checked against them (the stream closed if not)."""
    names = {f.name for f in fields}
    try:
        prepared.check_fields(names)
    except BaseException:
        stream.close()
        raise
    return names
