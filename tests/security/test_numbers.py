"""Numbers from text (parameters, CSV cells, JSON numbers): digit and exponent caps, a clear refusal, never a hang."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest

from tests.security.test_files import assert_refused, engine, listing

CAPS = "(a number may have at most 100 digits and an exponent of at most ±1000)"


def params_report(write_report: Any, victim: Path, element: dict[str, Any] | None = None) -> Path:
    """A report with an integer, a decimal and a float parameter over a one-row CSV file."""
    (victim / "reports" / "one.csv").write_text("Secret\nx\n", encoding="utf-8")
    params = [
        {"name": n, "type": t} for n, t in (("n", "integer"), ("d", "decimal"), ("f", "float"))
    ]
    bands = listing()
    if element is not None:
        bands[0]["elements"].append(element)
        bands[0]["height"] = 40
    return write_report(
        data_source={"kind": "csv", "path": "one.csv"}, parameters=params, bands=bands
    )


@pytest.mark.parametrize(
    ("param", "why"),
    [("n", "has too large an exponent"), ("d", "has too large an exponent"),
     ("f", "has too large an exponent")],
)  # fmt: skip
def test_a_parameter_with_a_huge_exponent_is_refused_at_once(write_report, victim, param, why):
    report = params_report(write_report, victim)
    done = engine("render", report, "-o", victim / "out.csv", "--param", f"{param}=1e999999999")
    line = assert_refused(done, 2, f"parameter '{param}': '1e999999999' {why} {CAPS}")
    assert line.startswith(f"{report}: ")
    assert not (victim / "out.csv").exists()


def test_a_parameter_of_100000_digits_is_refused_with_a_short_message(write_report, victim):
    # 100,000 digits: as long as one command-line argument may be (Linux: 128 KiB)
    report = params_report(write_report, victim)
    for param in ("n", "d", "f"):
        done = engine(
            "render", report, "-o", victim / "out.csv", "--param", f"{param}=" + "7" * 100_000
        )
        line = assert_refused(
            done, 2, f"parameter '{param}': '7777", "(100,000 characters) is too long"
        )
        assert len(line) < 400  # the value is cut, not echoed
    assert not (victim / "out.csv").exists()


def test_the_largest_allowed_decimal_prints(write_report, victim):
    """At the caps a value still renders: 1E+1000 is 1 and 1000 zeros, printed in full."""
    element = {"type": "expression", "x": 0, "y": 20, "width": 400, "height": 14,
               "expression": "len(str(params.d))"}  # fmt: skip
    report = params_report(write_report, victim, element)
    out = victim / "out.pdf"
    done = engine("render", report, "-o", out, "--param", "d=1e1000")
    assert (done.returncode, done.stderr) == (0, "")
    with pymupdf.open(out) as pdf:
        assert "1001" in pdf[0].get_text().split()


@pytest.mark.parametrize(
    ("text", "message"),
    [('[{"Secret": 1e999999999}]', "the number '1e999999999' has too large an exponent"),
     ('[{"Secret": ' + "9" * 100_000 + "}]", "the number '9999"),
     ('[{"Secret": 0.5e-999999}]', "the number '0.5e-999999' has too large an exponent"),
     ('[{"Secret": NaN}]', "'NaN' is not a JSON number; write null or a number"),
     ('[{"Secret": -Infinity}]', "'-Infinity' is not a JSON number")],
)  # fmt: skip
def test_json_numbers_over_the_caps_are_a_clear_data_error(write_report, victim, text, message):
    (victim / "reports" / "n.json").write_text(text, encoding="utf-8")
    report = write_report(data_source={"kind": "json", "path": "n.json"}, bands=listing())
    done = engine("render", report, "-o", victim / "out.csv")
    line = assert_refused(done, 1, f"{victim / 'reports' / 'n.json'}: {message}")
    assert len(line) < 400
    assert not (victim / "out.csv").exists()


@pytest.mark.parametrize(
    ("cell", "kind", "message"),
    [("1e999999999", "decimal", "'1e999999999' has too large an exponent"),
     ("1e999999999", "integer", "'1e999999999' has too large an exponent"),
     ("5" * 100_000, "integer", "(100,000 characters) is too long"),
     ("1e400", "float", "'1e400' is not a number such as 0.5")],
)  # fmt: skip
def test_csv_cells_over_the_caps_name_the_line_and_field(write_report, victim, cell, kind, message):
    (victim / "reports" / "n.csv").write_text(f"Secret\n1\n{cell}\n", encoding="utf-8")
    report = write_report(
        data_source={"kind": "csv", "path": "n.csv", "fields": [{"name": "Secret", "type": kind}]},
        bands=listing(),
    )
    done = engine("render", report, "-o", victim / "out.csv")
    assert_refused(done, 1, f"n.csv line 3, field 'Secret' ({kind}): ", message)
    assert not (victim / "out.csv").exists()


def test_a_csv_column_of_huge_numbers_is_read_as_text(write_report, victim):
    digits = "3" * 5_000
    (victim / "reports" / "n.csv").write_text(f"Secret\n{digits}\n", encoding="utf-8")
    report = write_report(data_source={"kind": "csv", "path": "n.csv"}, bands=listing())
    done = engine("fields", report)
    assert (done.returncode, done.stdout.split()) == (0, ["Secret", "string"])
