"""Expression checks: a Report (and optionally its field names) in, Diagnostics naming each bad expression out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.errors import Diagnostic, ExpressionError, error
from engine.expr import ExpressionNames, check_expression
from engine.expr.names import shown_name, suggestion
from engine.model import Report, element_label

from .formatting import make_formatter


def iter_expressions(report: Report) -> Iterator[tuple[str, str, str, Any]]:
    """Every expression of a report as (JSON path, text, role, element or None).

    ``role`` is ``row`` for expressions evaluated before variables exist (filter, groups,
    sort), ``variable`` for variable expressions and ``band`` for everything printed.
    """
    if report.filter is not None:
        yield "filter", report.filter, "row", None
    for i, group in enumerate(report.groups):
        yield f"groups[{i}].expression", group.expression, "row", None
    for i, sort_key in enumerate(report.sort):
        yield f"sort[{i}].expression", sort_key.expression, "row", None
    for i, var in enumerate(report.variables):
        yield f"variables[{i}].expression", var.expression, "variable", None
    for b, band in enumerate(report.bands):
        if band.print_when is not None:
            yield f"bands[{b}].print_when", band.print_when, "band", None
        for e, element in enumerate(band.elements):
            for key, text in element_expressions(element):
                yield f"bands[{b}].elements[{e}].{key}", text, "band", element


#: keys of an element (besides print_when, conditional_styles[].when and parameters) that hold expressions
ELEMENT_EXPRESSION_KEYS = ("expression", "value")
#: keys of an element's chart that hold expressions
CHART_EXPRESSION_KEYS = ("category", "value", "series")


def element_expressions(element: Any) -> Iterator[tuple[str, str]]:
    """(key path inside the element, expression text) of every expression an element holds."""
    if element.print_when is not None:
        yield "print_when", element.print_when
    for k, conditional in enumerate(element.conditional_styles):
        yield f"conditional_styles[{k}].when", conditional.when
    for key in ELEMENT_EXPRESSION_KEYS:
        text = getattr(element, key, None)
        if isinstance(text, str):
            yield key, text
    for name, text in (getattr(element, "parameters", None) or {}).items():
        yield f"parameters.{name}", text
    chart = getattr(element, "chart", None)
    if chart is not None:
        for key in CHART_EXPRESSION_KEYS:
            if getattr(chart, key) is not None:
                yield f"chart.{key}", getattr(chart, key)


def element_field(element: Any) -> tuple[str | None, str]:
    """(data field an element reads by name, its key): a field element's ``field`` or an image's ``source.field``."""
    source = getattr(element, "source", None)
    if source is not None:
        return getattr(source, "field", None), "source.field"
    return getattr(element, "field", None), "field"


def used_fields(report: Report) -> frozenset[str] | None:
    """The data fields a report reads anywhere (expressions, field and image elements); None when an expression does not parse."""
    from engine.expr.parse import analyse_expression

    found: set[str] = set()
    try:
        for _, text, _, _ in iter_expressions(report):
            found.update(analyse_expression(text)[1].fields)
    except ExpressionError:
        return None
    for band in report.bands:
        for element in band.elements:
            field, _ = element_field(element)
            if isinstance(field, str):
                found.add(field)
    return frozenset(found)


def check_expressions(report: Report, field_names: set[str] | None = None) -> list[Diagnostic]:
    """Every problem with the expressions, field references and formats of a report.

    :param field_names: the data source's fields; None when unknown (field names are then
        not checked).
    :returns: error diagnostics whose path names the element key, e.g.
        ``bands[2].elements[0].expression: unknown function 'sume'``.
    """
    fields = frozenset(field_names) if field_names is not None else None
    params = frozenset(p.name for p in report.parameters)
    variables = frozenset(v.name for v in report.variables)
    page_vars = frozenset(v.name for v in report.variables if v.reset == "page")
    names = ExpressionNames(fields=fields, params=params, vars=variables)
    found: list[Diagnostic] = []
    for path, text, role, element in iter_expressions(report):
        label = element_label(element) if element is not None else ""
        problems = check_expression(text, names)
        found.extend(error("expression", message, path, label) for message in problems)
        if problems:
            continue
        used = _used_vars(text)
        if role == "row" and used:
            found.append(
                error(
                    "expression",
                    "cannot read variables here: it is evaluated before variables",
                    path,
                    label,
                )
            )
        if role == "variable" and used & page_vars:
            bad = ", ".join(sorted(used & page_vars))
            found.append(
                error(
                    "expression",
                    f"cannot read page variables ({bad}): pages are known only after layout",
                    path,
                )
            )
    found.extend(_element_problems(report, fields))
    return found


def _used_vars(text: str) -> frozenset[str]:
    from engine.expr.parse import analyse_expression

    return frozenset(analyse_expression(text)[1].vars)


def _element_problems(report: Report, fields: frozenset[str] | None) -> Iterator[Diagnostic]:
    for b, band in enumerate(report.bands):
        for e, element in enumerate(band.elements):
            path = f"bands[{b}].elements[{e}]"
            label = element_label(element)
            field, key = element_field(element)
            if fields is not None and isinstance(field, str) and field not in fields:
                hint = suggestion(field, fields) or (
                    f"; fields: {', '.join(shown_name(f) for f in sorted(fields))}"
                )
                yield error(
                    "unknown-field",
                    f"unknown field '{shown_name(field)}'{hint}",
                    f"{path}.{key}",
                    label,
                )
            fmt = getattr(element, "format", None)
            if fmt is not None:
                try:
                    make_formatter(fmt, report.locale)
                except ExpressionError as exc:
                    yield error("format", exc.message, f"{path}.format", label)
