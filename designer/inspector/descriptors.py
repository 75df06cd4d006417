"""Property descriptors: a report, band or element model in, the editable fields (path, label, kind, choices) out."""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Union

import annotated_types

from engine.model import AshrModel, ConditionalStyle, Format, ImageSource
from engine.model.base import Color, Expression
from engine.model.elements import Scope

#: fields never shown as a property: set by structure, or edited by other tools later
_SKIPPED = frozenset({"_extensions", "type", "elements", "version"})

#: value kinds the editors are registered by
KINDS = (
    "text", "number", "int", "bool", "enum", "colour", "expression", "format",
    "length", "font", "style", "presence", "image_source", "conditional_styles",
    "parameters", "scope", "path",
)  # fmt: skip

#: number fields that are lengths in points, shown in the user's unit (a font size stays in pt)
LENGTH_FIELDS = frozenset(
    {"x", "y", "x2", "y2", "width", "height", "padding", "radius", "column_gap"}
    | {"top", "right", "bottom", "left"}
)
#: text fields with an editor of their own: a font family, a named style
NAMED_TEXT_KINDS = {"font": "font", "style": "style", "report": "path"}
#: nested models edited as one value by an editor of their own instead of field by field
WHOLE_MODEL_KINDS: dict[type[AshrModel], str] = {ImageSource: "image_source"}


@dataclass(frozen=True)
class PropertyDescriptor:
    """One editable field: its dotted path in the model, label, value kind and limits."""

    path: str
    label: str
    kind: str
    optional: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    #: the nested model a "presence" switch creates (with its defaults) when turned on
    model: type[AshrModel] | None = None

    def accepts(self, value: float) -> bool:
        """Whether a number lies within the limits."""
        if self.minimum is not None and (
            value <= self.minimum if self.exclusive_minimum else value < self.minimum
        ):
            return False
        return self.maximum is None or value <= self.maximum


def _label(path: str) -> str:
    return " ".join(part.replace("_", " ") for part in path.split(".")).capitalize()


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) < len(typing.get_args(annotation))
    return annotation, False


def _limits(metadata: tuple[Any, ...]) -> dict[str, Any]:
    limits: dict[str, Any] = {}
    for item in metadata:
        inner = getattr(item, "metadata", None)  # a pydantic FieldInfo carries its own constraints
        for m in [item, *(inner or [])]:
            if isinstance(m, annotated_types.Gt):
                limits.update(minimum=float(m.gt), exclusive_minimum=True)
            elif isinstance(m, annotated_types.Ge):
                limits.update(minimum=float(m.ge), exclusive_minimum=False)
            elif isinstance(m, annotated_types.Le):
                limits["maximum"] = float(m.le)
    return limits


def _describe(path: str, annotation: Any) -> PropertyDescriptor | type[AshrModel] | None:
    """The descriptor of one field, the model class to expand, or None when not editable here."""
    inner, optional = _unwrap_optional(annotation)
    if inner == Expression:
        return PropertyDescriptor(path, _label(path), "expression", optional)
    if inner == Color:
        return PropertyDescriptor(path, _label(path), "colour", optional)
    if inner == Format:
        return PropertyDescriptor(path, _label(path), "format", optional)
    if inner == Scope:
        return PropertyDescriptor(path, _label(path), "scope", optional)
    if inner in WHOLE_MODEL_KINDS:
        return PropertyDescriptor(path, _label(path), WHOLE_MODEL_KINDS[inner], optional)
    if typing.get_origin(inner) is tuple and typing.get_args(inner)[:1] == (ConditionalStyle,):
        return PropertyDescriptor(path, _label(path), "conditional_styles", optional)
    if typing.get_origin(inner) is dict:
        return PropertyDescriptor(path, _label(path), "parameters", optional)
    base, metadata = inner, ()
    if typing.get_origin(inner) is typing.Annotated:
        base, metadata = inner.__origin__, inner.__metadata__
    if typing.get_origin(base) is Literal:
        if len(typing.get_args(base)) == 1:
            return None  # a fixed marker such as the report's "format": "ashr"
        return PropertyDescriptor(
            path, _label(path), "enum", optional, tuple(str(c) for c in typing.get_args(base))
        )
    if isinstance(base, type) and issubclass(base, AshrModel):
        return base
    kind = {bool: "bool", int: "int", float: "number", str: "text"}.get(base)
    if kind is None:
        return None
    name = path.rsplit(".", 1)[-1]
    if kind == "number" and name in LENGTH_FIELDS:
        kind = "length"
    elif kind == "text":
        kind = NAMED_TEXT_KINDS.get(name, kind)
    limits = _limits(metadata) if kind in ("int", "number", "length") else {}
    return PropertyDescriptor(path, _label(path), kind, optional, **limits)


@functools.cache
def _fields(cls: type[AshrModel]) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls, include_extras=True)
    return tuple((name, hint) for name, hint in hints.items() if name not in _SKIPPED)


def descriptors_for(model: AshrModel, prefix: str = "") -> list[PropertyDescriptor]:
    """The editable fields of a model, nested models (page, margins, stroke) expanded when present.

    An optional nested model (a box's ``stroke``) also gets a "presence" switch at its own path.
    """
    found: list[PropertyDescriptor] = []
    for name, annotation in _fields(type(model)):
        path = f"{prefix}{name}"
        described = _describe(path, annotation)
        if isinstance(described, PropertyDescriptor):
            found.append(described)
        elif described is not None:
            if _unwrap_optional(annotation)[1]:
                found.append(
                    PropertyDescriptor(path, _label(path), "presence", True, model=described)
                )
            nested = getattr(model, name)
            if nested is not None:
                found.extend(descriptors_for(nested, f"{path}."))
    return found
