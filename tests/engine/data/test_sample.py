"""engine.data.sample: a few fields of an SQLite source → a sample of their values (spread over a table, the first rows of a query)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.data.sample import sample_values
from engine.model import SqlSource

from .helpers import csv_source, sql_source

Answer = Callable[..., list[tuple[Any, ...]]]


def _sample(source: SqlSource, fields: list[str], rows: int) -> list[tuple[object, ...]] | None:
    return sample_values(source, params={}, base_dir=None, url=None, fields=fields, rows=rows)


def test_a_table_is_sampled_at_rowids_spread_over_it(sqlite_answer: Answer) -> None:
    found = _sample(sql_source(table="Invoice"), ["InvoiceId", "BillingCountry"], 100)
    assert found is not None and len(found) == 100
    truth = dict(sqlite_answer("SELECT InvoiceId, BillingCountry FROM Invoice"))
    assert all(truth[i] == country for i, country in found)  # real rows, fields in order
    ids = sorted(i for i, _ in found)
    assert ids[0] < 100 and ids[-1] > 312  # from the whole table, not its first 100 rows
    assert _sample(sql_source(table="Invoice"), ["InvoiceId", "BillingCountry"], 100) == found


def test_a_small_table_or_a_query_gives_its_first_rows(sqlite_answer: Answer) -> None:
    whole = _sample(sql_source(table="Invoice"), ["BillingCountry"], 5000)
    assert whole == sqlite_answer("SELECT BillingCountry FROM Invoice")
    query = sql_source("SELECT BillingCity, Total FROM Invoice WHERE Total > 10")
    assert _sample(query, ["Total"], 20) == sqlite_answer(
        "SELECT Total FROM Invoice WHERE Total > 10 LIMIT 20"
    )


def test_a_query_that_sorts_millions_of_rows_first_gives_no_sample() -> None:
    # 3,503 × 3,503 tracks sorted before the first row: stopped, not waited for
    query = sql_source("SELECT a.Name AS A, b.Name AS B FROM Track a, Track b ORDER BY 1, 2")
    mark = time.perf_counter()
    assert _sample(query, ["A", "B"], 100) is None
    assert time.perf_counter() - mark < 2.0


def test_other_sources_give_no_sample(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert _sample(csv_source(path), ["a"], 10) is None  # type: ignore[arg-type]
    missing = sql_source(table="NoSuchTable")
    assert _sample(missing, ["a"], 10) is None


def test_rowid_bounds_read_the_ends_of_a_table_not_every_row(tmp_path: Path) -> None:
    import sqlite3

    from engine.data.split import rowid_bounds

    conn = sqlite3.connect(tmp_path / "t.sqlite")
    conn.execute("CREATE TABLE t (v TEXT)")
    assert rowid_bounds(conn, '"t"') == (None, None)  # empty
    conn.executemany("INSERT INTO t (rowid, v) VALUES (?, ?)", [(-5, "a"), (7, "b"), (40, "c")])
    assert rowid_bounds(conn, '"t"') == (-5, 40)
    # the statement it runs is answered from the ends of the b-tree: no full scan in its plan
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    rowid_bounds(conn, '"t"')
    conn.set_trace_callback(None)
    (statement,) = statements
    plan = [row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {statement}")]
    assert "SCAN t" not in plan and "SEARCH t" in plan, plan
    conn.close()
