"""The render process on its own: a job in on stdin, progress, early pages and the PDF out; errors keep their class and diagnostics."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pymupdf

from designer.renderhost import wire
from designer.renderhost.job import RenderJob
from engine.errors import Diagnostic, ReportError, ReportValidationError, Severity
from engine.model import load_report

from ..conftest import INVOICES

ROOT = Path(__file__).resolve().parents[3]


def start(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "designer.renderhost.server", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
    )  # fmt: skip


def answers(process, serial):
    """Messages of job `serial` up to its outcome."""
    got = []
    while (message := wire.receive(process.stdout)) is not None:
        got.append(message)
        if message[0] in ("done", "failed", "cancelled") and message[1] == serial:
            return got
    raise AssertionError(f"the render process ended early: {got}")


def test_a_job_renders_in_the_process_and_a_repeat_takes_the_cached_rows(tmp_path):
    report = load_report(INVOICES)
    process = start("--cache")
    try:
        wire.send(
            process.stdin, ("job", RenderJob(report, {}, INVOICES.parent, serial=1), str(tmp_path))
        )
        first = answers(process, 1)
        wire.send(
            process.stdin, ("job", RenderJob(report, {}, INVOICES.parent, serial=2), str(tmp_path))
        )
        second = answers(process, 2)
    finally:
        process.stdin.close()
        assert process.wait(10) == 0  # a closed stdin ends it
    kinds = [m[0] for m in first]
    assert kinds[0] == "progress" and kinds[-2:] == ["cache", "done"]
    result = first[-1][2]
    with pymupdf.open(stream=result.pdf, filetype="pdf") as doc:
        assert doc.page_count == result.page_count > 1
        assert "INVOICE" in doc[0].get_text().upper()
    assert first[-2][1:] == (0, 1)  # (hits, misses): the first run read the database
    assert second[-2][1:] == (1, 1) and second[-1][2].cached
    assert list(tmp_path.iterdir()) == []  # its work files went to the folder given, and away


def test_a_cancel_for_a_waiting_job_skips_it(tmp_path):
    report = load_report(INVOICES)
    process = start()
    try:
        wire.send(
            process.stdin, ("job", RenderJob(report, {}, INVOICES.parent, serial=1), str(tmp_path))
        )
        wire.send(
            process.stdin, ("job", RenderJob(report, {}, INVOICES.parent, serial=2), str(tmp_path))
        )
        wire.send(process.stdin, ("cancel", 2))
        assert answers(process, 1)[-1][0] == "done"
        assert answers(process, 2) == [("cancelled", 2)]
    finally:
        process.stdin.close()
        process.wait(10)


def test_an_engine_error_keeps_its_class_and_diagnostics():
    found = Diagnostic(Severity.ERROR, "expr", "unknown field Totl", "$.bands[2]", "total")
    error = wire.unpack_error(wire.pack_error(ReportValidationError([found], source="a.ashr")))
    assert type(error) is ReportValidationError
    assert error.diagnostics == [found] and error.source == "a.ashr"
    assert error.lines() == ReportValidationError([found], source="a.ashr").lines()


def test_an_error_class_the_designer_cannot_make_still_carries_its_message():
    error = wire.unpack_error(("no.such.module", "GoneError", ("disk full",), {}))
    assert type(error) is ReportError and error.message == "disk full"
    error = wire.unpack_error(("builtins", "ValueError", ("not a report error",), {}))
    assert type(error) is ReportError and error.message == "not a report error"
