"""Locale formatting: numbers, currencies, percentages and dates in four locales, and default text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from engine.errors import EvaluationError, ExpressionError
from engine.expr import (
    default_text,
    format_currency,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_value,
)

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: fr_FR's group separator
D = dt.date(2024, 1, 31)
T = dt.datetime(2024, 1, 31, 14, 5, 9)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_US", "1,234,567.89"),
        ("de_DE", "1.234.567,89"),
        ("fr_FR", f"1{NNBSP}234{NNBSP}567,89"),
        ("ja_JP", "1,234,567.89"),
    ],
)
def test_number_pattern(locale: str, expected: str) -> None:
    assert format_number(Decimal("1234567.891"), "#,##0.00", locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_US", "1,234.568"),
        ("de_DE", "1.234,568"),
        ("fr_FR", f"1{NNBSP}234,568"),
        ("ja_JP", "1,234.568"),
    ],
)
def test_number_default_pattern(locale: str, expected: str) -> None:
    assert format_number(1234.5678, None, locale) == expected


@pytest.mark.parametrize(
    ("locale", "currency", "expected"),
    [
        ("en_US", "USD", "$1,234.50"),
        ("en_US", "EUR", "€1,234.50"),
        ("de_DE", "EUR", f"1.234,50{NBSP}€"),
        ("de_DE", "USD", f"1.234,50{NBSP}$"),
        ("fr_FR", "EUR", f"1{NNBSP}234,50{NBSP}€"),
        ("ja_JP", "JPY", "￥1,235"),
        ("en_US", "JPY", "¥1,235"),
        ("ja_JP", "USD", "$1,234.50"),
    ],
)
def test_currency(locale: str, currency: str, expected: str) -> None:
    assert format_currency(Decimal("1234.5"), currency, None, locale) == expected


def test_currency_with_pattern_uses_the_pattern_digits() -> None:
    assert format_currency(Decimal("1234.5"), "usd", "¤#,##0.000", "en_US") == "$1,234.500"
    assert format_currency(-5, "USD", None, "en_US") == "-$5.00"


@pytest.mark.parametrize(
    ("locale", "pattern", "expected"),
    [
        ("en_US", None, "26%"),
        ("de_DE", None, f"26{NBSP}%"),
        ("fr_FR", None, f"26{NBSP}%"),
        ("ja_JP", None, "26%"),
        ("en_US", "#,##0.0%", "25.6%"),
        ("de_DE", "#,##0.0%", "25,6%"),
        ("fr_FR", "#,##0.0%", "25,6%"),
    ],
)
def test_percent(locale: str, pattern: str | None, expected: str) -> None:
    assert format_percent(Decimal("0.256"), pattern, locale) == expected


@pytest.mark.parametrize(
    ("locale", "pattern", "expected"),
    [
        ("en_US", "yyyy-MM-dd", "2024-01-31"),
        ("en_US", "MMMM d, y", "January 31, 2024"),
        ("de_DE", "d. MMMM y", "31. Januar 2024"),
        ("fr_FR", "d MMMM y", "31 janvier 2024"),
        ("ja_JP", "y年M月d日", "2024年1月31日"),
        ("en_US", "EEEE", "Wednesday"),
        ("de_DE", "EEEE", "Mittwoch"),
        ("fr_FR", "EEEE", "mercredi"),
        ("ja_JP", "EEEE", "水曜日"),
        ("en_US", "dd.MM.yy", "31.01.24"),
    ],
)
def test_date(locale: str, pattern: str, expected: str) -> None:
    assert format_date(D, pattern, locale) == expected
    assert format_value(D, pattern, locale) == expected


def test_datetime() -> None:
    assert format_datetime(T, "yyyy-MM-dd HH:mm", "en_US") == "2024-01-31 14:05"
    assert format_datetime(T, "h:mm a", "en_US") == "2:05 PM"
    assert format_datetime(D, "yyyy-MM-dd HH:mm", "en_US") == "2024-01-31 00:00"
    assert format_date(T, "d MMM y, HH:mm:ss", "de_DE") == "31 Jan. 2024, 14:05:09"


def test_format_value_dispatches_on_type() -> None:
    assert format_value(1234.5, "#,##0.00", "en_US") == "1,234.50"
    assert format_value(1234.5, "#,##0.00", "de_DE") == "1.234,50"
    assert format_value(7, "000", "en_US") == "007"
    assert format_value(None, "0", "en_US") == ""


def test_decimals_format_exactly_and_round_half_up() -> None:
    big = Decimal("12345678901234567890.125")
    assert format_number(big, "#,##0.00", "en_US") == "12,345,678,901,234,567,890.13"
    assert format_number(Decimal("2.345"), "0.00", "en_US") == "2.35"
    assert format_number(2.675, "0.00", "en_US") == "2.68"  # the float's repr, not its binary value
    assert format_number(Decimal("-2.5"), "0", "en_US") == "-3"
    assert format_number(Decimal("0.1") + Decimal("0.2"), "0.0###", "en_US") == "0.3"


@pytest.mark.parametrize("function", [format_number, format_percent])
def test_none_formats_empty(function: Any) -> None:
    assert function(None, None, "en_US") == ""
    assert format_currency(None, "USD", None, "en_US") == ""
    assert format_date(None, "y", "en_US") == ""
    assert format_datetime(None, "y", "en_US") == ""


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: format_number(1, "0", "xx_YY"), ExpressionError, "unknown locale 'xx_YY'"),
        (lambda: format_number(1, "0", ""), ExpressionError, "unknown locale ''"),
        (
            lambda: format_currency(1, "XYZ", None, "en_US"),
            ExpressionError,
            "unknown currency 'XYZ'",
        ),
        (lambda: format_number(1, "0.00@", "en_US"), ExpressionError, "invalid number pattern"),
        (
            lambda: format_number("1", "0", "en_US"),
            EvaluationError,
            "cannot format str as a number",
        ),
        (lambda: format_number(True, "0", "en_US"), EvaluationError, "cannot format bool"),
        (lambda: format_percent("x", None, "en_US"), EvaluationError, "as a percentage"),
        (
            lambda: format_date("2024-01-31", "y", "en_US"),
            EvaluationError,
            "cannot format str as a date",
        ),
        (lambda: format_datetime(1, "y", "en_US"), EvaluationError, "as a datetime"),
        (lambda: format_date(D, "GGGGGG", "en_US"), ExpressionError, "invalid date pattern"),
    ],
)
def test_errors(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_locale_spelling_with_hyphen() -> None:
    assert format_number(1234, "#,##0", "de-DE") == "1.234"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (1234567, "1234567"),
        (-5, "-5"),
        (Decimal("1.50"), "1.50"),
        (Decimal("1E+3"), "1000"),
        (Decimal("1.5E-7"), "0.00000015"),
        (Decimal("NaN"), "NaN"),
        (1.0, "1.0"),
        (0.1, "0.1"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "0.00000015"),
        (float("inf"), "inf"),
        (float("nan"), "nan"),
        (D, "2024-01-31"),
        (T, "2024-01-31 14:05:09"),
        (dt.datetime(2024, 1, 31, 14, 5, 9, 120000), "2024-01-31 14:05:09.120000"),
        (dt.time(8, 30), "08:30:00"),
        ("text", "text"),
    ],
)
def test_default_text(value: Any, expected: str) -> None:
    assert default_text(value) == expected


def test_default_text_of_a_huge_int() -> None:
    with pytest.raises(EvaluationError, match="too large to print"):
        default_text(10**5000)
