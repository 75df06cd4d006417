"""Summary push-down: a summary-only report → the plan of a database GROUP BY, and its per-group rows → band instances.

A report that prints no detail band only needs, per innermost group instance, its group
fields and the partial aggregates of its variables. ``plan_pushdown`` decides whether the
report's every printed value can come from those (see ``pushdown_refusal`` for the
rules) and lists what the database computes; ``fill_partials`` then fills the report from
one row per innermost group instance, merging partials into the variables, and yields
exactly the band instances ``fill_report`` yields from the rows themselves (row numbers
included: each group row carries its row count).

What cannot be told from per-group rows, and so refuses the plan: detail bands, a
filter, group expressions other than plain fields, calculations without an SQL partial
(``engine.calc``: sum, count, min, max and average have one), page variables,
expressions of anything but plain fields in variables, fields other than the group
fields in printed expressions, row numbers, and values read in the title and group
headers before the end of a group instance (their conditions and running variables:
they would see the first row only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from engine.calc import CALCULATIONS
from engine.errors import EvaluationError
from engine.expr import CompiledExpression, Env, compile_expression
from engine.model import Report

from .charts import ChartFeeds
from .compiled import CompiledReport, compile_report
from .elements import plain_field
from .filler import ReportFiller
from .instances import BandInstance

logger = logging.getLogger(__name__)

#: bands printed before their group instance (or the report) has seen all its rows
_EARLY_BANDS = frozenset({"title", "group_header"})


@dataclass(frozen=True)
class Partial:
    """One column the database computes per innermost group: ``function(field) AS alias``."""

    alias: str
    function: str
    field: str


@dataclass(frozen=True)
class PushdownPlan:
    """What the database computes for a summary report, and how the variables merge it.

    ``groups`` are (field, descending), outermost first; ``partials`` the aggregate columns;
    ``rows_alias`` the column of each group's row count; ``merges`` maps each variable
    (aggregate elements included) to the aliases of its partial.
    """

    groups: tuple[tuple[str, bool], ...]
    partials: tuple[Partial, ...]
    rows_alias: str
    merges: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def aggregates(self) -> list[tuple[str, str, str]]:
        """(alias, function, field) of every partial, for ``engine.data.aggregate.open_grouped``."""
        return [(p.alias, p.function, p.field) for p in self.partials]


def plan_pushdown(report: Report, compiled: CompiledReport | None = None) -> PushdownPlan | None:
    """The push-down plan of a report, or None (the reason logged at INFO) when it must read every row."""
    compiled = compiled if compiled is not None else compile_report(report)
    reason = pushdown_refusal(report, compiled)
    if reason is not None:
        logger.info("%s: no summary push-down: %s", report.name, reason)
        return None
    groups = tuple(
        (str(plain_field(expr)), group.descending)  # plain fields: checked above
        for expr, group in zip(compiled.group_exprs, report.groups, strict=True)
    )
    taken = {name for name, _ in groups}
    prefix = "_p"
    while any(name.startswith(prefix) for name in taken):
        prefix = "_" + prefix
    aliases: dict[tuple[str, str], str] = {}
    merges = []
    for var in compiled.variables:
        field = plain_field(var.expression)
        assert field is not None
        names = []
        for function in CALCULATIONS[var.calculation].sql:
            key = (function, field)
            if key not in aliases:
                aliases[key] = f"{prefix}{len(aliases)}"
            names.append(aliases[key])
        merges.append((var.name, tuple(names)))
    partials = tuple(
        Partial(alias, function, field) for (function, field), alias in aliases.items()
    )
    return PushdownPlan(groups, partials, f"{prefix}rows", tuple(merges))


def pushdown_refusal(report: Report, compiled: CompiledReport) -> str | None:
    """Why the report cannot be filled from per-group rows, or None when it can."""
    source = report.data_source
    if source is None or source.kind != "sql":
        return "the data source is not SQL"
    if report.filter is not None:
        return "the report has a filter"
    for band in compiled.bands_of("detail"):
        if not _never(band.print_when):
            return f"bands[{band.index}] is a detail band that prints"
    group_fields = set()
    for i, expr in enumerate(compiled.group_exprs):
        name = plain_field(expr)
        if name is None:
            return f"groups[{i}].expression '{expr.text}' is not a plain field"
        group_fields.add(name)
    running = set()
    for var in compiled.variables:
        if not CALCULATIONS[var.calculation].sql:
            return f"{var.path} ({var.name}) is a {var.calculation}"
        if var.reset == "page":
            return f"{var.path} ({var.name}) resets per page"
        if plain_field(var.expression) is None:
            return f"{var.path}.expression '{var.expression.text}' is not a plain field"
        if var.running:
            running.add(var.name)
    for b, model_band in enumerate(report.bands):
        if model_band.type in ("detail", "no_data"):  # no_data prints only without rows
            continue
        early = model_band.type in _EARLY_BANDS
        reason = _band_refusal(model_band, f"bands[{b}]", group_fields, running, early)
        if reason is not None:
            return reason
    return None


def _never(print_when: CompiledExpression | None) -> bool:
    """True for a print_when that is constantly false."""
    if print_when is None or not print_when.is_constant:
        return False
    try:
        return not print_when(Env())
    except EvaluationError:
        return False


def _band_refusal(
    band: Any, path: str, group_fields: set[str], running: set[str], early: bool
) -> str | None:
    """Why a band's printed values need more than group fields and final variable values."""
    checks: list[tuple[str, str, bool]] = []  # (path, expression, is a condition)
    if band.print_when:
        checks.append((f"{path}.print_when", band.print_when, True))
    for e, element in enumerate(band.elements):
        where = f"{path}.elements[{e}]"
        if element.print_when:
            checks.append((f"{where}.print_when", element.print_when, True))
        for c, conditional in enumerate(element.conditional_styles):
            checks.append((f"{where}.conditional_styles[{c}].when", conditional.when, True))
        if element.type == "chart" and (reason := _chart_refusal(element.chart, where)):
            return reason
        reads = ELEMENT_READS.get(element.type)
        if reads is None:
            return f"{where} is a {element.type} element"
        for key, text in reads(element):
            if key == "field":
                if text not in group_fields:
                    return f"{where}.field '{text}' is not a group field"
            else:
                checks.append((f"{where}.{key}", text, False))
    for where, text, condition in checks:
        expr = compile_expression(text)
        others = sorted(expr.fields - group_fields)
        if others:
            return f"{where} reads '{others[0]}', not a group field"
        if expr.uses_row_number:
            return f"{where} reads a row number"
        if early and expr.vars and (condition or expr.vars & running):
            # printed at the first row of its scope: it would see the running value then
            return f"{where} reads a variable's value before its scope ends"
    return None


