"""Hypothesis: expressions built to exhaust resources (deep trees of every shape, values at the size
caps, the functions that grow text) give an ExpressionError on compile or a value within the caps
or an EvaluationError on a row — never RecursionError, MemoryError or another exception, never a
hang, and printing the value is bounded too.

tests/engine/expr/test_fuzz.py covers the grammar (nothing outside it is accepted) with small
values; this file aims at the caps."""

from __future__ import annotations

import contextlib
import os
import time
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import EvaluationError, ExpressionError
from engine.expr import Env, compile_expression, default_text
from engine.expr.limits import MAX_INT_DIGITS, MAX_PLAIN_DIGITS, MAX_STRING_LENGTH

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: one compile or one evaluation slower than this is a hang in the making
SLOW = 5.0

# -- deep trees of every shape ------------------------------------------------------------------

_WRAPS = st.sampled_from(
    [("(", ")"), ("-", ""), ("-(", ")"), ("not ", ""), ("upper(", ")"), ("abs(", ")"),
     ("concat(", ", 'x')"), ("(a if ", " else a)"), ("[", "]"), ("a in [", "]"), ("+", ""),
     ("a ** ", ""), ("a + ", ""), ("(a * ", ")"), ("coalesce(", ")"), ("params.p + ", "")]
)  # fmt: skip


@FUZZ
@given(st.lists(st.tuples(_WRAPS, st.integers(1, 3_000)), min_size=1, max_size=3))
def test_deep_trees_compile_or_raise_expression_error(layers: list[tuple[tuple[str, str], int]]):
    text = "a"
    for (opening, closing), depth in layers:
        text = opening * depth + text + closing * depth
    started = time.monotonic()
    try:
        compiled = compile_expression(text)
    except ExpressionError as error:
        assert len(str(error)) < 500
    else:
        with contextlib.suppress(EvaluationError):
            compiled(Env(row={"a": 1}, params={"p": 1}, vars={}))
    assert time.monotonic() - started < SLOW


# -- values at the caps -------------------------------------------------------------------------

#: row values at and just over what the language itself produces
_BIG = {
    "s": "x" * MAX_STRING_LENGTH,
    "h": "ab" * (MAX_STRING_LENGTH // 4),
    "i": 10 ** (MAX_INT_DIGITS - 1),
    "j": -(10 ** (MAX_INT_DIGITS - 1)) + 7,
    "d": Decimal("9.999999999999999999999999999E+9999"),
    "e": Decimal("1E-9999"),
    "x": Decimal("1E+999999999"),  # from a data source: beyond the language's own range
    "f": 1.7976931348623157e308,
    "n": float("nan"),
    "t": float("inf"),
    "z": 0,
}
_leaves = st.sampled_from(
    [*_BIG, "2", "10", "1000000", "-1", "0.5", "999999", "10**3999", "'x'", "''", "'ab' * 1000"]
)
_binary = st.sampled_from(["+", "-", "*", "/", "//", "%", "**"])
_growers = st.sampled_from(["concat({}, {})", "replace({}, 'x', {})", "replace({}, 'a', 'aaaaaaaaaa')",
                            "str({})", "upper({})", "format({}, '#,##0.00')", "format({}, '0.' + '0' * 900)",
                            "round({}, 900)", "int({})", "decimal({})", "float({})", "str({}) * 3",
                            "concat({}, {}, {}, {})", "lower(str({}))", "abs({})"])  # fmt: skip


def _grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda a, o, b: f"({a} {o} {b})", children, _binary, children),
        st.builds(lambda g, a, b: g.format(a, b, a, b), _growers, children, children),
    )


_EXPRESSIONS = st.recursive(_leaves, _grow, max_leaves=6)


def _size_ok(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_STRING_LENGTH
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() <= MAX_INT_DIGITS * 3.33 + 64
    return True


@FUZZ
@given(_EXPRESSIONS)
def test_values_at_the_caps_stay_within_them(text: str) -> None:
    env = Env(row=dict(_BIG), params={}, vars={})
    started = time.monotonic()
    try:
        value = compile_expression(text)(env)
    except (ExpressionError, EvaluationError) as error:
        assert len(str(error)) < 2_000  # the message never carries a huge value
        return
    finally:
        assert time.monotonic() - started < SLOW, text
    assert _size_ok(value), text
    try:
        printed = default_text(value)
    except EvaluationError:
        return
    assert len(printed) <= max(MAX_STRING_LENGTH, MAX_PLAIN_DIGITS + 30), text


@FUZZ
@given(st.text(max_size=300))
def test_text_conversions_of_any_text_are_bounded(text: str) -> None:
    """int/decimal/float/date of any text from a row: a value or an EvaluationError, at once."""
    env = Env(row={"t": text}, params={}, vars={})
    for function in ("int", "decimal", "float", "date", "str", "len"):
        started = time.monotonic()
        try:
            value = compile_expression(f"{function}(t)")(env)
        except EvaluationError:
            continue
        assert time.monotonic() - started < SLOW
        assert _size_ok(value)
        default_text(value)


_NUMBER_TEXTS = st.one_of(
    st.from_regex(r"\A[ ]?[-+]?[0-9]{0,6}(\.[0-9]{0,6})?([eE][-+]?[0-9]{1,12})?[ ]?\Z"),
    st.sampled_from(["1e999999999", "-1E+999999999", "0e999999999", "1e-999999999", "9" * 5000,
                     "NaN", "sNaN", "-Infinity", "inf", "1_000", "١٢٣", "１２３", "0x10", "1e"]),
)  # fmt: skip


@FUZZ
@given(_NUMBER_TEXTS)
def test_number_text_never_hangs_int_or_decimal(text: str) -> None:
    env = Env(row={"t": text}, params={}, vars={})
    for expression in ("int(t)", "decimal(t)", "str(decimal(t))", "int(decimal(t)) + 1",
                       "format(decimal(t), '#,##0.00')", "round(decimal(t), 2)"):  # fmt: skip
        started = time.monotonic()
        try:
            value = compile_expression(expression)(env)
        except EvaluationError:
            continue
        finally:
            assert time.monotonic() - started < SLOW, (expression, text)
        assert _size_ok(value)
        assert len(default_text(value)) <= MAX_STRING_LENGTH
