"""A Report (or its path), parameter text or values and the data override in, a Prepared run out."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data import OrderKey
from ..errors import ReportValidationError
from ..fill import CompiledReport, check_expressions, compile_report, plain_field, used_fields
from ..fill.pushdown import PushdownPlan, plan_pushdown
from ..model import Report, SqlSource, load_report, resolve_parameters

#: set to 0 to never push a summary report's grouping down to the database
PUSHDOWN_ENV = "ASHR_PUSHDOWN"


@dataclass(frozen=True)
class Prepared:
    """A report ready to run: parameters typed and checked, expressions compiled, the data plan made.

    `plan` is the summary push-down (the database groups the rows; None: the rows are
    read); `order` the row order as plain fields for the source to apply (None: a group or
    sort expression needs Python); `fields` the fields the report reads. A Prepared holds
    no open connection: each render or export reads the data anew.
    """

    report: Report
    params: Mapping[str, Any]
    compiled: CompiledReport
    base_dir: Path | None = None
    data_url: str | None = None
    plan: PushdownPlan | None = None
    order: tuple[OrderKey, ...] | None = None
    fields: frozenset[str] | None = None

    def check_fields(self, names: set[str] | None) -> None:
        """Raise ReportValidationError naming each field the report reads that the source lacks."""
        if names is None:
            return
        problems = [d for d in check_expressions(self.report, names) if d.is_error]
        if problems:
            raise ReportValidationError(problems)


def prepare_report(
    report: Report | str | os.PathLike[str],
    params: Mapping[str, Any] | None = None,
    *,
    base_dir: str | os.PathLike[str] | None = None,
    data: str | None = None,
    connections: str | os.PathLike[str] | None = None,
) -> Prepared:
    """Validate, convert the parameters, compile the expressions and plan the data, once.

    Args:
        report: a Report, or the path of an `.ashr` file (its folder is then `base_dir`).
        params: parameter values by name, as text (`--param`) or typed; defaults fill the rest.
        base_dir: the report's folder: its relative data and picture paths start there.
        data: a data source URL (or CSV/JSON path) of the user's in place of the report's.
        connections: a connections file to find the report's named connection in, in place
            of the user's default one (`engine.data.named`).

    Raises:
        ReportValidationError: the file, an expression or a format is wrong (every problem).
        ParameterError: a parameter is unknown, missing or does not convert.
        ReportInputError: the named connection is unknown or its password unreadable.
    """
    if not isinstance(report, Report):
        path = Path(report)
        report = load_report(path)
        if base_dir is None:
            base_dir = path.resolve().parent
    values = resolve_parameters(report, dict(params or {}))
    compiled = compile_report(report)
    source = report.data_source
    named = source.connection if isinstance(source, SqlSource) else None
    if data is None and connections is not None and named is not None:
        from ..data.named import connection_url

        data = connection_url(named, connections)
    return Prepared(
        report,
        values,
        compiled,
        Path(base_dir) if base_dir is not None else None,
        data,
        _summary_plan(report, compiled),
        _order(compiled),
        used_fields(report),
    )


def _order(compiled: CompiledReport) -> tuple[OrderKey, ...] | None:
    """The row order as plain fields (groups, then sort keys), or None when an expression needs Python."""
    keys = []
    for expression, descending in compiled.sort_keys:
        name = plain_field(expression)
        if name is None:
            return None
        keys.append(OrderKey(name, descending))
    return tuple(keys)


def _summary_plan(report: Report, compiled: CompiledReport) -> PushdownPlan | None:
    """How the database groups a summary report's rows, or None when the report reads every row.

    None also when ASHR_PUSHDOWN=0, the source is not SQL or a detail band always prints.
    Nothing is queried: the database may still refuse the aggregates (the rows are then read).
    """
    source = report.data_source
    if source is None or os.environ.get(PUSHDOWN_ENV, "1") == "0" or source.kind != "sql":
        return None
    if any(band.type == "detail" and band.print_when is None for band in report.bands):
        return None
    return plan_pushdown(report, compiled)
