"""The report file itself as an attack: a FIFO or a device as REPORT.ashr, an oversized file, a
million bands, deep nesting — each refused at once with one line (exit 2), never a hang, a
MemoryError or a RecursionError."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.engine.render.helpers import ROOT
from tests.security.conftest import engine

#: no refusal here may take longer (a hang or a memory blow-up would)
TIMEOUT = 20


def one_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr
    assert "RecursionError" not in proc.stderr and "MemoryError" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    return line


def header(**keys: object) -> str:
    data = {"format": "ashr", "version": 2, "name": "big", **keys}
    return json.dumps(data)[:-1]  # open: the caller appends more keys and the closing brace


@pytest.mark.parametrize("command", ["render", "validate"])
def test_a_fifo_as_the_report_is_refused_at_once(victim, command):
    fifo = victim / "reports" / "fifo.ashr"
    os.mkfifo(fifo)
    out = victim / "reports" / "out.pdf"
    args = ["-o", out] if command == "render" else []
    started = time.monotonic()
    proc = engine(command, fifo, *args)
    assert time.monotonic() - started < TIMEOUT
    assert proc.returncode == 2
    line = one_line(proc)
    assert line.startswith(f"{fifo}: ")
    assert "not a regular file" in line
    assert not out.exists()


def test_dev_zero_as_the_report_is_refused(victim):
    out = victim / "reports" / "out.pdf"
    proc = engine("render", "/dev/zero", "-o", out)
    assert proc.returncode == 2
    line = one_line(proc)
    assert line.startswith("/dev/zero: ") and "not a regular file" in line
    assert not out.exists()


def test_the_designer_loader_refuses_a_fifo_without_blocking(victim):
    """`read_report` is what the designer opens files with: diagnostics, never a hang."""
    fifo = victim / "reports" / "fifo.ashr"
    os.mkfifo(fifo)
    code = (
        "import sys; from engine.model import read_report; "
        "r = read_report(sys.argv[1]); print(r.report is None, r.errors[0].message)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(fifo)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("True ")
    assert "not a regular file" in proc.stdout


def test_a_report_over_16_mb_is_refused_naming_the_limit(victim):
    path = victim / "reports" / "huge.ashr"
    path.write_text(header() + ', "x_pad": "' + "a" * (17 * 2**20) + '"}', encoding="utf-8")
    out = victim / "reports" / "out.pdf"
    proc = engine("render", path, "-o", out)
    assert proc.returncode == 2
    line = one_line(proc)
    assert line.startswith(f"{path}: ")
    assert "over the 16 MB limit" in line and "--max-input-mb" in line
    assert not out.exists()


def test_a_million_empty_bands_is_refused_before_it_is_built(victim):
    path = victim / "reports" / "million.ashr"
    path.write_text(header() + ', "bands": [' + ",".join(["{}"] * 1_000_001) + "]}", "utf-8")
    started = time.monotonic()
    proc = engine("validate", path)
    assert time.monotonic() - started < 10
    assert proc.returncode == 2
    line = one_line(proc)
    assert line.startswith(f"{path}: ")
    assert "more than 1,000,000 JSON values" in line


def test_more_bands_than_a_report_holds_is_refused(victim):
    band = {"type": "detail", "height": 10}
    path = victim / "reports" / "bands.ashr"
    path.write_text(header() + ', "bands": ' + json.dumps([band] * 10_001) + "}", "utf-8")
    proc = engine("validate", path)
    assert proc.returncode == 2
    assert one_line(proc) == (
        f"{path}: bands: 10,001 bands, more than the 10,000 a report may hold"
    )


def test_more_elements_than_a_report_holds_is_refused(victim):
    label = {"type": "label", "x": 0, "y": 0, "width": 10, "height": 10, "text": "x"}
    bands = [{"type": "detail", "height": 10, "elements": [label] * 20_001} for _ in range(5)]
    path = victim / "reports" / "elements.ashr"
    path.write_text(header() + ', "bands": ' + json.dumps(bands) + "}", "utf-8")
    proc = engine("validate", path)
    assert proc.returncode == 2
    assert one_line(proc) == (
        f"{path}: bands: 100,005 elements, more than the 100,000 a report may hold"
    )


@pytest.mark.parametrize("depth", [101, 5_000, 200_000])
def test_deep_nesting_is_a_clear_diagnostic(victim, depth):
    path = victim / "reports" / "deep.ashr"
    path.write_text(header() + ', "x_deep": ' + "[" * depth + "]" * depth + "}", "utf-8")
    proc = engine("validate", path)
    assert proc.returncode == 2
    assert one_line(proc) == (
        f"{path}: objects and arrays nest more than 100 deep; a report nests about 12"
    )


def test_a_report_of_normal_depth_and_size_still_loads(victim):
    band = {"type": "detail", "height": 10, "elements": []}
    path = victim / "reports" / "fine.ashr"
    path.write_text(header() + ', "bands": ' + json.dumps([band] * 500) + "}", "utf-8")
    proc = engine("validate", path)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1e999999", "the number 1e999999 is too large; write numbers a report can use"),
        ("-1e999", "the number -1e999 is too large; write numbers a report can use"),
        (
            "1" * 5000,
            "a whole number has 5,000 digits (at most 100); write numbers a report can use",
        ),
    ],
)
def test_numbers_too_large_to_mean_anything_are_refused(victim, number, message):
    """Infinity from an overflowing literal could not even be saved back (JSON has none)."""
    path = victim / "reports" / "numbers.ashr"
    path.write_text(header() + ', "x_note": ' + number + "}", "utf-8")
    proc = engine("validate", path)
    assert proc.returncode == 2
    assert one_line(proc) == f"{path}: {message}"
