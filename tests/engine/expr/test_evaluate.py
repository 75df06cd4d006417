"""Evaluation: operators, None rules, Decimal exactness, names, folding, limits and error messages."""

from __future__ import annotations

import builtins
import datetime as dt
import time
from decimal import Decimal
from typing import Any

import pytest

from engine.errors import EvaluationError
from engine.expr import Env, compile_expression
from tests.engine.expr.helpers import evaluate

ROW = {"a": 7, "b": 2, "d": Decimal("1.10"), "f": 0.5, "s": "abc", "n": None, "Order Details": 3}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2", 3),
        ("a - b", 5),
        ("a * b", 14),
        ("a / b", Decimal("3.5")),
        ("6 / 3", Decimal("2")),
        ("1 / 3", Decimal("0.3333333333333333333333333333")),
        ("a // b", 3),
        ("-a // b", -4),
        ("a % b", 1),
        ("-a % b", 1),
        ("a ** b", 49),
        ("2 ** -1", Decimal("0.5")),
        ("-a", -7),
        ("+a", 7),
        ("1.5", Decimal("1.5")),
        ("0.1 + 0.2", Decimal("0.3")),
        ("d * 3", Decimal("3.30")),
        ("d + f", Decimal("1.60")),
        ("f + 1", 1.5),
        ("f * f", 0.25),
        ("d / 4", Decimal("0.275")),
        ("Decimal_half // 1", None),
        ("7.5 // 2", Decimal("3")),
        ("-7.5 // 2", Decimal("-4")),
        ("-7.5 % 2", Decimal("0.5")),
        ("7.5 % -2", Decimal("-0.5")),
        ("1.5 ** 2", Decimal("2.25")),
        ("4 ** 0.5", Decimal("2.0")),
        ("f ** 2", 0.25),
        ("'ab' + 'cd'", "abcd"),
        ("'ab' * 3", "ababab"),
        ("2 * 'ab'", "abab"),
        ("'ab' * -1", ""),
        ("1_000 + 1e3", Decimal("2000")),
    ],
)
def test_arithmetic(text: str, expected: Any) -> None:
    row = {**ROW, "Decimal_half": None}
    result = evaluate(text, row)
    assert result == expected
    assert type(result) is type(expected)


def test_decimal_exactness() -> None:
    assert evaluate("0.1 + 0.2") == Decimal("0.3")
    assert evaluate("Price * Qty", {"Price": Decimal("19.99"), "Qty": 3}) == Decimal("59.97")
    assert evaluate("x + 0.1", {"x": 0.2}) == Decimal("0.3")  # float through its repr
    assert str(evaluate("1.10 + 0")) == "1.10"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 < 2", True),
        ("2 <= 2", True),
        ("3 > 4", False),
        ("4 >= 5", False),
        ("1 == 1", True),
        ("1 != 1", False),
        ("1 < a < 10", True),
        ("1 < a < 5", False),
        ("d == 1.1", True),
        ("f == 0.5", True),
        ("d > f", True),
        ("'a' < 'b'", True),
        ("a in [1, 7]", True),
        ("a not in (1, 7)", False),
        ("a in [b, 7]", True),
        ("'b' in s", True),
        ("'z' not in s", True),
        ("d in [1.1, 2]", True),
        ("f in [0.5]", True),
        ("True and a", 7),
        ("0 and a", 0),
        ("0 or 'x'", "x"),
        ("s or 'x'", "abc"),
        ("not a", False),
        ("not 0", True),
        ("'yes' if a > b else 'no'", "yes"),
        ("'yes' if a < b else 'no'", "no"),
        ("a > 1 and b > 1 and s == 'abc'", True),
        ("a < 1 or b < 1 or s", "abc"),
    ],
)
def test_comparisons_and_logic(text: str, expected: Any) -> None:
    assert evaluate(text, ROW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("n + 1", None),
        ("1 - n", None),
        ("n * 2", None),
        ("n / 0", None),
        ("n // 2", None),
        ("n % 2", None),
        ("n ** 2", None),
        ("-n", None),
        ("+n", None),
        ("n + 'x'", None),
        ("n < 1", False),
        ("n > 1", False),
        ("n <= 1", False),
        ("n >= 1", False),
        ("n == None", True),
        ("n != None", False),
        ("n == 0", False),
        ("n is None", True),
        ("a is not None", True),
        ("n in [1, None]", True),
        ("1 in n", False),
        ("1 not in n", False),
        ("not n", True),
        ("n and 1", None),
        ("n or 1", 1),
        ("1 if n else 2", 2),
        ("upper(n)", None),
    ],
)
def test_none_rules(text: str, expected: Any) -> None:
    assert evaluate(text, ROW) == expected


