"""The engine's error types: a ReportError hierarchy and Diagnostic records naming path and element."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

#: the longest message a diagnostic prints: quoted file text may be 100,000 characters long
MAX_MESSAGE = 600

#: characters never printed as themselves: controls, format characters (bidi overrides,
#: zero-width), line and paragraph separators — a newline or CR would split or disguise the line
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
_SUSPECT = re.compile(r"[^\x20-\x7e\u00a0-\u02ff]")


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` as one honest line: hidden characters escaped (`\\u202e`), cut to `limit` with its length."""
    if _SUSPECT.search(text):
        text = "".join(
            f"\\u{ord(ch):04x}" if unicodedata.category(ch) in _HIDDEN_CATEGORIES else ch
            for ch in text
        )
    if len(text) > limit:
        text = f"{text[: limit - 1]}… ({len(text):,} characters)"
    return text


class Severity(StrEnum):
    """How bad a diagnostic is: errors refuse the report, warnings only inform."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a report: what, where (JSON path) and in which element."""

    severity: Severity
    code: str
    message: str
    path: str = ""
    element: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self, source: str = "") -> str:
        """One line for a person: ``FILE: PATH: message (element)``."""
        parts = [p for p in (source, one_line(self.path)) if p]
        where = ": ".join(parts)
        message = one_line(self.message)
        text = f"{where}: {message}" if where else message
        if self.severity is Severity.WARNING:
            text = f"warning: {text}"
        return text


def error(code: str, message: str, path: str = "", element: str = "") -> Diagnostic:
    """Build an error diagnostic."""
    return Diagnostic(Severity.ERROR, code, message, path, element)


def warning(code: str, message: str, path: str = "", element: str = "") -> Diagnostic:
    """Build a warning diagnostic."""
    return Diagnostic(Severity.WARNING, code, message, path, element)


class ReportError(Exception):
    """Base of every failure the engine reports to a user."""

    #: exit status of the CLI for this kind of failure: 2 bad input, 1 failure while running
    exit_code = 1

    def __init__(self, message: str, *, source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def lines(self) -> list[str]:
        """The problem as lines for a person, each naming the file (one line each, whatever it quotes)."""
        message = one_line(self.message)
        return [f"{self.source}: {message}" if self.source else message]


class ReportInputError(ReportError):
    """The input is wrong: an unreadable or invalid report, a bad parameter or option."""

    exit_code = 2


class ReportValidationError(ReportInputError):
    """A report definition has one or more errors; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic], *, source: str = "") -> None:
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.is_error]
        first = errors[0].format() if errors else "invalid report"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more, source=source)

    def lines(self) -> list[str]:
        return [d.format(self.source) for d in self.diagnostics if d.is_error]


class ExpressionError(ReportInputError):
    """An expression is not in the language, or names something unknown."""

    def __init__(self, message: str, *, expression: str = "", column: int | None = None) -> None:
        self.expression = expression
        self.column = column
        where = f" (column {column})" if column is not None else ""
        super().__init__(f"{message}{where}")


class EvaluationError(ReportError):
    """An expression failed on a row (e.g. division by zero, a resource limit)."""


class ParameterError(ReportInputError):
    """A run-time parameter value is unknown, missing or of the wrong type; lists every problem."""

    def __init__(
        self, message: str, *, problems: list[str] | None = None, source: str = ""
    ) -> None:
        super().__init__(message, source=source)
        self.problems = problems or [message]

    def lines(self) -> list[str]:
        return [
            f"{self.source}: {one_line(p)}" if self.source else one_line(p) for p in self.problems
        ]


class DataSourceError(ReportError):
    """The data source failed: unreachable, missing file, query error; carries the database's message."""


class RenderError(ReportError):
    """Typesetting or writing the output failed."""
