"""Big reports: chunked compiles equal single compiles, progress in order, cancel leaves nothing, renders in parallel."""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest

from engine.model import load_report
from engine.render import Cancelled, CancelToken, pool, render_report

from .helpers import EXAMPLES, cli

LISTING = {
    "format": "ashr", "version": 1, "name": "listing", "title": "Listing",
    "data_source": {"kind": "sql", "url": "sqlite:///items.sqlite",
                    "query": "SELECT id, name, category, amount FROM items",
                    "fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"},
                               {"name": "category", "type": "string"}, {"name": "amount", "type": "decimal"}]},
    "groups": [{"name": "category", "expression": "category", "reprint_header": True}],
    "sort": [{"expression": "id"}],
    "variables": [
        {"name": "subtotal", "expression": "amount", "calculation": "sum", "reset": "group", "reset_group": "category"},
        {"name": "page_total", "expression": "amount", "calculation": "sum", "reset": "page"}],
    "bands": [
        {"type": "column_header", "height": 16, "elements": [
            {"type": "label", "x": 0, "y": 0, "width": 100, "height": 14, "text": "Id", "bold": True},
            {"type": "label", "x": 400, "y": 0, "width": 120, "height": 14, "text": "Amount", "bold": True, "align": "right"}]},
        {"type": "group_header", "group": "category", "height": 18, "elements": [
            {"type": "field", "x": 0, "y": 2, "width": 300, "height": 14, "field": "category", "bold": True}]},
        {"type": "detail", "height": 14, "elements": [
            {"type": "field", "x": 0, "y": 0, "width": 100, "height": 14, "field": "id"},
            {"type": "field", "x": 110, "y": 0, "width": 200, "height": 14, "field": "name"},
            {"type": "field", "x": 400, "y": 0, "width": 120, "height": 14, "field": "amount",
             "format": {"kind": "number", "pattern": "#,##0.00"}, "align": "right"}]},
        {"type": "group_footer", "group": "category", "height": 18, "elements": [
            {"type": "expression", "x": 300, "y": 2, "width": 220, "height": 14, "align": "right",
             "expression": "'Subtotal ' + format(vars.subtotal, '#,##0.00')"}]},
        {"type": "page_footer", "height": 16, "elements": [
            {"type": "expression", "x": 0, "y": 0, "width": 300, "height": 14,
             "expression": "'Page total ' + format(vars.page_total, '#,##0.00')"},
            {"type": "page_number", "x": 400, "y": 0, "width": 120, "height": 14, "align": "right"}]},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4,000-row listing report (about 80 pages) on its own SQLite file."""
    import json

    folder = tmp_path_factory.mktemp("listing")
    con = sqlite3.connect(folder / "items.sqlite")
    con.execute(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, category TEXT, amount NUMERIC)"
    )
    con.executemany(
        "INSERT INTO items VALUES (?, ?, ?, ?)",
        ((i, f"Item {i}", f"Cat {i % 7}", f"{(i * 37) % 10000 / 100:.2f}") for i in range(1, 4001)),
    )
    con.commit()
    con.close()
    path = folder / "listing.ashr"
    path.write_text(json.dumps(LISTING))
    return path


@pytest.fixture(scope="module", autouse=True)
def _stop_workers():
    yield
    pool.shutdown_pool()


def _pages(pdf: bytes) -> list[str]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


def test_chunked_render_equals_single_render(listing: Path) -> None:
    report = load_report(listing)
    single = render_report(report, base_dir=listing.parent, workers=1)
    chunked = render_report(report, base_dir=listing.parent, workers=2)
    assert chunked.chunks > 1 and single.chunks == 1
    assert single.page_count == chunked.page_count > 40
    one, two = _pages(single.pages[0]), _pages(chunked.pages[0])
    assert one == two  # every page's text, page numbers and page totals included
    n = len(one)
    for i, text in enumerate(two, start=1):
        assert f"Page {i} of {n}" in text


def test_page_totals_in_chunks_equal_the_rows_on_the_page(listing: Path) -> None:
    report = load_report(listing)
    result = render_report(report, base_dir=listing.parent, workers=2)
    con = sqlite3.connect(listing.parent / "items.sqlite")
    amount = {
        str(i): Decimal(str(a)).quantize(Decimal("0.01"))
        for i, a in con.execute("SELECT id, amount FROM items")
    }
    with pymupdf.open(stream=result.pages[0], filetype="pdf") as doc:
        for page in doc:
            words = [w[4] for w in page.get_text("words", sort=True)]
            ids = [w for w, after in itertools.pairwise(words) if w.isdigit() and after == "Item"]
            expected = sum((amount[i] for i in ids), Decimal(0))
            assert f"Page total {expected:,.2f}" in page.get_text()


def test_progress_events_arrive_in_order(listing: Path) -> None:
    events = []
    report = load_report(listing)
    render_report(report, base_dir=listing.parent, workers=2, progress=events.append)
    order = ["query", "fill", "layout", "compile", "merge", "done"]
    stages = [e.stage for e in events]
    assert [s for s in order if s in stages] == order
    assert stages == sorted(stages, key=order.index)  # never back to an earlier stage
    rows = [e.rows_read for e in events]
    assert rows == sorted(rows) and rows[-1] == 4000
    chunks = [e.chunks_done for e in events if e.stage in ("compile", "merge", "done")]
    assert chunks == sorted(chunks) and chunks[-1] == events[-1].chunks_total > 1
    assert events[-1].pages > 40


@pytest.mark.parametrize("when", ["fill", "compile"])
def test_cancel_stops_within_a_second(listing: Path, when: str) -> None:
    report = load_report(listing)
    token = CancelToken()
    cancelled_at: list[float] = []

    def progress(event) -> None:
        if event.stage == when and not cancelled_at:
            cancelled_at.append(time.perf_counter())
            threading.Timer(0.05, token.cancel).start()

    started = time.perf_counter()
    with pytest.raises(Cancelled):
        render_report(report, base_dir=listing.parent, workers=2, progress=progress, cancel=token)
    assert cancelled_at, "the render never reached the stage"
    assert time.perf_counter() - cancelled_at[0] < 1.0
    assert time.perf_counter() - started < 10


def test_cancelled_cli_leaves_no_file(listing: Path, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    out = tmp_path / "big.pdf"
    # SIGINT as a terminal delivers it, even where this test runs as a background job
    # (whose children inherit SIGINT ignored, and Python then installs no handler)
    proc = subprocess.Popen(
        [sys.executable, "-m", "engine", "render", str(listing), "-o", str(out), "--progress"],
        stderr=subprocess.PIPE, text=True, cwd=EXAMPLES.parents[1],
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    assert proc.stderr is not None
    # interrupt while rows still stream in and the first chunks compile (at "compile" the
    # 80-page listing may already be finishing)
    for line in proc.stderr:
        if line.startswith(("progress: fill", "progress: compile")):
            break
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 130
    assert list(tmp_path.iterdir()) == []


def test_eight_renders_at_once_from_threads(listing: Path) -> None:
    invoices = load_report(EXAMPLES / "invoices_by_country.ashr")
    big = load_report(listing)
    expected_invoices = _pages(render_report(invoices, base_dir=EXAMPLES).pages[0])
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            if i % 4 == 0:
                results[i] = _pages(render_report(big, base_dir=listing.parent).pages[0])
            else:
                results[i] = _pages(render_report(invoices, base_dir=EXAMPLES).pages[0])
        except BaseException as exc:  # collected, the test fails below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert len(results) == 8
    for i, pages in results.items():
        if i % 4:
            assert pages == expected_invoices
        else:
            assert pages == results[0] and len(pages) > 40


def test_profile_reports_worker_memory(listing: Path, tmp_path: Path) -> None:
    proc = cli("render", listing, "-o", tmp_path / "l.pdf", "--profile")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0].split() == ["stage", "seconds", "peak", "MB"]
    stages = [line.split()[0] for line in lines[1:]]
    for stage in ("load", "query", "fill+layout", "compile", "merge", "write", "total"):
        assert stage in stages
    assert "peak of any compile worker" in lines[-1]


def test_telemetry_listener_gets_the_figures(listing: Path) -> None:
    from engine.render import add_listener, remove_listener

    seen = []
    add_listener(seen.append)
    try:
        result = render_report(load_report(listing), base_dir=listing.parent, workers=2)
    finally:
        remove_listener(seen.append)
    [stats] = seen
    assert (stats.report, stats.pages, stats.chunks, stats.rows) == (
        "listing",
        result.page_count,
        result.chunks,
        4000,
    )
    assert set(stats.seconds) >= {"query", "fill+layout", "compile", "merge"}
    assert stats.peak_mb["worker_peak_mb"] > 10
