"""The editor base class and registry: a value kind in, the QWidget class that edits it out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from engine.expr import ExpressionNames

from ..descriptors import PropertyDescriptor

_UNSET = object()


@dataclass(frozen=True)
class EditorContext:
    """What some editors need to know: the names expressions read, the report's locale and
    styles, the user's length unit."""

    names: ExpressionNames = field(default_factory=ExpressionNames)
    functions: tuple[str, ...] = ()
    locale: str = "en_US"
    styles: tuple[str, ...] = ()
    unit: str = "pt"
    #: the report's group names (scopes ``group:NAME``)
    groups: tuple[str, ...] = ()
    #: the folder of the report file, that file paths are relative to (None: not saved yet)
    folder: Path | None = None

    def words(self) -> list[str]:
        """Everything an expression may name: fields, params.X, vars.X and function names."""
        words = sorted(self.names.fields or ())
        words += sorted(f"params.{p}" for p in self.names.params)
        words += sorted(f"vars.{v}" for v in self.names.vars)
        words += sorted(self.functions)
        return words


#: value kind → editor class, filled by @editor_for
EDITORS: dict[str, type[PropertyEditor]] = {}


def editor_for(*kinds: str) -> Callable[[type[PropertyEditor]], type[PropertyEditor]]:
    """Register an editor class for value kinds."""

    def register(cls: type[PropertyEditor]) -> type[PropertyEditor]:
        for kind in kinds:
            EDITORS[kind] = cls
        return cls

    return register


def create_editor(descriptor: PropertyDescriptor, parent: QWidget | None = None) -> PropertyEditor:
    """A new editor for a descriptor's value kind."""
    return EDITORS[descriptor.kind](descriptor, parent)


class PropertyEditor(QWidget):
    """Edits one value: `changing` while the user works, `changed` to commit a valid value."""

    changing = Signal(object)
    changed = Signal(object)

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.descriptor = descriptor
        self._value: Any = _UNSET
        #: which part of a compound value the last commit edited (None: a step of its own);
        #: "" for editors of one simple value, whose edits merge by path
        self.part: str | None = ""
        self.setObjectName(f"editor:{descriptor.path}")

    def set_context(self, context: EditorContext) -> None:
        """Learn the report's names and locale (editors that need them override this)."""

    def value(self) -> Any:
        """The value last set or committed."""
        return None if self._value is _UNSET else self._value

    def set_value(self, value: Any) -> None:
        """Show a value from the model without emitting anything; unchanged values keep the cursor."""
        if value == self._value and self._shown_matches(value):
            return
        self._value = value
        self.set_error("")
        self.show_value(value)

    def _shown_matches(self, value: Any) -> bool:
        return True

    def show_value(self, value: Any) -> None:
        """Put a value into the widgets (subclasses; signals must be blocked there)."""
        raise NotImplementedError

    def commit(self, value: Any) -> None:
        """The user made a valid value: remember it and emit `changed`."""
        self.changing.emit(value)
        if value != self._value:
            self._value = value
            self.changed.emit(value)

    def set_error(self, message: str) -> None:
        """Mark the editor invalid (red) with a tooltip, or clear the mark."""
        self.setProperty("invalid", bool(message))
        self.setToolTip(message)
        self.setStyleSheet("QLineEdit { background: #fee2e2; }" if message else "")
