"""Parsing and checking: what the language accepts, what it refuses, and the columns it names."""

from __future__ import annotations

import ast

import pytest

from engine.errors import ExpressionError
from engine.expr import ExpressionNames, check_expression, compile_expression, parse_expression
from engine.expr.limits import MAX_DEPTH, MAX_TEXT_LENGTH


@pytest.mark.parametrize(
    "text",
    [
        "1",
        "1.5",
        "'text'",
        "True and not False",
        "None",
        "Total",
        "field('Order Details')",
        "params.start",
        "vars.total",
        "row_number + group_row_number",
        "a + b - c * d / e // f % g ** h",
        "-a + +b",
        "1 < a <= 2",
        "a in [1, 2]",
        "a not in (1, 2)",
        "'x' in Name",
        "a if b else c",
        "a is None",
        "None is not a",
        "upper(Name)",
        "substr(Name, 2, length=3)",
        "round(x, ndigits=2)",
        "date_add(d, 1, unit='month')",
        "coalesce(a, b, c, 0)",
        "  1 + 2",
        "(1 +\n 2)",
    ],
)
def test_accepts_the_language(text: str) -> None:
    assert isinstance(parse_expression(text), ast.Expression)


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("lambda: 1", "lambda is not allowed", 1),
        ("x.__class__", "attribute access is only allowed as params.NAME or vars.NAME", 1),
        ("params.__class__", "names starting with '__' are not allowed: '__class__'", 1),
        ("__import__", "names starting with '__' are not allowed: '__import__'", 1),
        ("1 + __builtins__", "names starting with '__' are not allowed", 5),
        ("Name.upper()", "only library functions can be called", 1),
        ("a.b", "attribute access is only allowed as params.NAME or vars.NAME", 1),
        ("params.a.b", "attribute access is only allowed as params.NAME or vars.NAME", 1),
        ("params", "'params' must be followed by '.NAME'", 1),
        ("1 + vars", "'vars' must be followed by '.NAME'", 5),
        ("[x for x in y]", "comprehensions are not allowed", 1),
        ("{x for x in y}", "comprehensions are not allowed", 1),
        ("{x: 1 for x in y}", "comprehensions are not allowed", 1),
        ("upper(x for x in y)", "generator expressions are not allowed", 6),
        ("f'{Name}'", "f-strings are not allowed", 1),
        ("Name[0]", "subscripts ([...]) are not allowed", 1),
        ("upper(*a)", "starred arguments (*) are not allowed", 7),
        ("upper(**a)", "keyword unpacking (**) is not allowed", 9),
        ("(y := 1)", "assignment expressions (:=) are not allowed", 2),
        ("{1, 2}", "set literals are not allowed", 1),
        ("{'a': 1}", "dict literals are not allowed", 1),
        ("upper(Name, x=1)", "upper() has no keyword argument 'x'", 15),
        ("foo(1)", "unknown function 'foo'", 1),
        ("uper(Name)", "unknown function 'uper'; did you mean 'upper'?", 1),
        ("params.f(1)", "only library functions can be called", 1),
        ("(lambda: 1)()", "only library functions can be called", 1),
        ("a & b", "operator '&' is not allowed", 1),
        ("a | b", "operator '|' is not allowed", 1),
        ("a ^ b", "operator '^' is not allowed", 1),
        ("a << 2", "operator '<<' is not allowed", 1),
        ("a >> 2", "operator '>>' is not allowed", 1),
        ("~a", "operator '~' is not allowed", 1),
        ("a @ b", "operator '@' is not allowed", 1),
        ("[1, 2]", "list and tuple literals are only allowed after 'in'", 1),
        ("1, 2", "list and tuple literals are only allowed after 'in'", 1),
        ("[1] in a", "list and tuple literals are only allowed after 'in'", 1),
        ("a in [1] < b", "list and tuple literals are only allowed after 'in'", 6),
        ("a is 1", "'is' and 'is not' are only allowed with None", 6),
        ("1j", "complex numbers are not allowed", 1),
        ("b'x'", "bytes literals are not allowed", 1),
        ("...", "'...' is not allowed", 1),
        ("upper()", "upper() takes 1 argument, not 0", 1),
        ("substr('a')", "substr() takes 2 to 3 arguments, not 1", 1),
        ("min()", "min() takes at least 1 argument, not 0", 1),
        ("round(1, 2, ndigits=3)", "round() got an argument both by position and by keyword", 1),
        ("field(Name)", "field() takes one string literal", 1),
        ("field('a', 'b')", "field() takes one string literal", 1),
        ("é + {1}", "set literals are not allowed", 5),
        ("   {1}", "set literals are not allowed", 4),
        ("(1 +\n {2})", "set literals are not allowed", 7),
        ("1 +", "syntax error: invalid syntax", None),
        ("(1", "syntax error: '(' was never closed", 1),
        ("", "empty expression", 1),
        ("x = 1", "syntax error", None),
        ("await x", "await is not allowed", 1),
        ("(yield)", "yield is not allowed", 2),
        ("import os", "syntax error", None),
    ],
)
def test_refuses_everything_else(text: str, message: str, column: int | None) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert message in caught.value.message
    assert caught.value.expression == text
    if column is not None:
        assert caught.value.column == column
        assert f"(column {column})" in str(caught.value)


