"""Report data following renamed groups, variables or parameters: the report's JSON data and old → new names in, every reference rewritten in place.

One implementation for the dialogs (which check a candidate report's JSON data before
they commit) and for the undo command (which applies the same rewrite to the model).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from engine.data.sqlite import rename_parameters
from engine.expr import rename_references
from engine.fill.checks import CHART_EXPRESSION_KEYS, ELEMENT_EXPRESSION_KEYS

#: the list a namespace's names come from
NAMESPACES = {"variables": "vars", "parameters": "params"}


def follow_renamed(data: dict[str, Any], namespace: str, renames: Mapping[str, str]) -> None:
    """Rewrite ``namespace.OLD`` as ``namespace.NEW`` in every expression of the report data, and
    ``:OLD`` as ``:NEW`` in an SQL query when the namespace is ``params``."""
    renames = {old: new for old, new in renames.items() if old and new and old != new}
    if not renames:
        return

    def rewrite(holder: dict[str, Any], key: str) -> None:
        text = holder.get(key)
        if isinstance(text, str):
            holder[key] = rename_references(text, namespace, renames)

    _each_expression(data, rewrite)
    source = data.get("data_source")
    if namespace == "params" and isinstance(source, dict) and isinstance(source.get("query"), str):
        source["query"] = rename_parameters(source["query"], renames)


def follow_renamed_groups(data: dict[str, Any], renames: Mapping[str, str]) -> None:
    """Group bands, the variables resetting on a group and ``group:NAME`` scopes of aggregates and
    charts follow renamed groups."""
    renames = {old: new for old, new in renames.items() if old and new and old != new}
    scopes = {f"group:{old}": f"group:{new}" for old, new in renames.items()}
    for band in _dicts(data.get("bands")):
        if band.get("group") in renames:
            band["group"] = renames[band["group"]]
        for element in _dicts(band.get("elements")):
            for holder in (element, element.get("chart")):
                if isinstance(holder, dict) and holder.get("scope") in scopes:
                    holder["scope"] = scopes[holder["scope"]]
    for variable in _dicts(data.get("variables")):
        if variable.get("reset_group") in renames:
            variable["reset_group"] = renames[variable["reset_group"]]


def _each_expression(data: dict[str, Any], rewrite: Callable[[dict[str, Any], str], None]) -> None:
    """Call ``rewrite(holder, key)`` for every place of the report data that holds an expression."""
    rewrite(data, "filter")
    for key in ("groups", "sort", "variables"):
        for item in _dicts(data.get(key)):
            rewrite(item, "expression")
    for band in _dicts(data.get("bands")):
        rewrite(band, "print_when")
        for element in _dicts(band.get("elements")):
            for key in ("print_when", *ELEMENT_EXPRESSION_KEYS):
                rewrite(element, key)
            for conditional in _dicts(element.get("conditional_styles")):
                rewrite(conditional, "when")
            parameters = element.get("parameters")
            if isinstance(parameters, dict):
                for name in list(parameters):
                    rewrite(parameters, name)
            chart = element.get("chart")
            if isinstance(chart, dict):
                for key in CHART_EXPRESSION_KEYS:
                    rewrite(chart, key)


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
