"""Raw values → typed values: inference rules, converters and the generated row builder."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.data.conversion import (
    converter,
    find_bad_value,
    infer_text_type,
    infer_value_type,
    row_builder,
)


@pytest.mark.parametrize(
    ("values", "expected"),
    [(["1", "-2", None], "integer"), (["1", "2.50"], "decimal"), ([".5", "3."], "decimal"),
     (["007"], "string"), (["true", "False"], "boolean"), (["2024-01-01", "2024-02-29"], "date"),
     (["2024-01-01", "2024-01-01 10:00"], "datetime"), (["2024-01-01T10:00:00+02:00"], "datetime"),
     (["1", "x"], "string"), (["1e5"], "string"), ([None, None], None)],
)  # fmt: skip
def test_infer_text_type(values, expected):
    assert infer_text_type(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 2], "integer"), ([1, 2.5], "float"), ([1, Decimal("2.5")], "decimal"), ([True], "boolean"),
     (["2024-01-01"], "date"), (["2024-01-01 00:00:00"], "datetime"), (["12"], "string"),
     ([b"x"], "bytes"), ([1, "a"], "string"), ([None], None)],
)  # fmt: skip
def test_infer_value_type(values, expected):
    assert infer_value_type(values) == expected


def test_converters_from_driver_values():
    assert converter("decimal")(1.98) == Decimal("1.98")
    assert converter("decimal")(3) == Decimal(3)
    assert converter("datetime")("2021-01-01 00:00:00") == dt.datetime(2021, 1, 1)
    assert converter("date")("2021-01-01 00:00:00") == dt.date(2021, 1, 1)
    assert converter("boolean")(1) is True and converter("boolean")(0) is False
    assert converter("string")(12) == "12" and converter("integer")(Decimal("4")) == 4
    assert converter("bytes")(memoryview(b"ab")) == b"ab"
    assert all(converter(kind)(None) is None for kind in ("string", "decimal", "date", "bytes"))
    with pytest.raises(ValueError, match="is not a whole number"):
        converter("integer")("abc")


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
    )
)
def test_float_from_decimal_text_comes_back_exact(value):
    # SQLite hands NUMERIC(10,2) values over as floats parsed from their text
    assert converter("decimal")(float(str(value))) == value


@given(st.lists(st.tuples(st.integers(), st.text(), st.none() | st.integers()), max_size=20))
def test_row_builder_matches_dict_zip(rows):
    names = ["a", "b c", "k0"]  # names that look like the generated identifiers must not clash
    build = row_builder(names, [None, None, converter("string")])
    expected = [
        dict(zip(names, (a, b, None if c is None else str(c)), strict=True)) for a, b, c in rows
    ]
    assert build(rows) == expected


def test_find_bad_value():
    rows = [("1", "2"), ("3", "x")]
    assert find_bad_value(rows, ["a", "b"], [None, converter("integer")]) == (
        1, "b", "'x' is not a whole number such as 42",
    )  # fmt: skip


_DECIMAL_TEXTS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    st.sampled_from(["1_000", "NaN", "Infinity", "-inf", " 2.5 ", "1e3", "abc", "", "+-1", "3.",
                     "1e999999999", "0e-5000", "9" * 101, "1." + "0" * 100]),
)  # fmt: skip


def _column_equals_values(field_type: str, texts: list[str]) -> None:
    """A chunk converted a column at a time gives what each value's converter gives; a refused value is refused."""
    convert = converter(field_type)
    build = row_builder(["v"], [convert])
    try:
        expected = [convert(text) for text in texts]
    except (ValueError, ArithmeticError):
        with pytest.raises((ValueError, ArithmeticError)):
            build([(text,) for text in texts])
        return
    got = [row["v"] for row in build([(text,) for text in texts])]
    assert got == expected
    assert [type(value) for value in got] == [type(value) for value in expected]


@given(st.lists(_DECIMAL_TEXTS, min_size=1, max_size=12))
def test_decimal_column_fast_path_equals_the_value_converter(texts):
    _column_equals_values("decimal", texts)


@given(st.lists(st.one_of(st.dates().map(dt.date.isoformat), st.sampled_from(
    ["2024-02-30", "20240131", "2024-01-31 10:00:00", "2024-1-1", "x" * 10]
)), min_size=1, max_size=12))  # fmt: skip
def test_date_column_fast_path_equals_the_value_converter(texts):
    _column_equals_values("date", texts)


def test_native_column_left_alone_unless_a_value_needs_converting():
    build = row_builder(["n", "s"], [converter("integer"), converter("string")])
    assert build([(1, "a"), (None, "b")]) == [{"n": 1, "s": "a"}, {"n": None, "s": "b"}]
    assert build([(Decimal("2"), True), (3, "c")]) == [
        {"n": 2, "s": "true"},
        {"n": 3, "s": "c"},
    ]
    with pytest.raises(ValueError):
        build([(1, "a"), ("x", "b")])


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [("integer", Decimal("1e999999999"), "has too large an exponent"),
     ("integer", "1" * 1_000_000, "(1,000,000 characters) is too long"),
     ("decimal", "1e999999999", "'1e999999999' has too large an exponent"),
     ("decimal", "0e-1001", "has too large an exponent"),
     ("decimal", "1" * 101, "has too many digits"),
     ("float", "1e400", "is not a number such as 0.5"),
     ("float", "nan", "is not a number such as 0.5")],
)  # fmt: skip
def test_numbers_over_the_caps_are_refused_at_once(kind, value, message):
    # int(Decimal("1e999999999")) alone would run for hours and take gigabytes
    with pytest.raises(ValueError, match=re.escape(message)):
        converter(kind)(value)
    with pytest.raises(ValueError, match=re.escape(message)):
        row_builder(["v"], [converter(kind)])([(value,)])


def test_numbers_at_the_caps_convert():
    assert converter("decimal")("9" * 100) == Decimal("9" * 100)
    assert converter("decimal")("-1e-1000") == Decimal("-1e-1000")
    assert converter("integer")(Decimal("1e100")) == 10**100
    assert converter("float")("1e-300") == 1e-300


def test_text_too_long_for_a_number_is_inferred_as_text():
    assert infer_text_type(["1" * 101]) == "string"
    assert infer_text_type(["1" * 100, "2"]) == "integer"
    assert infer_text_type(["0." + "5" * 98]) == "decimal"
