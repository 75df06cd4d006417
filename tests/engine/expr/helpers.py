"""Helpers for the expression tests: evaluate text against a row, params and vars."""

from __future__ import annotations

from typing import Any

from engine.expr import Env, compile_expression


def evaluate(
    text: str, row: dict[str, Any] | None = None, locale: str = "en_US", **env: Any
) -> Any:
    """Compile ``text`` and evaluate it once."""
    return compile_expression(text, locale=locale)(Env(row=row or {}, **env))
