"""Report compilation: a Report in, a CompiledReport whose every expression, format and style is ready to run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.errors import ExpressionError, ReportValidationError, error
from engine.expr import CompiledExpression
from engine.model import Report, element_label

from .checks import check_expressions
from .elements import ELEMENT_BUILDERS, BuildContext, CompiledElement, fast_call
from .instances import PAGE_BAND_TYPES
from .styles import StyleResolver

#: scope id of the whole report; group level L has scope id L + 1
REPORT_SCOPE = 0


@dataclass(slots=True)
class CompiledVariable:
    """A declared variable, or the hidden variable of an aggregate element (name ``elem:<b>.<e>``)."""

    name: str
    expression: CompiledExpression
    calculation: str
    reset: str  # report | group | page | none
    level: int | None  # group level when reset is group
    running: bool
    path: str

    @property
    def scope(self) -> int | None:
        """The scope id whose instances reset it; None for page variables."""
        if self.reset == "page":
            return None
        return REPORT_SCOPE if self.level is None else self.level + 1


@dataclass(slots=True)
class CompiledBand:
    """A band ready to print."""

    index: int
    type: str
    group: str | None
    level: int | None
    print_when: CompiledExpression | None
    elements: list[CompiledElement]


@dataclass(slots=True)
class CompiledReport:
    """Everything the fill loop runs, compiled once per report."""

    report: Report
    filter: CompiledExpression | None
    group_exprs: list[CompiledExpression]
    sort_keys: list[tuple[CompiledExpression, bool]]  # (expression, descending), groups first
    variables: list[CompiledVariable]
    bands: list[CompiledBand]
    styles: StyleResolver
    #: page key (page variable name or ``elem:<b>.<e>``) → calculation
    page_keys: dict[str, str] = field(default_factory=dict)

    def bands_of(self, band_type: str, level: int | None = None) -> list[CompiledBand]:
        """The compiled bands of one type (and group level), in file order."""
        return [
            b for b in self.bands if b.type == band_type and (level is None or b.level == level)
        ]

    @property
    def page_bands(self) -> list[CompiledBand]:
        """Page furniture in the order page_header, column_header, column_footer, page_footer, background."""
        return [b for t in PAGE_BAND_TYPES for b in self.bands_of(t)]


def compile_report(report: Report, *, field_names: set[str] | None = None) -> CompiledReport:
    """Compile every expression, format and style of a report once.

    :param field_names: the data source's fields, checked when given.
    :raises ReportValidationError: an expression, field reference or format is wrong; every
        problem is listed, each naming its path (``bands[2].elements[0].expression``).
    """
    problems = [d for d in check_expressions(report, field_names) if d.is_error]
    if problems:
        raise ReportValidationError(problems)
    try:
        return _Compiler(report).build()
    except ExpressionError as exc:  # a check above should have caught it
        raise ReportValidationError([error("expression", exc.message)]) from exc


class _Compiler:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.levels = {g.name: i for i, g in enumerate(report.groups)}
        self.ctx = BuildContext(report.locale, self._add_aggregate)
        self.styles = StyleResolver(report)
        self.variables: list[CompiledVariable] = []
        self.aggregates: list[CompiledVariable] = []

    def build(self) -> CompiledReport:
        report, ctx = self.report, self.ctx
        for i, var in enumerate(report.variables):
            level = self.levels.get(var.reset_group or "") if var.reset == "group" else None
            self.variables.append(
                CompiledVariable(
                    var.name, ctx.compile(var.expression), var.calculation, var.reset, level,
                    var.running, f"variables[{i}]",
                )
            )  # fmt: skip
        bands = [self._band(b, band) for b, band in enumerate(report.bands)]
        variables = self.variables + self.aggregates
        by_name = {v.name: v for v in variables}
        for band in bands:
            for element in band.elements:
                self._classify(element, by_name)
        sort_keys = [(ctx.compile(g.expression), g.descending) for g in report.groups]
        sort_keys += [(ctx.compile(k.expression), k.descending) for k in report.sort]
        return CompiledReport(
            report=report,
            filter=ctx.compile(report.filter) if report.filter is not None else None,
            group_exprs=[ctx.compile(g.expression) for g in report.groups],
            sort_keys=sort_keys,
            variables=variables,
            bands=bands,
            styles=self.styles,
            page_keys={v.name: v.calculation for v in variables if v.reset == "page"},
        )

    def _band(self, b: int, band: Any) -> CompiledBand:
        group = getattr(band, "group", None)
        elements = []
        for e, element in enumerate(band.elements):
            path = f"bands[{b}].elements[{e}]"
            parts = ELEMENT_BUILDERS[element.type](element, path, self.ctx)
            conditions = tuple(
                (self.ctx.compile(c.when), self.styles.conditional_style(element, c))
                for c in element.conditional_styles
            )
            compiled = CompiledElement(
                index=e,
                path=path,
                label=element_label(element),
                type=element.type,
                style=self.styles.element_style(element),
                static=parts.static,
                evaluate=parts.evaluate,
                render=parts.render,
                fast=fast_call(parts.evaluate) if parts.evaluate and not parts.field else None,
                field=parts.field,
                print_when=self.ctx.compile(element.print_when) if element.print_when else None,
                conditions=conditions,
                format=getattr(element, "format", None),
            )
            compiled.total_vars = parts.reads  # narrowed by _classify
            elements.append(compiled)
        return CompiledBand(
            index=b,
            type=band.type,
            group=group,
            level=self.levels.get(group) if group is not None else None,
            print_when=self.ctx.compile(band.print_when) if band.print_when else None,
            elements=elements,
        )

    def _add_aggregate(self, element: Any, path: str) -> str:
        key = "elem:" + path.replace("bands[", "").replace("].elements[", ".").rstrip("]")
        scope = element.scope
        if scope.startswith("group:"):
            reset, level = "group", self.levels.get(scope[6:])
        else:
            reset, level = scope, None
        self.aggregates.append(
            CompiledVariable(
                key, self.ctx.compile(element.expression), element.calculation, reset, level,
                False, path,
            )
        )  # fmt: skip
        return key

    @staticmethod
    def _classify(element: CompiledElement, by_name: dict[str, CompiledVariable]) -> None:
        reads = [by_name[name] for name in element.total_vars if name in by_name]
        element.page_keys = {v.name: v.calculation for v in reads if v.reset == "page"}
        element.page_running = any(v.running for v in reads if v.reset == "page")
        totals = [v for v in reads if v.reset != "page" and not v.running]
        element.total_vars = frozenset(v.name for v in totals)
        element.total_scopes = tuple(sorted({v.scope for v in totals if v.scope is not None}))
        element.simple = not (
            element.print_when
            or element.conditions
            or element.total_vars
            or element.page_keys
            or element.type == "chart"  # prints a ChartRef (engine.fill.charts)
        )
