"""The complete function library: imports every module that registers functions, re-exports FUNCTIONS."""

from __future__ import annotations

from engine.expr import dates, functions  # noqa: F401 - importing registers their functions
from engine.expr.registry import FUNCTIONS, LibraryFunction

__all__ = ["FUNCTIONS", "LibraryFunction"]
