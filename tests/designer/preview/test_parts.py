"""The preview's small parts: the row cache, export targets, progress text and estimate, parameters, errors, jobs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from designer.preview import RenderJob, RowCache, declared_defaults, error_lines, run_job
from designer.preview.feature import export_target
from designer.preview.progressdialog import describe, estimate
from engine.errors import ReportValidationError, error
from engine.model import load_report
from engine.render import Cancelled, CancelToken, Progress

from ..conftest import EXAMPLES, INVOICES

CUSTOMERS = EXAMPLES / "customers_by_country_city.ashr"


def test_the_row_cache_keeps_rows_read_to_the_end_and_not_too_many():
    cache = RowCache(limit=3)
    assert list(cache.recording("a", iter([{"x": 1}, {"x": 2}]))) == [{"x": 1}, {"x": 2}]
    assert cache.get("a") == [{"x": 1}, {"x": 2}] and cache.get("b") is None
    assert (cache.hits, cache.misses) == (1, 1)
    list(cache.recording("big", iter([{"x": i} for i in range(4)])))  # over the limit
    assert cache.get("big") is None and cache.get("a") is not None
    reading = cache.recording("cut", iter([{"x": 1}, {"x": 2}]))
    next(reading)
    reading.close()  # a cancelled run: its rows are not all there
    assert cache.get("cut") is None
    cache.clear()
    assert cache.get("a") is None
    # the counts of complete reads stay (the progress dialog's estimate), even when too many to keep
    assert (cache.count("a"), cache.count("big"), cache.count("cut")) == (2, 4, None)


def test_export_target_takes_the_format_from_the_extension_or_the_filter():
    assert export_target(Path("out/r.csv"), "pdf") == (Path("out/r.csv"), "csv")
    assert export_target(Path("out/r.PNG"), "pdf") == (Path("out/r.PNG"), "png")
    assert export_target(Path("out/report"), "svg") == (Path("out/report.svg"), "svg")
    assert export_target(Path("out/v1.2"), "json") == (Path("out/v1.2.json"), "json")


def test_progress_text_and_time_left():
    event = Progress("fill", rows_read=12_000, rows_total=100_000, pages=3)
    assert describe(event) == "Filling bands — 12,000 of 100,000 rows — 3 pages"
    assert estimate(event, 6.0) == pytest.approx(6.0 * 94 / 6)  # 6 % done in 6 s
    assert estimate(Progress("fill", rows_read=500), 2.0) is None  # total unknown
    assert describe(Progress("compile", chunks_done=2, chunks_total=5)).endswith(
        "2 of 5 page sets typeset"
    )


def test_default_parameters_are_the_declared_defaults():
    assert declared_defaults(load_report(INVOICES)) == {"start": "2009-01-01"}
    assert declared_defaults(load_report(CUSTOMERS)) == {}


def test_error_lines_list_every_diagnostic():
    problem = ReportValidationError(
        [
            error("expr", "unknown field 'Totl'", "bands[3].elements[2].expression"),
            error("expr", "unknown variable 'x'", "variables[0].expression"),
        ]
    )
    lines = error_lines(problem)
    assert lines == [
        "bands[3].elements[2].expression: unknown field 'Totl'",
        "variables[0].expression: unknown variable 'x'",
    ]


def test_a_cancelled_csv_job_raises_and_writes_nothing(tmp_path):
    token = CancelToken()
    token.cancel()
    job = RenderJob(load_report(CUSTOMERS), base_dir=EXAMPLES, fmt="csv", target=tmp_path / "c.csv")
    with pytest.raises(Cancelled):
        run_job(job, token)
    assert list(tmp_path.iterdir()) == []


def test_a_preview_job_reads_its_rows_once(tmp_path):
    cache = RowCache()
    report = load_report(CUSTOMERS)
    events = []
    first = run_job(
        RenderJob(report, base_dir=EXAMPLES), CancelToken(), progress=events.append, cache=cache
    )
    second = run_job(RenderJob(report, base_dir=EXAMPLES), CancelToken(), cache=cache)
    with sqlite3.connect(EXAMPLES / "chinook.sqlite") as conn:
        (customers,) = conn.execute("SELECT count(*) FROM Customer").fetchone()
    assert (first.cached, second.cached) == (False, True)
    assert first.rows == second.rows == customers
    assert first.page_count == second.page_count and second.pdf.startswith(b"%PDF")
    assert events[-1].stage == "done" and events[-1].rows_read == customers


def _sales_report(folder: Path, rows: int) -> tuple[Path, dict[str, int]]:
    """A summary report (a footer per region, a chart by region) over `rows` generated sales; the cents per region by SQL."""
    import json
    import random

    rnd = random.Random(5)
    with sqlite3.connect(folder / "sales.sqlite") as conn:
        conn.execute("CREATE TABLE sales (region TEXT, cents INTEGER)")
        conn.executemany(
            "INSERT INTO sales VALUES (?, ?)",
            [
                (rnd.choice(["East", "North", "West"]), rnd.randrange(1, 10_000))
                for _ in range(rows)
            ],
        )
        totals = dict(conn.execute("SELECT region, SUM(cents) FROM sales GROUP BY region"))
    label = {"type": "field", "x": 0, "y": 0, "width": 100, "height": 14, "field": "region"}
    total = {
        "type": "expression",
        "x": 120,
        "y": 0,
        "width": 120,
        "height": 14,
        "expression": "vars.cents",
    }
    chart = {"type": "chart", "x": 0, "y": 0, "width": 300, "height": 160,
             "chart": {"kind": "bar", "category": "region", "value": "cents", "title": "Cents"}}  # fmt: skip
    report = {
        "format": "ashr", "version": 1, "name": "sales_summary",
        "data_source": {"kind": "sql", "url": "sqlite:///sales.sqlite", "table": "sales"},
        "groups": [{"name": "region", "expression": "region"}],
        "variables": [{"name": "cents", "expression": "cents", "calculation": "sum",
                       "reset": "group", "reset_group": "region"}],
        "bands": [
            {"type": "group_footer", "group": "region", "height": 16, "elements": [label, total]},
            {"type": "summary", "height": 170, "elements": [chart]},
        ],
    }  # fmt: skip
    path = folder / "sales_summary.ashr"
    path.write_text(json.dumps(report), encoding="utf-8")
    return path, totals


def test_a_summary_report_preview_lets_the_database_group_its_rows(tmp_path):
    import pymupdf

    from engine.render import add_listener, remove_listener

    path, totals = _sales_report(tmp_path, 30_000)
    stats = []
    cache = RowCache()
    add_listener(stats.append)
    try:
        result = run_job(
            RenderJob(load_report(path), base_dir=tmp_path), CancelToken(), cache=cache
        )
    finally:
        remove_listener(stats.append)
    # the fill took one row per region and the chart's points came from a GROUP BY: the
    # 30,000 rows never reached the render process (nor the row cache)
    assert stats[-1].rows == len(totals)
    assert [chart.source for chart in stats[-1].charts] == ["database"]
    assert (cache.hits, cache.misses) == (0, 0)
    with pymupdf.open(stream=result.pdf, filetype="pdf") as doc:
        text = doc[0].get_text().split()
    for region, cents in totals.items():
        assert text[text.index(region) + 1] == str(cents)  # an integer without a format
