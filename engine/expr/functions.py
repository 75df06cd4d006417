"""The function library: argument values in, a result out; registered by name in FUNCTIONS.

Unless marked otherwise a function returns None when any argument it is given is None.
The exceptions: ``min``/``max`` skip None arguments (None only when all are None),
``concat`` reads None as '', ``coalesce`` and ``if_null`` exist to replace None, and
``today``/``now`` take no arguments.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from engine.errors import EvaluationError
from engine.expr import operators
from engine.expr.formatting import default_text, format_value
from engine.expr.limits import (
    MAX_STRING_LENGTH,
    check_decimal,
    check_int_digits,
    check_string,
)
from engine.expr.names import shown_name
from engine.expr.operators import to_decimal
from engine.expr.registry import integer_argument as _integer
from engine.expr.registry import library_function
from engine.expr.registry import need as _need

_ROUND_CONTEXT = decimal.Context(
    prec=5_000, rounding=decimal.ROUND_HALF_UP, traps=[decimal.InvalidOperation]
)
_NUMBER = (int, float, Decimal)


# -- conversions -------------------------------------------------------------------------------


@library_function("str")
def str_(value: Any) -> str:
    """Text of a value as printed without a format: numbers never grouped, Decimals plain."""
    return default_text(value)


@library_function("int")
def int_(value: Any) -> int:
    """Whole number, truncating toward zero; text is read as a decimal number."""
    if isinstance(value, str):
        value = _parse_decimal("int", value)
    _need((*_NUMBER, bool), "int", value, "a number or text")
    if isinstance(value, Decimal):
        check_int_digits(value)
    return int(value)


@library_function("float")
def float_(value: Any) -> float:
    """Binary floating-point number."""
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise EvaluationError(f"cannot convert '{shown_name(value)}' to float") from None
    _need((*_NUMBER, bool), "float", value, "a number or text")
    return float(value)


def _parse_decimal(function: str, text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except decimal.InvalidOperation:
        raise EvaluationError(f"cannot convert '{shown_name(text)}' to {function}") from None
    check_decimal(value)
    return value


@library_function("decimal")
def decimal_(value: Any) -> Decimal:
    """Exact decimal number; a float goes through its repr (0.1 stays 0.1)."""
    if isinstance(value, str):
        return _parse_decimal("decimal", value)
    _need((*_NUMBER, bool), "decimal", value, "a number or text")
    return to_decimal(value)


# -- numbers -------------------------------------------------------------------------------------


@library_function("round")
def round_(value: Any, ndigits: Any = 0) -> Any:
    """Round half away from zero to ``ndigits`` decimals (negative: tens, hundreds...), keeping the type."""
    _need(_NUMBER, "round", value, "a number")
    places = _integer("round", ndigits)
    if abs(places) > 1000:
        raise EvaluationError("round() needs ndigits between -1000 and 1000")
    if isinstance(value, int) and places >= 0:
        return value
    try:
        rounded = to_decimal(value).quantize(Decimal(1).scaleb(-places), context=_ROUND_CONTEXT)
    except decimal.InvalidOperation:
        raise EvaluationError(f"cannot round {shown_name(str(value))} to {places} digits") from None
    if isinstance(value, int):
        return int(rounded)
    if isinstance(value, float):
        return float(rounded)
    return rounded


@library_function("abs")
def abs_(value: Any) -> Any:
    """Absolute value."""
    _need(_NUMBER, "abs", value, "a number")
    return abs(value)


@library_function("min", nulls=False)
def min_(first: Any, *rest: Any) -> Any:
    """Smallest argument, skipping None (None when every argument is None)."""
    best = None
    for value in (first, *rest):
        if value is not None and (best is None or operators.lt(value, best)):
            best = value
    return best


@library_function("max", nulls=False)
def max_(first: Any, *rest: Any) -> Any:
    """Largest argument, skipping None (None when every argument is None)."""
    best = None
    for value in (first, *rest):
        if value is not None and (best is None or operators.gt(value, best)):
            best = value
    return best


# -- text ------------------------------------------------------------------------------------------


@library_function("len")
def len_(text: Any) -> int:
    """Number of characters."""
    _need(str, "len", text, "text")
    return len(text)


@library_function("upper")
def upper(text: Any) -> str:
    """Text in upper case."""
    _need(str, "upper", text, "text")
    return text.upper()


@library_function("lower")
def lower(text: Any) -> str:
    """Text in lower case."""
    _need(str, "lower", text, "text")
    return text.lower()


@library_function("title")
def title(text: Any) -> str:
    """Text with each word capitalised."""
    _need(str, "title", text, "text")
    return text.title()


@library_function("strip")
def strip(text: Any, chars: Any = None) -> str:
    """Text without leading and trailing whitespace (or the given characters)."""
    _need(str, "strip", text, "text")
    if chars is not None:
        _need(str, "strip", chars, "text for chars")
    return text.strip(chars)


@library_function("replace")
def replace(text: Any, old: Any, new: Any) -> str:
    """Text with every occurrence of ``old`` replaced by ``new``."""
    for value in (text, old, new):
        _need(str, "replace", value, "text")
    count = text.count(old) if old else len(text) + 1
    check_string(len(text) + count * (len(new) - len(old)))
    return text.replace(old, new)


@library_function("contains")
def contains(text: Any, part: Any) -> bool:
    """Whether ``part`` occurs in ``text``."""
    _need(str, "contains", text, "text")
    _need(str, "contains", part, "text")
    return part in text


@library_function("startswith")
def startswith(text: Any, prefix: Any) -> bool:
    """Whether ``text`` begins with ``prefix``."""
    _need(str, "startswith", text, "text")
    _need(str, "startswith", prefix, "text")
    return text.startswith(prefix)


@library_function("endswith")
def endswith(text: Any, suffix: Any) -> bool:
    """Whether ``text`` ends with ``suffix``."""
    _need(str, "endswith", text, "text")
    _need(str, "endswith", suffix, "text")
    return text.endswith(suffix)


@library_function("substr")
def substr(text: Any, start: Any, length: Any = None) -> str:
    """Characters from 1-based position ``start``, ``length`` of them (all if omitted), as SQL.

    Positions before 1 count toward ``length`` but select nothing (``substr('abc', 0, 2)`` is 'a').
    """
    _need(str, "substr", text, "text")
    first = _integer("substr", start)
    if length is None:
        end = len(text)
    else:
        count = _integer("substr", length)
        if count < 0:
            raise EvaluationError(f"substr() needs a length of 0 or more, not {count}")
        end = first - 1 + count
    return text[max(first - 1, 0) : max(end, 0)]


@library_function("concat", nulls=False)
def concat(*values: Any) -> str:
    """The arguments' texts joined; None counts as ''."""
    parts = []
    total = 0
    for value in values:
        part = default_text(value)
        total += len(part)
        if total > MAX_STRING_LENGTH:
            check_string(total)
        parts.append(part)
    return "".join(parts)


@library_function("coalesce", nulls=False)
def coalesce(first: Any, *rest: Any) -> Any:
    """The first argument that is not None (None when all are)."""
    for value in (first, *rest):
        if value is not None:
            return value
    return None


@library_function("if_null", nulls=False)
def if_null(value: Any, default: Any) -> Any:
    """``value``, or ``default`` when ``value`` is None."""
    return default if value is None else value


@library_function("format")
def format_(value: Any, pattern: Any, *, locale: str = "en_US") -> str:
    """A number with a CLDR number pattern or a date with a CLDR date pattern, in the report's locale."""
    return format_value(value, pattern, locale)


# the date functions live in their own module; importing it here completes FUNCTIONS
from engine.expr import dates  # noqa: E402, F401
from engine.expr.registry import FUNCTIONS, LibraryFunction  # noqa: E402

__all__ = ["FUNCTIONS", "LibraryFunction"]
