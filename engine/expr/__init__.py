"""The expression language: expression text in, checked names and compiled closures out.

Parse with ``parse_expression``, check names with ``check_expression``, compile once with
``compile_expression`` and call the result with an ``Env`` per row. Float literals
(``1.5``) are exact ``Decimal`` values; ``int / int`` gives a ``Decimal``; arithmetic with
None gives None. See ``operators`` and ``functions`` for the full rules.
"""

from __future__ import annotations

from engine.expr.compile import CompiledExpression, compile_expression
from engine.expr.env import Env
from engine.expr.formatting import (
    default_text,
    format_currency,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_value,
)
from engine.expr.functions import FUNCTIONS, LibraryFunction
from engine.expr.parse import ExpressionNames, check_expression, parse_expression
from engine.expr.rename import rename_references

__all__ = [
    "FUNCTIONS",
    "CompiledExpression",
    "Env",
    "ExpressionNames",
    "LibraryFunction",
    "check_expression",
    "compile_expression",
    "default_text",
    "format_currency",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_value",
    "parse_expression",
    "rename_references",
]
