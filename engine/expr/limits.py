"""Resource limits of the expression language: size caps in, EvaluationError out when a value would exceed them."""

from __future__ import annotations

import decimal
import math

from engine.errors import EvaluationError

#: longest expression text accepted by the parser, in characters
MAX_TEXT_LENGTH = 10_000
#: deepest nesting of expression nodes (operators, calls, literals) accepted by the parser
MAX_DEPTH = 50
#: longest string an operator or function may produce
MAX_STRING_LENGTH = 1_000_000
#: most decimal digits of an integer result (Python refuses to print ints over 4,300 digits)
MAX_INT_DIGITS = 4_000
MAX_INT_BITS = int(MAX_INT_DIGITS * math.log2(10))
#: largest exponent magnitude accepted by ``**`` on Decimal and float operands
MAX_EXPONENT = 1_000_000

#: the context for all Decimal arithmetic: 28 significant digits (Python's default), rounding
#: half-even for inexact quotients, exponents bounded so a Decimal never prints to more than
#: about 10,000 characters, and every exceptional condition raised rather than ignored
DECIMAL_CONTEXT = decimal.Context(
    prec=28,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=9_999,
    Emin=-9_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def check_string(length: int) -> None:
    """Refuse a string result longer than MAX_STRING_LENGTH characters."""
    if length > MAX_STRING_LENGTH:
        raise EvaluationError(
            f"string result too long ({length:,} characters; the limit is {MAX_STRING_LENGTH:,})"
        )


def check_int_product(a: int, b: int) -> None:
    """Refuse ``a * b`` when the product of two ints would exceed MAX_INT_DIGITS."""
    if a.bit_length() + b.bit_length() > MAX_INT_BITS + 1:
        raise EvaluationError(f"integer result too large (over {MAX_INT_DIGITS:,} digits)")


def check_int_power(base: int, exponent: int) -> None:
    """Refuse ``base ** exponent`` (exponent >= 0) when the result would exceed MAX_INT_DIGITS."""
    magnitude = abs(base)
    if magnitude <= 1 or exponent <= 1:
        return
    if exponent > MAX_INT_BITS or exponent * math.log2(magnitude) > MAX_INT_BITS:
        raise EvaluationError(f"integer result too large (over {MAX_INT_DIGITS:,} digits)")


def check_exponent(exponent: object) -> None:
    """Refuse an exponent of ``**`` whose magnitude exceeds MAX_EXPONENT."""
    try:
        too_large = abs(exponent) > MAX_EXPONENT  # type: ignore[operator, arg-type]
    except (TypeError, ArithmeticError):
        return
    if too_large:
        raise EvaluationError(f"exponent too large (the limit is {MAX_EXPONENT:,})")
