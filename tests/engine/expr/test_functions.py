"""The function library: every function with hand-computed results, None rules and argument errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from engine.errors import EvaluationError, ExpressionError
from engine.expr import FUNCTIONS, Env, compile_expression
from tests.engine.expr.helpers import evaluate

D = dt.date(2024, 1, 31)
T = dt.datetime(2024, 5, 17, 13, 45, 10)
ROW = {"d": D, "t": T, "s": "  Hello World  ", "n": None, "x": Decimal("2.345"), "f": 2.675}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # conversions
        ("str(1234567)", "1234567"),
        ("str(1.50)", "1.50"),
        ("str(1e3)", "1000"),
        ("str(1e-7)", "0.0000001"),
        ("str(f)", "2.675"),
        ("str(True)", "true"),
        ("str(d)", "2024-01-31"),
        ("str(t)", "2024-05-17 13:45:10"),
        ("str(10 ** 25)", "10000000000000000000000000"),
        ("int(3.9)", 3),
        ("int(-3.9)", -3),
        ("int('42')", 42),
        ("int(' 4.7 ')", 4),
        ("int(True)", 1),
        ("float(1.25)", 1.25),
        ("float('2.5')", 2.5),
        ("float(3)", 3.0),
        ("decimal('19.99')", Decimal("19.99")),
        ("decimal(f)", Decimal("2.675")),
        ("decimal(3)", Decimal(3)),
        # numbers
        ("round(x, 2)", Decimal("2.35")),
        ("round(f, 2)", 2.68),
        ("round(2.5)", Decimal("3")),
        ("round(-2.5)", Decimal("-3")),
        ("round(1234, -2)", 1200),
        ("round(1250, -2)", 1300),
        ("round(7)", 7),
        ("round(x, ndigits=1)", Decimal("2.3")),
        ("abs(-3)", 3),
        ("abs(-1.5)", Decimal("1.5")),
        ("min(3, 1, 2)", 1),
        ("max(3, 1, 2)", 3),
        ("min(n, 2, n)", 2),
        ("max(n, n)", None),
        ("min(1.5, f)", Decimal("1.5")),
        ("max('a', 'b')", "b"),
        # text
        ("len('abc')", 3),
        ("upper('abc')", "ABC"),
        ("lower('ABC')", "abc"),
        ("title('hello world')", "Hello World"),
        ("strip(s)", "Hello World"),
        ("strip('xxaxx', 'x')", "a"),
        ("strip('xxaxx', chars='x')", "a"),
        ("replace('a-b-c', '-', '+')", "a+b+c"),
        ("contains('abc', 'b')", True),
        ("contains('abc', 'z')", False),
        ("startswith('abc', 'ab')", True),
        ("endswith('abc', 'bc')", True),
        ("endswith('abc', 'b')", False),
        ("substr('abcdef', 2)", "bcdef"),
        ("substr('abcdef', 2, 3)", "bcd"),
        ("substr('abcdef', 2, length=3)", "bcd"),
        ("substr('abc', 0, 2)", "a"),
        ("substr('abc', 5)", ""),
        ("substr('abc', 1, 0)", ""),
        ("concat('a', 1, n, 1.50, True)", "a11.50true"),
        ("concat()", ""),
        ("coalesce(n, n, 3)", 3),
        ("coalesce(n)", None),
        ("if_null(n, 'x')", "x"),
        ("if_null(0, 'x')", 0),
        # dates
        ("date('2024-01-31')", D),
        ("date(2024, 2, 29)", dt.date(2024, 2, 29)),
        ("date(t)", dt.date(2024, 5, 17)),
        ("date(d)", D),
        ("year(d)", 2024),
        ("month(d)", 1),
        ("day(d)", 31),
        ("quarter(d)", 1),
        ("quarter(t)", 2),
        ("quarter(date('2024-12-01'))", 4),
        ("weekday(d)", 3),
        ("weekday(date('2024-02-04'))", 7),
        ("weekday(date('2024-01-29'))", 1),
        ("date_trunc('day', t)", dt.datetime(2024, 5, 17)),
        ("date_trunc('week', d)", dt.date(2024, 1, 29)),
        ("date_trunc('month', d)", dt.date(2024, 1, 1)),
        ("date_trunc('quarter', t)", dt.datetime(2024, 4, 1)),
        ("date_trunc('year', d)", dt.date(2024, 1, 1)),
        ("date_add(d, 1)", dt.date(2024, 2, 1)),
        ("date_add(d, -31)", dt.date(2023, 12, 31)),
        ("date_add(d, 2, 'week')", dt.date(2024, 2, 14)),
        ("date_add(d, 1, 'month')", dt.date(2024, 2, 29)),
        ("date_add(d, 13, unit='month')", dt.date(2025, 2, 28)),
        ("date_add(d, 1, 'quarter')", dt.date(2024, 4, 30)),
        ("date_add(date('2024-02-29'), 1, 'year')", dt.date(2025, 2, 28)),
        ("date_add(date('2024-02-29'), -4, 'year')", dt.date(2020, 2, 29)),
        ("date_add(t, 1, 'month')", dt.datetime(2024, 6, 17, 13, 45, 10)),
        ("days_between(d, date('2024-03-01'))", 30),
        ("days_between(date('2024-03-01'), d)", -30),
        ("days_between(d, t)", 107),
        ("days_between(t, t)", 0),
    ],
)
def test_functions(text: str, expected: Any) -> None:
    result = evaluate(text, ROW)
    assert result == expected
    assert type(result) is type(expected)


NULL_IN_NULL_OUT = [
    "str(n)",
    "int(n)",
    "float(n)",
    "decimal(n)",
    "round(n)",
    "round(1.5, n)",
    "abs(n)",
    "len(n)",
    "upper(n)",
    "lower(n)",
    "title(n)",
    "strip(n)",
    "replace(n, 'a', 'b')",
    "replace('a', n, 'b')",
    "contains(n, 'a')",
    "startswith('a', n)",
    "endswith(n, 'a')",
    "substr(n, 1)",
    "substr('abc', 1, n)",
    "format(n, '0.00')",
    "year(n)",
    "month(n)",
    "day(n)",
    "quarter(n)",
    "weekday(n)",
    "date(n)",
    "date_trunc('month', n)",
    "date_add(n, 1)",
    "date_add(d, n)",
    "days_between(n, d)",
]


@pytest.mark.parametrize("text", NULL_IN_NULL_OUT)
def test_none_in_none_out(text: str) -> None:
    assert evaluate(text, ROW) is None


def test_every_function_is_covered() -> None:
    covered = {text.split("(")[0] for text in NULL_IN_NULL_OUT}
    covered |= {"min", "max", "concat", "coalesce", "if_null", "today", "now"}
    assert covered == set(FUNCTIONS)


def test_direct_call_applies_the_none_rule() -> None:
    assert FUNCTIONS["upper"]("a") == "A"
    assert FUNCTIONS["upper"](None) is None
    assert FUNCTIONS["coalesce"](None, 1) == 1


def test_format_uses_the_report_locale() -> None:
    assert evaluate("format(1234.5, '#,##0.00')") == "1,234.50"
    assert evaluate("format(1234.5, '#,##0.00')", locale="de_DE") == "1.234,50"
    assert evaluate("format(d, 'd MMMM y')", ROW, locale="de_DE") == "31 Januar 2024"
    assert evaluate("format(t, 'yyyy-MM-dd HH:mm')", ROW) == "2024-05-17 13:45"


def test_clock_functions_are_volatile_and_pinnable() -> None:
    pinned = dt.datetime(2030, 6, 1, 8, 30)
    compiled = compile_expression("today()", clock=lambda: pinned)
    assert compiled.is_volatile and not compiled.is_constant
    assert compiled(Env()) == dt.date(2030, 6, 1)
    assert compile_expression("now()", clock=lambda: pinned)(Env()) == pinned
    assert isinstance(compile_expression("now()")(Env()), dt.datetime)
    assert not compile_expression("date('2024-01-01')").is_volatile


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("int('abc')", "cannot convert 'abc' to int"),
        ("float('abc')", "cannot convert 'abc' to float"),
        ("decimal('1,5')", "cannot convert '1,5' to decimal"),
        ("int(d)", "int() needs a number or text, not date"),
        ("round('a')", "round() needs a number, not str"),
        ("round(1.5, 0.5)", "round() needs a whole number, not 0.5"),
        ("round(1.5, 5000)", "round() needs ndigits between -1000 and 1000"),
        ("abs('a')", "abs() needs a number, not str"),
        ("abs(True)", "abs() needs a number, not bool"),
        ("len(1)", "len() needs text, not int"),
        ("upper(1)", "upper() needs text, not int"),
        ("substr('abc', 'a')", "substr() needs a whole number, not str"),
        ("substr('abc', 1, -1)", "substr() needs a length of 0 or more, not -1"),
        ("min(1, 'a')", "cannot compare"),
        ("date('31/01/2024')", "invalid date '31/01/2024' (expected YYYY-MM-DD)"),
        ("date(2024, 2, 30)", "no such date: 2024-2-30"),
        ("date(2024, 2)", "date() needs a year, a month and a day"),
        ("date(1)", "date() needs ISO text"),
        ("year('2024')", "year() needs a date, not str"),
        (
            "date_trunc('hour', d)",
            "date_trunc() unit must be one of day, week, month, quarter, year",
        ),
        ("date_add(d, 1, 'decade')", "date_add() unit must be one of"),
        ("date_add(d, 1.5)", "date_add() needs a whole number, not 1.5"),
        ("date_add(d, 10000, 'year')", "out of the range of dates"),
        ("date_add(d, 10**7)", "out of the range of dates"),
        ("format('a', '0')", "format() needs a number or a date, not str"),
        ("format(True, '0')", "format() needs a number or a date, not bool"),
        ("format(1, 2)", "a format pattern must be a string, not int"),
    ],
)
def test_argument_errors(text: str, message: str) -> None:
    with pytest.raises(EvaluationError) as caught:
        evaluate(text, ROW)
    assert message in str(caught.value)
    assert str(caught.value).endswith(f"in '{text}'")


def test_days_between_naive_and_aware() -> None:
    aware = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(EvaluationError, match="naive and aware"):
        evaluate("days_between(a, b)", {"a": aware, "b": T})


def test_unknown_locale_is_an_expression_error() -> None:
    with pytest.raises(ExpressionError, match="unknown locale 'xx_YY'"):
        compile_expression("1", locale="xx_YY")
