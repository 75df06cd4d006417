"""A loaded Report → Diagnostics about its meaning: names, group and style references, bands, parameter values."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..errors import Diagnostic, error, warning
from .bands import GROUP_BANDS, SINGLE_BANDS
from .elements import LineElement
from .report import Report
from .values import convert_value

Checker = Callable[[Report], Iterator[Diagnostic]]

#: semantic checks run on every valid-shaped report, in registration order
CHECKERS: list[Checker] = []


def checker(fn: Checker) -> Checker:
    """Register a semantic check; later packages (e.g. expressions) add their own."""
    CHECKERS.append(fn)
    return fn


def validate_report(report: Report) -> list[Diagnostic]:
    """Every semantic problem of a report, errors and warnings, in a stable order."""
    found: list[Diagnostic] = []
    for check in CHECKERS:
        found.extend(check(report))
    return found


def element_label(element: Any) -> str:
    """How a diagnostic names an element: `field 'total'` or just `field`."""
    return f"{element.type} '{element.name}'" if element.name else element.type


def _duplicates(items: Any, path: str, kind: str) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.name in seen:
            yield error(
                "duplicate-name",
                f"the {kind} name '{item.name}' is already used at {path}[{seen[item.name]}]; names must be unique",
                f"{path}[{i}].name",
            )
        else:
            seen[item.name] = i


@checker
def _unique_names(report: Report) -> Iterator[Diagnostic]:
    yield from _duplicates(report.parameters, "parameters", "parameter")
    yield from _duplicates(report.groups, "groups", "group")
    yield from _duplicates(report.variables, "variables", "variable")
    yield from _duplicates(report.styles, "styles", "style")
    seen: dict[str, str] = {}
    for b, band in enumerate(report.bands):
        for e, element in enumerate(band.elements):
            if element.name is None:
                continue
            path = f"bands[{b}].elements[{e}]"
            if element.name in seen:
                yield error(
                    "duplicate-name",
                    f"the element name '{element.name}' is already used at {seen[element.name]}; names must be unique",
                    f"{path}.name",
                    element_label(element),
                )
            else:
                seen[element.name] = path


@checker
def _band_references(report: Report) -> Iterator[Diagnostic]:
    groups = [g.name for g in report.groups]
    counts: dict[str, int] = {}
    for b, band in enumerate(report.bands):
        if band.type in GROUP_BANDS and band.group not in groups:  # type: ignore[union-attr]
            known = ", ".join(f"'{g}'" for g in groups) or "none are defined"
            yield error(
                "unknown-group",
                f"names the group '{band.group}', which does not exist (groups: {known})",  # type: ignore[union-attr]
                f"bands[{b}].group",
            )
        if band.type in SINGLE_BANDS:
            counts[band.type] = counts.get(band.type, 0) + 1
            if counts[band.type] == 2:
                yield error(
                    "duplicate-band",
                    f"a report has at most one '{band.type}' band; merge their elements into one",
                    f"bands[{b}].type",
                )


@checker
def _variable_resets(report: Report) -> Iterator[Diagnostic]:
    groups = {g.name for g in report.groups}
    for i, var in enumerate(report.variables):
        path = f"variables[{i}]"
        if var.reset == "group":
            if var.reset_group is None:
                yield error(
                    "missing",
                    "is required when reset is 'group': name the group",
                    f"{path}.reset_group",
                )
            elif var.reset_group not in groups:
                yield error(
                    "unknown-group",
                    f"names the group '{var.reset_group}', which does not exist",
                    f"{path}.reset_group",
                )
        elif var.reset_group is not None:
            yield error(
                "unexpected-key",
                f"is only used when reset is 'group' (reset is '{var.reset}'); remove it or set reset to 'group'",
                f"{path}.reset_group",
            )


def _scopes(report: Report) -> Iterator[tuple[str, str, Any]]:
    for b, band in enumerate(report.bands):
        for e, element in enumerate(band.elements):
            path = f"bands[{b}].elements[{e}]"
            if element.type == "aggregate":
                yield f"{path}.scope", element.scope, element
            if element.type == "chart":
                yield f"{path}.chart.scope", element.chart.scope, element


@checker
def _scope_groups(report: Report) -> Iterator[Diagnostic]:
    groups = {g.name for g in report.groups}
    for path, scope, element in _scopes(report):
        if scope.startswith("group:") and scope[6:] not in groups:
            yield error(
                "unknown-group",
                f"names the group '{scope[6:]}', which does not exist",
                path,
                element_label(element),
            )


@checker
def _parameter_values(report: Report) -> Iterator[Diagnostic]:
    for i, param in enumerate(report.parameters):
        path = f"parameters[{i}]"
        default = param.default
        try:
            default = convert_value(param.type, param.default)
        except ValueError as exc:
            yield error("parameter-value", f"{exc}", f"{path}.default")
            default = None
        choices = []
        for c, choice in enumerate(param.choices or ()):
            try:
                choices.append(convert_value(param.type, choice))
            except ValueError as exc:
                yield error("parameter-value", f"{exc}", f"{path}.choices[{c}]")
        if param.choices is not None and default is not None and default not in choices:
            yield error(
                "parameter-value", "the default is not one of the choices", f"{path}.default"
            )


@checker
def _style_references(report: Report) -> Iterator[Diagnostic]:
    styles = {s.name for s in report.styles}
    for b, band in enumerate(report.bands):
        for e, element in enumerate(band.elements):
            if element.style is not None and element.style not in styles:
                known = ", ".join(sorted(f"'{s}'" for s in styles)) or "none are defined"
                yield error(
                    "unknown-style",
                    f"names the style '{element.style}', which does not exist (styles: {known})",
                    f"bands[{b}].elements[{e}].style",
                    element_label(element),
                )


def _extent(element: Any) -> tuple[float, float, float, float]:
    if isinstance(element, LineElement):
        return (
            min(element.x, element.x2),
            min(element.y, element.y2),
            max(element.x, element.x2),
            max(element.y, element.y2),
        )
    return element.x, element.y, element.x + element.width, element.y + element.height


@checker
def _element_bounds(report: Report) -> Iterator[Diagnostic]:
    band_width = report.page.content_width
    for b, band in enumerate(report.bands):
        for e, element in enumerate(band.elements):
            left, top, right, bottom = _extent(element)
            eps = 0.01
            if left < -eps or top < -eps or right > band_width + eps or bottom > band.height + eps:
                yield warning(
                    "outside-band",
                    f"lies outside its band ({band_width:g} × {band.height:g} pt); move or resize it, or make the band taller",
                    f"bands[{b}].elements[{e}]",
                    element_label(element),
                )


@checker
def _locale(report: Report) -> Iterator[Diagnostic]:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(report.locale)
    except (UnknownLocaleError, ValueError, TypeError):
        yield error(
            "unknown-locale",
            f"'{report.locale}' is not a known CLDR locale; use e.g. en_US or de_DE",
            "locale",
        )


#: element types drawn as a labelled placeholder until their rendering lands
PLACEHOLDER_TYPES: frozenset[str] = frozenset({"barcode", "subreport"})


@checker
def _placeholders(report: Report) -> Iterator[Diagnostic]:
    for b, band in enumerate(report.bands):
        for e, element in enumerate(band.elements):
            if element.type in PLACEHOLDER_TYPES:
                yield warning(
                    "not-rendered-yet",
                    f"{element.type} elements are not rendered yet; a labelled placeholder box is drawn",
                    f"bands[{b}].elements[{e}]",
                    element_label(element),
                )