def test_names() -> None:
    env = Env(
        row={"Total": 5, "Order Details": "x"},
        params={"start": dt.date(2024, 1, 1)},
        vars={"sum": 12},
        row_number=3,
        group_row_number=1,
    )
    compiled = compile_expression(
        "concat(Total, field('Order Details'), params.start, vars.sum, row_number, group_row_number)"
    )
    assert compiled(env) == "5x2024-01-011231"
    assert compiled.fields == {"Total", "Order Details"}
    assert compiled.params == {"start"}
    assert compiled.vars == {"sum"}
    assert compiled.uses_row_number
    assert not compiled.is_constant and not compiled.is_volatile


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 / 0", "division by zero in '1 / 0'"),
        ("a // 0", "division by zero in 'a // 0'"),
        ("a % 0", "division by zero in 'a % 0'"),
        ("1.5 / 0", "division by zero in '1.5 / 0'"),
        ("f / 0", "division by zero in 'f / 0'"),
        ("0 ** -1", "division by zero in '0 ** -1'"),
        ("Missing", "no field 'Missing' in the row for 'Missing'"),
        ("params.p", "unknown parameter 'p' in 'params.p'"),
        ("vars.v", "unknown variable 'v' in 'vars.v'"),
        ("s + 1", "cannot apply '+' to str and int in 's + 1'"),
        ("s - s", "cannot apply '-' to str and str"),
        ("s * s", "cannot apply '*' to str and str"),
        ("-s", "cannot apply unary '-' to str"),
        ("+s", "cannot apply unary '+' to str"),
        ("s < 1", "cannot compare str and int with '<'"),
        ("a in s", "'in' a string needs a string on the left, not int"),
        ("1 in a", "'in' needs a list or a string on the right, not int"),
        ("(-8.0 + f) ** f", "no real result"),
        ("(0 - f) ** 0.5", "no real result"),
        ("(0 - f) ** f", "no real result"),
    ],
)
def test_evaluation_errors(text: str, message: str) -> None:
    with pytest.raises(EvaluationError) as caught:
        evaluate(text, ROW)
    assert message in str(caught.value)


def test_runtime_errors_come_per_row_not_at_compile() -> None:
    compiled = compile_expression("1 / 0")
    assert compiled.is_constant
    with pytest.raises(EvaluationError, match="division by zero"):
        compiled(Env())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("'x' * 10**9", "string result too long"),
        ("'x' * 999999 + 'xx'", "string result too long"),
        ("10 ** 10**9", "integer result too large"),
        ("2 ** 100000", "integer result too large"),
        ("(10 ** 3000) * (10 ** 3000)", "integer result too large"),
        ("1.5 ** 10**9", "exponent too large"),
        ("1.5 ** 100000", "number too large"),
        ("f ** 10**7", "exponent too large"),
        ("10.0 ** 10000", "cannot evaluate '10.0 \\*\\* 10000': number too large"),
        ("big ** 2", "number too large"),
        ("replace(s * 1000, 'a', 'a' * 1000)", "string result too long"),
        ("concat(s * 500000, s * 500000)", "string result too long"),
    ],
)
def test_resource_bounds_fail_fast(text: str, message: str) -> None:
    start = time.perf_counter()
    with pytest.raises(EvaluationError, match=message):
        evaluate(text, {**ROW, "big": 1e300})
    assert time.perf_counter() - start < 1.0


def test_big_but_allowed_results() -> None:
    assert evaluate("2 ** 1000") == 2**1000
    assert len(evaluate("'ab' * 500000")) == 1_000_000


def test_bare_field_is_one_closure() -> None:
    compiled = compile_expression("Total")
    closure = compiled.raw
    assert closure.__code__.co_names == ("row",)
    assert closure(Env(row={"Total": 1})) == 1


def test_constant_folding() -> None:
    compiled = compile_expression("1 + 2 * 3 if True else Missing")
    assert compiled.raw(Env()) == 7
    assert compile_expression("date('2024-01-31')").is_constant
    assert compile_expression("upper('a') + 'b'")(Env()) == "Ab"


def test_env_defaults_and_repr() -> None:
    env = Env()
    assert env.row == {} and env.params == {} and env.vars == {}
    assert env.row_number == 0 and env.group_row_number == 0
    assert "row_number=0" in repr(env)
    with pytest.raises(AttributeError):
        env.other = 1  # type: ignore[attr-defined]


def test_compiled_expression_repr() -> None:
    assert repr(compile_expression("a + 1")) == "CompiledExpression('a + 1')"


def test_long_text_is_shortened_in_messages() -> None:
    text = "1 / 0 + len('" + "a" * 300 + "')"
    with pytest.raises(EvaluationError) as caught:
        evaluate(text, {"a": 1})
    assert "..." in str(caught.value)


def test_never_calls_eval_exec_or_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    import ast

    real_compile = builtins.compile

    def only_ast(
        source: Any, filename: Any, mode: str, flags: int = 0, *args: Any, **kw: Any
    ) -> Any:
        assert flags & ast.PyCF_ONLY_AST, "compile() was asked for code, not an AST"
        return real_compile(source, filename, mode, flags, *args, **kw)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("eval/exec called")

    monkeypatch.setattr(builtins, "compile", only_ast)
    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    compiled = compile_expression("upper(s) + str(a / b) if a > 1 else format(d, '0.0')")
    assert compiled(Env(row=ROW)) == "ABC3.5"
