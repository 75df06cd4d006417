"""The expression editor: a monospaced line edit for now (the expression dialog comes later)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from ..descriptors import PropertyDescriptor
from .base import editor_for
from .text import TextEditor


@editor_for("expression")
class ExpressionEditor(TextEditor):
    """An expression in the report language; empty means none for optional ones."""

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        font = QFont("Liberation Mono")
        font.setPointSizeF(self.font().pointSizeF())
        self.line.setFont(font)
        self.line.setPlaceholderText("(none)" if descriptor.optional else "expression")
