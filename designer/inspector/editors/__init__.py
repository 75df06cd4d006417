"""Property editors, one module per value kind; importing this package registers them all."""

from __future__ import annotations

from . import (
    boolean,
    choice,
    colour,
    conditionalstyles,
    expression,
    filepath,
    font,
    format,
    imagesource,
    length,
    number,
    parameters,
    presence,
    scope,
    stylename,
    text,
)
from .base import EDITORS, EditorContext, PropertyEditor, create_editor, editor_for

__all__ = [
    "EDITORS",
    "EditorContext",
    "PropertyEditor",
    "boolean",
    "choice",
    "colour",
    "conditionalstyles",
    "create_editor",
    "editor_for",
    "expression",
    "filepath",
    "font",
    "format",
    "imagesource",
    "length",
    "number",
    "parameters",
    "presence",
    "scope",
    "stylename",
    "text",
]
