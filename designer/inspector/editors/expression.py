"""The expression editor: a monospaced line that checks the expression as you type and completes names."""

from __future__ import annotations

import re

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCompleter, QWidget

from engine.expr import check_expression

from ..descriptors import PropertyDescriptor
from .base import EditorContext, editor_for
from .text import TextEditor

#: the name being typed just before the cursor (``Tot``, ``params.st``)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*$")


@editor_for("expression")
class ExpressionEditor(TextEditor):
    """An expression in the report language; empty means none for optional ones.

    Every keystroke is checked with `engine.expr.check_expression` against the report's
    fields, parameters and variables: a wrong expression gets a red border and the
    message as tooltip and is not committed.
    """

    def __init__(self, descriptor: PropertyDescriptor, parent: QWidget | None = None) -> None:
        super().__init__(descriptor, parent)
        font = QFont("Liberation Mono")
        font.setPointSizeF(self.font().pointSizeF())
        self.line.setFont(font)
        self.line.setPlaceholderText("(none)" if descriptor.optional else "expression")
        self.context = EditorContext()
        self.words = QStringListModel(self)
        self.completer = QCompleter(self.words, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setWidget(self.line)
        self.completer.activated.connect(self.insert_completion)

    def set_context(self, context: EditorContext) -> None:
        self.context = context
        self.words.setStringList(context.words())

    def problems(self, text: str) -> list[str]:
        """What is wrong with an expression text ([] when it is fine or empty and optional)."""
        if text.strip() == "":
            return [] if self.descriptor.optional else ["an expression is required"]
        return check_expression(text, self.context.names)

    def _edited(self, text: str) -> None:
        problems = self.problems(text)
        self._complete(text)
        if problems:
            self.set_error("\n".join(problems))
            return
        self.set_error("")
        self.commit(self._from_text(text))

    def _complete(self, text: str) -> None:
        match = _WORD.search(text[: self.line.cursorPosition()])
        prefix = match.group(0) if match else ""
        if not prefix or not self.line.hasFocus():
            self.completer.popup().hide()
            return
        self.completer.setCompletionPrefix(prefix)
        if self.completer.completionCount() and self.completer.currentCompletion() != prefix:
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def completions(self, prefix: str) -> list[str]:
        """The words the completer offers for a prefix (tests, and the popup's content)."""
        self.completer.setCompletionPrefix(prefix)
        found = []
        for row in range(self.completer.completionCount()):
            self.completer.setCurrentRow(row)
            found.append(self.completer.currentCompletion())
        return found

    def insert_completion(self, word: str) -> None:
        """Replace the name before the cursor with a completion and commit the result."""
        cursor = self.line.cursorPosition()
        text = self.line.text()
        match = _WORD.search(text[:cursor])
        start = match.start() if match else cursor
        new = text[:start] + word + text[cursor:]
        self.line.setText(new)
        self.line.setCursorPosition(start + len(word))
        self._edited(new)

    def set_error(self, message: str) -> None:
        self.setProperty("invalid", bool(message))
        self.setToolTip(message)
        self.line.setToolTip(message)
        self.setStyleSheet(
            "QLineEdit { border: 1.5px solid #dc2626; background: #fef2f2; }" if message else ""
        )
