"""Locale formatting: a value, a CLDR pattern and a locale in, display text out (Babel, with cached patterns).

Numbers format exactly: a Decimal is never converted to float, and a float goes through its
shortest repr. Rounding to a pattern's digits is half-up (away from zero), as in spreadsheets,
so ``format(2.345, '0.00')`` is ``2.35`` (Babel's own default would be half-even).
``None`` formats as the empty string; callers substitute their ``null_text`` first.
"""

from __future__ import annotations

import datetime as _dt
import decimal
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from engine.errors import EvaluationError, ExpressionError
from engine.expr.limits import MAX_PATTERN_LENGTH, MAX_PLAIN_DIGITS, check_string
from engine.expr.names import shown_name

#: rounding used when a pattern has fewer fraction digits than the value; precision wide
#: enough for any Decimal the language produces (see limits.DECIMAL_CONTEXT)
_FORMAT_CONTEXT = decimal.Context(
    prec=20_100,
    rounding=decimal.ROUND_HALF_UP,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
_NUMBER_TYPES = (int, float, Decimal)


@lru_cache(maxsize=64)
def get_locale(name: str) -> Locale:
    """The Babel Locale for ``en_US``, ``de-DE``, ``fr``...; ExpressionError when unknown."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError, AttributeError) as exc:
        raise ExpressionError(f"unknown locale '{shown_name(str(name))}'") from exc


def _check_pattern(pattern: str, kind: str) -> None:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ExpressionError(
            f"{kind} pattern '{shown_name(pattern)}' is longer than the "
            f"{MAX_PATTERN_LENGTH:,} characters a pattern may have"
        )


@lru_cache(maxsize=512)
def _number_pattern(pattern: str) -> babel_numbers.NumberPattern:
    _check_pattern(pattern, "number")
    try:
        return babel_numbers.parse_pattern(pattern)
    except (ValueError, TypeError, IndexError) as exc:
        raise ExpressionError(f"invalid number pattern '{shown_name(pattern)}': {exc}") from exc


@lru_cache(maxsize=512)
def _date_pattern(pattern: str) -> babel_dates.DateTimePattern:
    _check_pattern(pattern, "date")
    try:
        return babel_dates.parse_pattern(pattern)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise ExpressionError(f"invalid date pattern '{shown_name(pattern)}': {exc}") from exc


def _number(value: Any, what: str) -> Decimal | int:
    if isinstance(value, bool) or not isinstance(value, _NUMBER_TYPES):
        raise EvaluationError(f"cannot format {type(value).__name__} as {what}")
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _apply_number(
    value: Decimal | int,
    pattern: babel_numbers.NumberPattern,
    locale: Locale,
    currency: str | None = None,
    currency_digits: bool = True,
) -> str:
    try:
        with decimal.localcontext(_FORMAT_CONTEXT):
            text = str(
                pattern.apply(value, locale, currency=currency, currency_digits=currency_digits)
            )
    except (ArithmeticError, ValueError) as exc:
        raise EvaluationError(
            f"cannot format {shown_name(repr(value))} with pattern '{shown_name(pattern.pattern)}'"
        ) from exc
    check_string(len(text))
    return text


def format_number(value: Any, pattern: str | None, locale: str) -> str:
    """A number with a CLDR number pattern (``#,##0.00``), or the locale's decimal format if None.

    :raises ExpressionError: the pattern or locale is invalid.
    :raises EvaluationError: the value is not a number.
    """
    if value is None:
        return ""
    loc = get_locale(locale)
    number_pattern = _number_pattern(pattern) if pattern else loc.decimal_formats[None]
    return _apply_number(_number(value, "a number"), number_pattern, loc)


def format_currency(value: Any, currency: str, pattern: str | None, locale: str) -> str:
    """An amount of an ISO 4217 currency; without a pattern, the locale's currency format and
    the currency's usual number of decimals, with a pattern exactly the pattern's decimals.

    :raises ExpressionError: the currency, pattern or locale is invalid.
    :raises EvaluationError: the value is not a number.
    """
    if value is None:
        return ""
    loc = get_locale(locale)
    if not isinstance(currency, str) or not babel_numbers.is_currency(currency.upper()):
        raise ExpressionError(f"unknown currency '{shown_name(str(currency))}'")
    number_pattern = _number_pattern(pattern) if pattern else loc.currency_formats["standard"]
    return _apply_number(
        _number(value, "a currency amount"),
        number_pattern,
        loc,
        currency=currency.upper(),
        currency_digits=not pattern,
    )


def format_percent(value: Any, pattern: str | None, locale: str) -> str:
    """A fraction as a percentage (0.25 is 25 %), with a pattern or the locale's percent format.

    :raises ExpressionError: the pattern or locale is invalid.
    :raises EvaluationError: the value is not a number.
    """
    if value is None:
        return ""
    loc = get_locale(locale)
    number_pattern = _number_pattern(pattern) if pattern else loc.percent_formats[None]
    return _apply_number(_number(value, "a percentage"), number_pattern, loc)


def _apply_date(value: _dt.date | _dt.datetime, pattern: str, locale: str) -> str:
    loc = get_locale(locale)
    date_pattern = _date_pattern(pattern)
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    try:
        text = str(date_pattern.apply(value, loc))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ExpressionError(f"invalid date pattern '{shown_name(pattern)}': {exc}") from exc
    check_string(len(text))
    return text


def format_date(value: Any, pattern: str, locale: str) -> str:
    """A date or datetime with a CLDR date pattern (``yyyy-MM-dd``, ``d MMMM y``...).

    A plain date reads as midnight if the pattern asks for the time.

    :raises ExpressionError: the pattern or locale is invalid.
    :raises EvaluationError: the value is not a date.
    """
    if value is None:
        return ""
    if not isinstance(value, _dt.date):
        raise EvaluationError(f"cannot format {type(value).__name__} as a date")
    return _apply_date(value, pattern, locale)


def format_datetime(value: Any, pattern: str, locale: str) -> str:
    """A datetime (or a date, read as midnight) with a CLDR pattern (``yyyy-MM-dd HH:mm``).

    :raises ExpressionError: the pattern or locale is invalid.
    :raises EvaluationError: the value is not a date or datetime.
    """
    if value is None:
        return ""
    if not isinstance(value, _dt.date):
        raise EvaluationError(f"cannot format {type(value).__name__} as a datetime")
    return _apply_date(value, pattern, locale)


def format_value(value: Any, pattern: str, locale: str) -> str:
    """A number with a CLDR number pattern or a date/datetime with a CLDR date pattern.

    This is the expression function ``format(value, pattern)``.

    :raises ExpressionError: the pattern or locale is invalid.
    :raises EvaluationError: the value is neither a number nor a date.
    """
    if value is None:
        return ""
    if not isinstance(pattern, str):
        raise EvaluationError(f"a format pattern must be a string, not {type(pattern).__name__}")
    if isinstance(value, _dt.date):
        return _apply_date(value, pattern, locale)
    if isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool):
        return format_number(value, pattern, locale)
    raise EvaluationError(f"format() needs a number or a date, not {type(value).__name__}")


def plain_decimal(value: Decimal) -> str:
    """A Decimal as written, without an exponent: Decimal('1.50') is '1.50', 1E+3 is '1000'.

    A value whose plain form would run past MAX_PLAIN_DIGITS characters (1E+999999999 from a
    data source would be a gigabyte of zeros) keeps its exponent instead.
    """
    if not value.is_finite():
        return str(value)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if max(value.adjusted(), -exponent) > MAX_PLAIN_DIGITS:
        return str(value)
    return format(value, "f")


def default_text(value: Any) -> str:
    """A value with no format: ints plainly, Decimals as written (no exponent), floats by their
    shortest repr without exponent, dates ``YYYY-MM-DD``, datetimes ``YYYY-MM-DD HH:MM:SS``
    (``.ffffff`` and ``+HH:MM`` only when present), booleans ``true``/``false``, None ``''``.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError as exc:
            raise EvaluationError("integer too large to print") from exc
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)
        return plain_decimal(Decimal(repr(value)))
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value)
