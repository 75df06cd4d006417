"""Pydantic validation errors → Diagnostics with a JSON path and a message that says the fix."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Diagnostic, error


def format_path(parts: list[str | int]) -> str:
    """`['bands', 3, 'elements', 0, 'width']` → `bands[3].elements[0].width`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _json_path(loc: tuple[str | int, ...], data: Any) -> tuple[list[str | int], Any]:
    """Map a pydantic location onto the raw data, dropping union tags (`label`, `sql`, ...).

    Pydantic puts the tag of a discriminated union right after the position of the
    object; it is skipped when it equals the object's `type` or `kind`.
    """
    parts: list[str | int] = []
    node = data
    fresh = True
    for item in loc:
        if fresh and isinstance(node, dict) and isinstance(item, str):
            tag = node.get("type", node.get("kind"))
            if item == tag:
                fresh = False
                continue
        fresh = True
        node = _step(node, item)
        if isinstance(item, str) and item.startswith("function-"):
            continue
        parts.append(item)
    return parts, node


def _step(node: Any, key: str | int) -> Any:
    """`node[key]` when it exists, else None."""
    if isinstance(node, dict) and isinstance(key, str):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def _element_label(data: Any, parts: list[str | int]) -> str:
    """The element (or band) a path points into, as `label 'title'` or `detail band`."""
    node = data
    label = ""
    for part in parts:
        node = _step(node, part)
        if node is None:
            break
        if isinstance(node, dict) and "type" in node and isinstance(node.get("type"), str):
            name = node.get("name")
            label = f"{node['type']} '{name}'" if isinstance(name, str) else str(node["type"])
    return label


_TYPE_WORDS = {
    "string_type": "must be text in quotes",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "dict_type": "must be an object { ... }",
    "model_type": "must be an object { ... }",
    "model_attributes_type": "must be an object { ... }",
    "list_type": "must be an array [ ... ]",
    "tuple_type": "must be an array [ ... ]",
    "finite_number": "must be a finite number",
    "int_from_float": "must be a whole number",
}


def _message(err: Any, model: type[BaseModel] | None) -> tuple[str, str]:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "missing", "is required"
    if kind == "extra_forbidden":
        key = err["loc"][-1]
        hint = ""
        if model is not None:
            close = difflib.get_close_matches(str(key), list(model.model_fields), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
        return "unknown-key", f"unknown key{hint} (custom keys must start with x_)"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {
            "greater_than": ">",
            "greater_than_equal": ">=",
            "less_than": "<",
            "less_than_equal": "<=",
        }[kind]
        bound = next(iter(ctx.values()))
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return "range", f"must be {op} {bound}"
    if kind == "literal_error":
        return "enum", f"must be one of {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        return (
            "enum",
            f"unknown {str(ctx.get('discriminator', 'type')).strip(chr(39))} {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}",
        )
    if kind == "union_tag_not_found":
        return (
            "missing",
            f"needs the key {ctx.get('discriminator')} to say what kind of object it is",
        )
    if kind == "string_pattern_mismatch":
        return "format", f"does not match the pattern {ctx.get('pattern')}"
    if kind == "string_too_short":
        return "range", "must not be empty" if ctx.get(
            "min_length"
        ) == 1 else f"must have at least {ctx.get('min_length')} characters"
    if kind == "string_too_long":
        return "range", f"must have at most {ctx.get('max_length')} characters"
    if kind in _TYPE_WORDS:
        return "type", _TYPE_WORDS[kind]
    if kind == "value_error":
        return "value", str(ctx.get("error", err["msg"]))
    return kind, err["msg"]


def _model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of a location, following union tags."""
    from .bands import BAND_TYPES
    from .data import CsvSource, JsonSource, ParquetSource, SqlSource
    from .elements import ELEMENT_TYPES

    tagged: dict[str, type[BaseModel]] = {
        **BAND_TYPES,
        **ELEMENT_TYPES,
        "sql": SqlSource,
        "csv": CsvSource,
        "json": JsonSource,
        "parquet": ParquetSource,
    }
    current: Any = root
    for item in loc[:-1]:
        if isinstance(item, int) or current is None:
            continue
        if item in tagged and (current is None or item not in getattr(current, "model_fields", {})):
            current = tagged[item]
            continue
        field = getattr(current, "model_fields", {}).get(item)
        current = _inner_model(field.annotation) if field else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    stack = [annotation]
    while stack:
        t = stack.pop()
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
        stack.extend(typing.get_args(t))
    return None


def diagnostics_from(exc: ValidationError, data: Any, root: type[BaseModel]) -> list[Diagnostic]:
    """Every pydantic error as a Diagnostic naming the JSON path and the element."""
    found: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        parts, _ = _json_path(loc, data)
        code, message = _message(err, _model_at(root, loc))
        path = format_path(parts)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        found.append(error(code, message, path, _element_label(data, parts)))
    return found
