"""Fixtures of the preview tests: a window with the preview shown, a 1M-row SQLite database and its report."""

from __future__ import annotations

import gc
import sqlite3
import time

import pytest

from engine.model import Report

#: rows of the big database (the cancel and responsiveness tests)
BIG_ROWS = 1_000_000


@pytest.fixture(scope="session")
def big_db(tmp_path_factory):
    """A 1M-row SQLite file, written with one executemany."""
    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE sale (id INTEGER PRIMARY KEY, customer TEXT, amount REAL)")
        conn.executemany(
            "INSERT INTO sale VALUES (?, ?, ?)",
            ((i, f"Customer {i % 997}", (i % 1000) / 10) for i in range(1, BIG_ROWS + 1)),
        )
    return path


@pytest.fixture
def big_report(big_db):
    return big_listing(big_db)


def big_listing(big_db):
    """A plain listing of every row of the big database (no groups: the rows stream)."""
    field = {"type": "field", "y": 0, "height": 12, "width": 150}
    return Report.model_validate(
        {
            "format": "ashr",
            "version": 1,
            "name": "big_listing",
            "data_source": {
                "kind": "sql",
                "url": f"sqlite:///{big_db}",
                "query": "SELECT id, customer, amount FROM sale",
            },
            "bands": [
                {
                    "type": "page_header",
                    "height": 16,
                    "elements": [
                        {
                            "type": "label",
                            "x": 0,
                            "y": 0,
                            "width": 200,
                            "height": 14,
                            "text": "Big listing",
                        }
                    ],
                },
                {
                    "type": "detail",
                    "height": 12,
                    "elements": [
                        {**field, "x": 0, "field": "id"},
                        {**field, "x": 160, "field": "customer"},
                        {**field, "x": 320, "field": "amount"},
                    ],
                },
            ],
        }
    )


def wait_until(qtbot, predicate, timeout=30.0):
    """Process events until `predicate()` is true; fails after `timeout` seconds."""
    qtbot.waitUntil(predicate, timeout=int(timeout * 1000))


@pytest.fixture
def preview_window(make_window, qtbot):
    """A main window with the invoices example open and its preview shown and rendered."""

    made = []

    def make(path=None):
        window = make_window(path) if path is not None else make_window()
        made.append(window)
        feature = window.preview
        with qtbot.waitSignal(feature.controller.rendered, timeout=60_000):
            feature.show_preview()
        pages = feature.controller.last_result.page_count
        wait_until(qtbot, lambda: feature.pane.page_box.text().endswith(f"/ {pages}"))
        return window

    yield make
    # delete the windows now, with the threads they started, not during the next test
    from PySide6.QtCore import QCoreApplication, QEvent

    from designer.preview.service import stop_all

    for window in made:
        window.preview.controller.cancel()
        window.close()
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    stop_all()
    QCoreApplication.processEvents()
    made.clear()
    gc.collect()


def settle(qtbot, seconds=0.3):
    """Let queued signals and paints run for a moment."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        qtbot.wait(20)
