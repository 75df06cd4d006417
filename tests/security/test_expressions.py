"""Expressions as an attack: deep nesting is an ExpressionError on load (never RecursionError),
results that would blow up memory or time are an EvaluationError naming the element (never a
hang, a MemoryError or a gigabyte string)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from engine.errors import EvaluationError, ExpressionError
from engine.expr import Env, compile_expression
from tests.engine.render.helpers import ROOT

TIMEOUT = 20

#: expressions the parser must refuse: each is far deeper than any report needs
DEEP = {
    "parentheses": "(" * 100_000 + "1" + ")" * 100_000,
    "negations": "-(" * 100_000 + "1" + ")" * 100_000,
    "a chain of +": "a+" * 100_000 + "a",
    # the same shapes under the 10,000-character text limit: the depth check itself answers
    "short parentheses": "(" * 4_000 + "1" + ")" * 4_000,
    "short minus signs": "-" * 9_000 + "1",
    "short chain of +": "a+" * 4_900 + "a",
    "short chain of **": "a**" * 3_000 + "a",
    "nested calls": "upper(" * 1_600 + "'x'" + ")" * 1_600,
    "not not not": "not " * 2_400 + "a",
    "nested conditionals": "a if a else " * 800 + "a",
    "nested lists": "a in " + "[" * 3_000 + "]" * 3_000,
}

#: (expression, what the message says) evaluated at run time
BLOW_UPS = {
    "'x' * 10**9": "string result too long",
    "'ab' * 10**8": "string result too long",
    "10 ** 10 ** 10": "integer result too large",
    "str(10**100000)": "integer result too large",
    "(10**3999) * (10**3999)": "integer result too large",
    "concat('a' * 999999, 'a' * 999999)": "string result too long",
    "'a' * 999999 + 'a' * 999999": "string result too long",
    "replace('a' * 1000, 'a', 'a' * 1001)": "string result too long",
    "replace(concat('ab' * 10000), 'b', 'b' * 100)": "string result too long",
    "1.5 ** 999999999": "exponent too large",
    "1.5 ** 999999": "number too large",
    "0.1 ** -999999": "number too large",
    "int('1e999999999')": "number out of range",
    "int(decimal('1e9999'))": "integer result too large",
    "decimal('9' * 100000)": "too many digits",
    "str(decimal('1e999999999'))": "number out of range",
    "round(1.5, 10**9)": "ndigits between",
}


def _row_env() -> Env:
    return Env(row={"a": 1}, params={}, vars={})


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_an_expression_error(text: str) -> None:
    started = time.monotonic()
    with pytest.raises(ExpressionError) as caught:
        compile_expression(text)
    assert time.monotonic() - started < 2
    message = str(caught.value)
    assert any(
        reason in message
        for reason in ("nested too deeply", "too complex", "nested parentheses", "longer than")
    ), message


def test_a_long_flat_chain_of_and_evaluates_without_recursion() -> None:
    # flat, not deep: `a and a and …` 3,000 times is within the text limit and must just work
    assert compile_expression("a and " * 1_600 + "a")(_row_env()) == 1
    assert compile_expression("0 or " * 1_600 + "a")(_row_env()) == 1
    assert compile_expression("a and " * 1_600 + "0")(_row_env()) == 0


@pytest.mark.parametrize("text, reason", BLOW_UPS.items(), ids=BLOW_UPS.keys())
def test_results_over_the_caps_are_an_evaluation_error(text: str, reason: str) -> None:
    started = time.monotonic()
    with pytest.raises(EvaluationError) as caught:
        compile_expression(text)(_row_env())
    assert time.monotonic() - started < 2
    assert reason in str(caught.value)
    assert len(str(caught.value)) < 600  # the message never carries the huge value


@pytest.mark.parametrize(
    "pattern",
    ["'MMMM ' * 200000", "'0.' + '0' * 999990", "'x' * 100000 + '{'", "'¤' * 100000"],
)
def test_a_huge_format_pattern_from_data_is_refused_with_a_short_message(pattern: str) -> None:
    # the pattern comes from a row: it is only known at run time
    row = {"p": compile_expression(pattern)(_row_env()), "d": dt.date(2024, 9, 1), "n": 10**3999}
    for value in ("d", "n"):
        started = time.monotonic()
        with pytest.raises(ExpressionError) as caught:
            compile_expression(f"format({value}, p)")(Env(row=row, params={}, vars={}))
        assert time.monotonic() - started < 2
        assert "longer than the 1,000 characters a pattern may have" in str(caught.value)
        assert len(str(caught.value)) < 300


def test_a_huge_decimal_from_data_prints_with_its_exponent() -> None:
    # a Decimal from a data source is not capped by the language: printing it must not build
    # a gigabyte of zeros
    from decimal import Decimal

    text = compile_expression("str(a)")(Env(row={"a": Decimal("1E+999999999")}, params={}, vars={}))
    assert text == "1E+999999999"


# -- through the CLI: one line naming the element, nothing written -------------------------------


def _render(report: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", "render", str(report), "-o", str(out), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "RecursionError" not in done.stderr and "MemoryError" not in done.stderr
    (line,) = done.stderr.splitlines()
    return line


def _title(write_report: Any, expression: str, **keys: Any) -> Path:
    element = {"type": "expression", "name": "boom", "x": 0, "y": 0, "width": 200, "height": 14}
    band = {"type": "title", "height": 20, "elements": [{**element, "expression": expression}]}
    return write_report(bands=[band], **keys)


def test_a_deep_expression_in_a_report_is_refused_on_load(write_report: Any, victim: Path) -> None:
    report = _title(write_report, "-(" * 100_000 + "1" + ")" * 100_000)
    out = victim / "out.pdf"
    done = _render(report, out)
    assert done.returncode == 2
    line = _one_line(done)
    assert line.startswith(f"{report}: bands[0].elements[0].expression: ")
    assert "longer than 10,000 characters" in line
    assert not out.exists()


def test_a_deep_but_short_expression_in_a_report_is_refused_on_load(write_report, victim) -> None:
    report = _title(write_report, "-" * 9_000 + "1")
    out = victim / "out.pdf"
    done = _render(report, out)
    assert done.returncode == 2
    line = _one_line(done)
    assert line.startswith(f"{report}: bands[0].elements[0].expression: ")
    assert not out.exists()


@pytest.mark.parametrize(
    "expression, reason",
    [("'x' * 10**9", "string result too long"), ("10 ** 10 ** 10", "integer result too large")],
)
def test_a_blow_up_at_run_time_names_the_element(write_report, victim, expression, reason):
    report = _title(write_report, expression)
    out = victim / "out.pdf"
    done = _render(report, out)
    assert done.returncode == 1
    line = _one_line(done)
    assert line.startswith(f"{report}: bands[0].elements[0] (expression 'boom'): ")
    assert reason in line
    assert not out.exists()


def test_a_parameter_that_would_hang_int_is_refused(write_report, victim) -> None:
    parameters = [{"name": "n", "type": "string", "default": ""}]
    report = _title(write_report, "int(params.n)", parameters=parameters)
    out = victim / "out.pdf"
    started = time.monotonic()
    done = _render(report, out, "--param", "n=1e999999999")
    assert time.monotonic() - started < TIMEOUT
    assert done.returncode == 1
    line = _one_line(done)
    assert "(expression 'boom')" in line and "number out of range" in line
    assert not out.exists()


def test_data_text_is_never_an_expression(write_report, victim) -> None:
    # a field holding expression text is a value, not code: it prints as written
    (victim / "reports" / "d.json").write_text(
        json.dumps([{"t": "__import__('os').system('touch pwned')"}]), encoding="utf-8"
    )
    band = {"type": "detail", "height": 14,
            "elements": [{"type": "field", "x": 0, "y": 0, "width": 500, "height": 14, "field": "t"}]}  # fmt: skip
    report = write_report(data_source={"kind": "json", "path": "d.json"}, bands=[band])
    out = victim / "out.csv"
    done = _render(report, out)
    assert done.returncode == 0, done.stderr
    assert "__import__('os').system('touch pwned')" in out.read_text(encoding="utf-8")
    assert not list(victim.rglob("pwned")) and not (ROOT / "pwned").exists()


def _memory_cap() -> None:  # runs in the child: 1.2 GB of address space, so the test cannot hurt
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1_200_000_000, 1_200_000_000))


@pytest.mark.slow
def test_a_report_printing_gigabytes_of_text_is_refused_before_the_compile(write_report, victim):
    element = {"type": "expression", "name": "fat", "x": 0, "y": 0, "width": 200, "height": 14,
               "expression": "'x' * 200000 + str(InvoiceId)"}  # fmt: skip
    report = write_report(
        data_source={"kind": "sql", "url": "sqlite:///chinook.sqlite",
                     "query": "SELECT InvoiceId FROM Invoice"},
        bands=[{"type": "detail", "height": 14, "elements": [element]}],
    )  # fmt: skip
    out = victim / "out.pdf"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "engine", "render", str(report), "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
        preexec_fn=_memory_cap,
    )  # fmt: skip
    assert time.monotonic() - started < 20
    assert done.returncode == 1
    line = _one_line(done)  # one line, no backtrace
    assert "backtrace" not in done.stderr
    assert "text" in line
    assert not out.exists()
