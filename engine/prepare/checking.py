"""A report file, bytes or Report in, every problem it has out (as diagnostics), without reading its data unless asked."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Diagnostic
from ..fill import check_expressions
from ..model import Report, SqlSource, read_report


def validate(
    report: Report | str | os.PathLike[str] | bytes,
    *,
    connect: bool = False,
    data: str | None = None,
) -> list[Diagnostic]:
    """Every diagnostic of a report: the file, the schema, expressions, formats, field names.

    Field names are checked against the source's declared `fields`; with `connect` against
    the columns the SQL query returns, asked of its database read-only (the query is
    prepared, no row is read; parameters are NULL; `data` replaces the report's URL).
    Never raises for a bad report: its problems are the result.

    Raises:
        ReportError: with `connect`, the database could not be reached or refused the query.
    """
    if isinstance(report, Report):
        diagnostics: list[Diagnostic] = []
        base_dir = None
    else:
        result = read_report(report)
        diagnostics = result.diagnostics
        if result.report is None:
            return diagnostics
        base_dir = None if isinstance(report, bytes) else Path(report).resolve().parent
        report = result.report
    source = report.data_source
    declared = {f.name for f in source.fields} if source is not None and source.fields else None
    if connect and isinstance(source, SqlSource):
        from ..data import query_columns

        params = dict.fromkeys(p.name for p in report.parameters)
        declared = set(query_columns(source, params=params, base_dir=base_dir, url=data))
    return diagnostics + check_expressions(report, declared)
