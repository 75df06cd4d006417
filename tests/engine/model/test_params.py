"""Parameter text → typed values: numbers within the digit and exponent caps, refusals naming the parameter."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import ParameterError
from engine.model import Report, parse_param_args, report_from_data, resolve_parameters
from engine.model.values import MAX_DIGITS, MAX_EXPONENT, convert_value


def _report(kind: str) -> Report:
    data = {
        "format": "ashr",
        "version": 2,
        "name": "p",
        "parameters": [{"name": "x", "type": kind}],
    }
    report = report_from_data(data).report
    assert report is not None
    return report


@pytest.mark.parametrize("kind", ["integer", "decimal", "float"])
@pytest.mark.parametrize(
    ("text", "why"),
    [("1e999999999", "'1e999999999' has too large an exponent"),
     ("-1e-999999999", "'-1e-999999999' has too large an exponent"),
     ("0e999999999", "'0e999999999' has too large an exponent"),
     ("1" * 1_000_000, "… (1,000,000 characters) is too long"),
     ("1" * 101, "has too many digits")],
)  # fmt: skip
def test_numbers_over_the_caps_are_refused_naming_the_parameter(kind, text, why):
    started = time.perf_counter()
    with pytest.raises(ParameterError) as caught:
        resolve_parameters(_report(kind), parse_param_args([f"x={text}"]))
    assert time.perf_counter() - started < 1  # refused, not computed
    message = caught.value.message
    assert message.startswith("parameter 'x': ") and why in message
    assert f"at most {MAX_DIGITS} digits and an exponent of at most ±{MAX_EXPONENT}" in message
    assert len(message) < 300


def test_numbers_at_the_caps_are_accepted():
    assert convert_value("integer", "9" * 100) == int("9" * 100)
    assert convert_value("decimal", "1e1000") == Decimal("1e1000")
    assert convert_value("decimal", "-0.5e-999") == Decimal("-0.5e-999")
    assert convert_value("decimal", "0." + "0" * 150 + "1") == Decimal("1e-151")
    assert convert_value("float", "1.7976931348623157e308") == 1.7976931348623157e308


@pytest.mark.parametrize(
    ("kind", "text"),
    [("integer", "1_000"), ("decimal", "1_000"), ("float", "1_000"), ("float", "inf"),
     ("float", "nan"), ("float", "1e400"), ("decimal", "NaN"), ("decimal", "-Infinity")],
)  # fmt: skip
def test_python_only_spellings_and_non_finite_numbers_are_refused(kind, text):
    with pytest.raises(ValueError, match=f"'{text}' is not "):
        convert_value(kind, text)


@given(st.text(max_size=300))
def test_any_text_converts_or_gives_a_short_value_error(text):
    for kind in ("integer", "decimal", "float"):
        try:
            value = convert_value(kind, text)
        except ValueError as exc:
            assert len(str(exc)) < 300
        else:
            assert isinstance(value, {"integer": int, "decimal": Decimal, "float": float}[kind])
