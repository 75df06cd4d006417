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
#: most characters a Decimal is printed to without an exponent; beyond, it prints as 1E+99999
MAX_PLAIN_DIGITS = 10_000
#: longest format pattern (a real one is under 40 characters; `'MMMM ' * 200000` from a data
#: field would print two million characters)
MAX_PATTERN_LENGTH = 1_000
#: most significant digits of a Decimal read from text (``decimal('…')``, ``int('…')``)
MAX_DECIMAL_DIGITS = MAX_INT_DIGITS

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
        # 'x' * 10**3999 asks for a length of 4,000 digits: the message says so without them
        size = f"{length:,}" if length < 10**15 else "more than 10^15"
        raise EvaluationError(
            f"string result too long ({size} characters; the limit is {MAX_STRING_LENGTH:,})"
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


def check_decimal(value: decimal.Decimal) -> None:
    """Refuse a Decimal read from text that no arithmetic of the language could use: more than
    MAX_DECIMAL_DIGITS digits, or an exponent outside DECIMAL_CONTEXT (``1e999999999``, whose
    ``int()`` would build a billion-digit number)."""
    if not value.is_finite():
        return
    if len(value.as_tuple().digits) > MAX_DECIMAL_DIGITS:
        raise EvaluationError(f"number has too many digits (the limit is {MAX_DECIMAL_DIGITS:,})")
    if value and not DECIMAL_CONTEXT.Emin <= value.adjusted() <= DECIMAL_CONTEXT.Emax:
        raise EvaluationError(
            f"number out of range ({value:.3E}; exponents from {DECIMAL_CONTEXT.Emin:,} "
            f"to {DECIMAL_CONTEXT.Emax:,})"
        )


def check_int_digits(value: decimal.Decimal) -> None:
    """Refuse ``int()`` of a Decimal whose integer part has more than MAX_INT_DIGITS digits
    (a float never has more than 309)."""
    if value.is_finite() and value and value.adjusted() >= MAX_INT_DIGITS:
        raise EvaluationError(f"integer result too large (over {MAX_INT_DIGITS:,} digits)")
