"""Run-time parameter values (text from the CLI, values from the designer) → typed values for every declared parameter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ParameterError
from .report import Report
from .values import convert_value, shown

#: the most choices a refusal lists (a choices list may be long)
_LISTED_CHOICES = 20


def parse_param_args(args: list[str]) -> dict[str, str]:
    """`["start=2024-01-01", ...]` → `{"start": "2024-01-01"}`; raises ParameterError for a missing `=`."""
    given: dict[str, str] = {}
    for arg in args:
        name, sep, value = arg.partition("=")
        if not sep or not name.strip():
            raise ParameterError(
                f"--param {arg!r}: write it as NAME=VALUE, e.g. --param start=2024-01-01"
            )
        given[name.strip()] = value
    return given


def resolve_parameters(report: Report, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Typed values of every parameter: given values converted, defaults otherwise.

    Raises:
        ParameterError: an unknown name, a value that does not convert, a value not among
            `choices`, or a required parameter with no value and no default; every problem
            is listed in the message, one per line.
    """
    given = dict(given or {})
    declared = {p.name: p for p in report.parameters}
    problems: list[str] = []
    for name in given:
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none are declared"
            problems.append(f"unknown parameter '{name}' (parameters: {known})")
    values: dict[str, Any] = {}
    for name, param in declared.items():
        raw = given.get(name, param.default)
        try:
            value = convert_value(param.type, raw)
        except ValueError as exc:
            problems.append(f"parameter '{name}': {exc}")
            continue
        if value is None and param.required:
            problems.append(f"parameter '{name}' is required: give it with --param {name}=VALUE")
            continue
        if param.choices is not None and value is not None:
            choices = [convert_value(param.type, c) for c in param.choices]
            if value not in choices:
                listed = ", ".join(shown(c) for c in param.choices[:_LISTED_CHOICES])
                if len(param.choices) > _LISTED_CHOICES:
                    listed += f", … ({len(param.choices)} choices)"
                problems.append(
                    f"parameter '{name}': {shown(raw)} is not one of the choices ({listed})"
                )
                continue
        values[name] = value
    if problems:
        raise ParameterError(problems[0], problems=problems)
    return values
