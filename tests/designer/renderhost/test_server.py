"""The render job as a call on the engine's process pool: a job in, progress, early pages and the PDF out; errors keep their class and diagnostics."""

from __future__ import annotations

import pymupdf
import pytest

from designer.renderhost.job import RenderJob
from designer.renderhost.server import run_render_job
from engine.errors import Diagnostic, ReportError, ReportValidationError, Severity
from engine.model import load_report
from engine.render.pool import ProcessPool, pack_error, unpack_error

from ..conftest import INVOICES


@pytest.fixture
def pool():
    pool = ProcessPool(1, label="render process")
    yield pool
    pool.shutdown(wait=True)


def run(pool, job, tmp_path, keep_rows=False):
    """The job's events and its result (or error), from the pool's one process."""
    events = []
    task = pool.submit(run_render_job, job, str(tmp_path), keep_rows)
    task.on_event(events.append)
    return task, events


def test_a_job_renders_in_the_pool_process_and_a_repeat_takes_the_cached_rows(pool, tmp_path):
    report = load_report(INVOICES)
    first, first_events = run(
        pool, RenderJob(report, {}, INVOICES.parent, serial=1), tmp_path, True
    )
    result = first.result(60)
    pid = pool.pids()
    second, second_events = run(
        pool, RenderJob(report, {}, INVOICES.parent, serial=2), tmp_path, True
    )
    again = second.result(60)
    assert pool.pids() == pid  # the same warm process, which kept the rows
    kinds = [e[0] for e in first_events]
    assert kinds[0] == "progress" and kinds[-1] == "cache"
    with pymupdf.open(stream=result.pdf, filetype="pdf") as doc:
        assert doc.page_count == result.page_count > 1
        assert "INVOICE" in doc[0].get_text().upper()
    assert first_events[-1][1:] == (0, 1)  # (hits, misses): the first run read the database
    assert second_events[-1][1:] == (1, 1) and again.cached
    assert list(tmp_path.iterdir()) == []  # its work files went to the folder given, and away


def test_an_interrupted_waiting_job_never_runs(pool, tmp_path):
    report = load_report(INVOICES)
    first, _ = run(pool, RenderJob(report, {}, INVOICES.parent, serial=1), tmp_path)
    second, events = run(pool, RenderJob(report, {}, INVOICES.parent, serial=2), tmp_path)
    second.interrupt()
    assert first.result(60).page_count > 1
    assert second.cancelled() and events == []


def test_a_failing_job_keeps_the_process_for_the_next(pool, tmp_path):
    report = load_report(INVOICES)
    wrong = report.model_copy(
        update={
            "data_source": report.data_source.model_copy(
                update={"query": "SELECT nonsense FROM nowhere"}
            )
        }
    )
    failed, _ = run(pool, RenderJob(wrong, {}, INVOICES.parent, serial=1), tmp_path)
    with pytest.raises(ReportError):
        failed.result(60)
    pid = pool.pids()
    ok, _ = run(pool, RenderJob(report, {}, INVOICES.parent, serial=2), tmp_path)
    assert ok.result(60).page_count > 1 and pool.pids() == pid


def test_an_engine_error_keeps_its_class_and_diagnostics():
    found = Diagnostic(Severity.ERROR, "expr", "unknown field Totl", "$.bands[2]", "total")
    error = unpack_error(pack_error(ReportValidationError([found], source="a.ashr")))
    assert type(error) is ReportValidationError
    assert error.diagnostics == [found] and error.source == "a.ashr"
    assert error.lines() == ReportValidationError([found], source="a.ashr").lines()


def test_an_error_class_the_designer_cannot_make_still_carries_its_message():
    error = unpack_error(("no.such.module", "GoneError", ("disk full",), {}))
    assert type(error) is ReportError and error.message == "disk full"
    error = unpack_error(("builtins", "ValueError", ("not a report error",), {}))
    assert type(error) is ReportError and error.message == "not a report error"