def _chart_refusal(chart: Any, where: str) -> str | None:
    """Why a chart cannot get its data from its own database GROUP BY (the rows are not read)."""
    for key in ("category", "value", "series"):
        text = getattr(chart, key)
        if text is not None and plain_field(compile_expression(text)) is None:
            return f"{where}.chart.{key} '{text}' is not a plain field"
    return None


ElementReads = Callable[[Any], list[tuple[str, str]]]

#: element type → (key, expression) pairs it prints; key "field" for a plain field name
ELEMENT_READS: dict[str, ElementReads] = {
    "label": lambda e: [],
    "page_number": lambda e: [],
    "line": lambda e: [],
    "box": lambda e: [],
    "chart": lambda e: [],  # charts read their own data: see _chart_refusal
    "aggregate": lambda e: [],  # a hidden variable, checked with the variables
    "field": lambda e: [("field", e.field)],
    "expression": lambda e: [("expression", e.expression)],
    "barcode": lambda e: [("value", e.value)],
    "image": lambda e: [("field", e.source.field)] if e.source.field is not None else [],
    "subreport": lambda e: [(f"parameters.{n}", t) for n, t in e.parameters.items()],
}


def fill_partials(
    report: Report | CompiledReport,
    rows: Iterable[Mapping[str, Any]],
    plan: PushdownPlan,
    *,
    params: Mapping[str, Any] | None = None,
    charts: ChartFeeds | None = None,
) -> Iterator[BandInstance]:
    """The band instances of a summary report over one row per innermost group instance.

    :param rows: rows holding the plan's group fields, partials and row count, ordered by
        the groups (``engine.data.aggregate.open_grouped`` gives them). Consecutive rows
        with equal group values count as one group instance.
    :param plan: the report's ``plan_pushdown``.
    :param params: parameter values by name, already converted to their types.
    :param charts: chart feeds as for ``fill_report``; they must not stream (``streams``
        False: the rows here are per group, not the source's).
    :raises EvaluationError: a partial does not merge, or an expression failed.
    """
    compiled = report if isinstance(report, CompiledReport) else compile_report(report)
    return PartialsFiller(compiled, params or {}, plan, charts).run(rows)


class PartialsFiller(ReportFiller):
    """The fill loop over per-group rows: group breaks as usual, variables merge partials."""

    def __init__(
        self,
        compiled: CompiledReport,
        params: Mapping[str, Any],
        plan: PushdownPlan,
        charts: ChartFeeds | None = None,
    ) -> None:
        super().__init__(compiled, params, charts)
        if self.charts.adders:
            raise ValueError("a summary push-down cannot feed rows to streaming charts")
        self.plan = plan
        by_name = {var.name: var for var in compiled.variables}
        self.merges: list[tuple[Any, Any, Any]] = []
        for name, aliases in plan.merges:
            accumulator = self.accumulators[name]
            assert accumulator is not None  # page variables are refused
            self.merges.append((itemgetter(*aliases), accumulator.merge, by_name[name]))

    def run(self, rows: Iterable[Mapping[str, Any]] | None) -> Iterator[BandInstance]:
        """The band instances of the report over per-group rows."""
        env = self.env
        levels = len(self.plan.groups)
        names = [name for name, _ in self.plan.groups]
        key_of = itemgetter(*names, names[0]) if names else (lambda row: ())
        count_of = itemgetter(self.plan.rows_alias)
        merges = self.merges
        prev_keys: Any = None
        prev_row: Mapping[str, Any] | None = None
        started = False
        row_number = 0
        for row in rows if rows is not None else ():
            env.row = row
            if not started:
                started = True
                yield from self._opening()
                env.row = row
            keys = key_of(row)
            opened = None
            if keys != prev_keys:
                opened = yield from self._break_groups(keys, prev_keys, prev_row, row)
                prev_keys = keys
            first = row_number + 1
            count = count_of(row)
            row_number += count
            for get, merge, var in merges:
                try:
                    merge(get(row))
                except (TypeError, ArithmeticError, ValueError) as exc:
                    raise EvaluationError(f"{var.path}.expression ({var.name}): {exc}") from exc
            if opened is not None:
                env.row_number = first
                for level in range(opened, levels):
                    for band in self.headers[level]:
                        instance = self._print(band, first)
                        if instance is not None:
                            yield instance
            env.row_number = row_number
            env.group_row_number += count
            prev_row = row
        if not started:
            yield from self._empty(rows is not None)
            return
        env.row = prev_row  # type: ignore[assignment]
        yield from self._close_groups(0)
        yield from self._closing()