def test_compile_refuses_what_parse_refuses() -> None:
    with pytest.raises(ExpressionError, match="lambda"):
        compile_expression("lambda: 1")


def test_length_limit() -> None:
    parse_expression("'" + "a" * (MAX_TEXT_LENGTH - 2) + "'")
    with pytest.raises(ExpressionError, match="longer than 10,000 characters"):
        parse_expression("1" * (MAX_TEXT_LENGTH + 1))


def test_depth_limit() -> None:
    parse_expression("(" * (MAX_DEPTH - 2) + "-1" + ")" * (MAX_DEPTH - 2))
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("-" * (MAX_DEPTH + 1) + "1")
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("+".join(["1"] * 200))


@pytest.mark.parametrize(
    "text", ["(" * 5000 + ")" * 5000, "-" * 9999 + "1", "not " * 2400 + "1", "1" * 9000]
)
def test_pathological_text_is_an_expression_error(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse_expression(text)


def test_not_text() -> None:
    with pytest.raises(ExpressionError, match="must be text"):
        parse_expression(3)  # type: ignore[arg-type]


def test_null_byte() -> None:
    with pytest.raises(ExpressionError, match="syntax error"):
        parse_expression("1\x00")


NAMES = ExpressionNames(
    fields=frozenset({"Total", "Order Details", "Name"}),
    params=frozenset({"start"}),
    vars=frozenset({"grand_total"}),
)


def test_check_accepts_known_names() -> None:
    text = "Total + field('Order Details') + params.start + vars.grand_total + row_number"
    assert check_expression(text, NAMES) == []


def test_check_reports_every_unknown_name() -> None:
    problems = check_expression(
        "Totl + field('Order Detail') + params.strt + vars.x + foo(1)", NAMES
    )
    assert problems == [
        "unknown function 'foo' (column 55)",
        "unknown field 'Totl'; did you mean 'Total'?",
        "unknown field 'Order Detail'; did you mean 'Order Details'?",
        "unknown parameter 'strt'; did you mean 'start'?",
        "unknown variable 'x'",
    ]


def test_check_fields_unknown_are_not_checked() -> None:
    names = ExpressionNames(fields=None, params=frozenset(), vars=frozenset())
    assert check_expression("Anything + Else", names) == []
    assert check_expression("params.p", names) == ["unknown parameter 'p'"]


def test_check_returns_a_syntax_problem() -> None:
    assert check_expression("1 +", NAMES) == ["syntax error: invalid syntax (column 1)"]
    assert check_expression("lambda: 1", NAMES) == ["lambda is not allowed (column 1)"]


def test_reserved_names_are_not_fields() -> None:
    compiled = compile_expression("row_number + group_row_number")
    assert compiled.fields == frozenset()
    assert compiled.uses_row_number
    assert check_expression("row_number", ExpressionNames(fields=frozenset())) == []
