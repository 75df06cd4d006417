"""engine.data and engine.render against a real PostgreSQL server: types, bound parameters, ORDER BY
push-down, streaming in bounded memory, cancellation, and an example report rendered from PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from babel.numbers import format_currency

from engine.data import OrderKey, introspect_fields, open_rows
from engine.errors import DataSourceError
from engine.model import Report, SqlSource
from engine.render import Cancelled, CancelToken, Progress, render_report

from .server import BIG_ROWS, ROOT, PgServer

EXAMPLES = ROOT / "resources" / "examples"


def sql_source(url: str, query: str | None = None, *, table: str | None = None) -> SqlSource:
    data: dict[str, Any] = {"kind": "sql", "url": url}
    data.update({"query": query} if query is not None else {"table": table})
    return SqlSource.model_validate(data)


def tagged_url(pg: PgServer, name: str) -> str:
    """The test database's URL with an application_name, to find the engine's session in pg_stat_activity."""
    return f"{pg.url}?application_name={name}"


def active_queries(pg: PgServer, name: str, within: float = 2.0) -> list[tuple[Any, ...]]:
    """The queries still running for application `name` once they had `within` seconds to end."""
    deadline = time.monotonic() + within
    while True:
        found = pg.query(
            "SELECT pid, state, query FROM pg_stat_activity "
            "WHERE application_name = %s AND state <> 'idle'",
            (name,),
        )
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def cancel_backends(pg: PgServer, name: str) -> None:
    """Cancel from the server side whatever application `name` runs (frees a test's thread)."""
    pg.query(
        "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = %s", (name,)
    )


# -- types ------------------------------------------------------------------------------------


def test_numeric_comes_back_as_decimal_and_timestamp_as_datetime(pg):
    query = 'SELECT "InvoiceId", "InvoiceDate", "BillingState", "Total" FROM "Invoice" ORDER BY "InvoiceId"'
    with open_rows(sql_source(pg.url, query)) as rows:
        assert [(f.name, f.type) for f in rows.fields] == [
            ("InvoiceId", "integer"),
            ("InvoiceDate", "datetime"),
            ("BillingState", "string"),
            ("Total", "decimal"),
        ]
        result = list(rows)
    assert [tuple(row.values()) for row in result] == pg.query(query)
    assert {type(row["Total"]) for row in result} == {Decimal}
    assert {type(row["InvoiceDate"]) for row in result} == {dt.datetime}
    assert result[0]["Total"] == Decimal("1.98")  # exact: NUMERIC(10,2), never a binary float


def test_introspection_lists_the_declared_column_types(pg):
    fields = introspect_fields(sql_source(pg.url, table="Invoice"))
    assert [(f.name, f.type) for f in fields] == [
        ("InvoiceId", "integer"),
        ("CustomerId", "integer"),
        ("InvoiceDate", "datetime"),
        ("BillingAddress", "string"),
        ("BillingCity", "string"),
        ("BillingState", "string"),
        ("BillingCountry", "string"),
        ("BillingPostalCode", "string"),
        ("Total", "decimal"),
    ]
    big = introspect_fields(sql_source(pg.url, table="big_rows"))
    assert [(f.name, f.type) for f in big] == [
        ("id", "integer"),
        ("grp", "string"),
        ("amount", "decimal"),
        ("day", "date"),
    ]


def test_introspection_of_a_query_uses_declared_types_when_the_sample_is_null(pg):
    query = (
        'SELECT "InvoiceId", CASE WHEN "InvoiceId" > 300 THEN "Total" END AS late_total, '
        'CAST(NULL AS TIMESTAMP) AS paid_at FROM "Invoice" ORDER BY "InvoiceId"'
    )
    source = sql_source(pg.url, query)
    with open_rows(source, chunk_size=100) as rows:
        fields = {f.name: f.type for f in rows.fields}
        last = list(rows)[-1]
    assert isinstance(last["late_total"], Decimal)  # what the rows carry after the sample
    assert fields == {"InvoiceId": "integer", "late_total": "decimal", "paid_at": "datetime"}
    assert {f.name: f.type for f in introspect_fields(source)} == fields


# -- parameters -------------------------------------------------------------------------------

HOSTILE = "O'Brien'); DROP TABLE \"Customer\"; -- :name ' OR '1'='1"


def test_parameters_are_bound_values_not_sql(pg):
    echo = sql_source(pg.url, "SELECT CAST(:value AS TEXT) AS value")
    with open_rows(echo, params={"value": HOSTILE}) as rows:
        assert list(rows) == [{"value": HOSTILE}]
    lookup = sql_source(pg.url, 'SELECT "CustomerId" FROM "Customer" WHERE "LastName" = :name')
    with open_rows(lookup, params={"name": HOSTILE}) as rows:
        assert list(rows) == []
    assert pg.query('SELECT count(*) FROM "Customer"') == [(59,)]
    with open_rows(lookup, params={"name": "Gonçalves"}) as rows:
        assert [row["CustomerId"] for row in rows] == [1]


def test_a_date_parameter_compares_with_a_timestamp_column(pg):
    source = sql_source(pg.url, 'SELECT "InvoiceId" FROM "Invoice" WHERE "InvoiceDate" >= :start')
    with open_rows(source, params={"start": dt.date(2024, 7, 1)}) as rows:
        found = sorted(row["InvoiceId"] for row in rows)
    expected = pg.query(
        'SELECT "InvoiceId" FROM "Invoice" WHERE "InvoiceDate" >= %s ORDER BY 1',
        (dt.date(2024, 7, 1),),
    )
    assert found == [i for (i,) in expected] and 0 < len(found) < 412


# -- ORDER BY push-down -----------------------------------------------------------------------


@pytest.mark.parametrize("descending", [False, True])
def test_order_by_push_down_puts_nulls_first_both_ways(pg, descending):
    direction = "DESC" if descending else "ASC"
    expected = pg.query(
        f'SELECT "InvoiceId" FROM "Invoice" '
        f'ORDER BY "BillingState" {direction} NULLS FIRST, "Total" DESC, "InvoiceId"'
    )
    order = [OrderKey("BillingState", descending), OrderKey("Total", True), OrderKey("InvoiceId")]
    source = sql_source(pg.url, 'SELECT "InvoiceId", "BillingState", "Total" FROM "Invoice";')
    with open_rows(source, order_by=order) as rows:
        assert rows.ordered
        result = list(rows)
    assert [(row["InvoiceId"],) for row in result] == expected
    states = [row["BillingState"] for row in result]
    assert states[0] is None and states[-1] is not None
    # PostgreSQL's own default would differ (nulls sort highest), so the engine did say NULLS FIRST
    default = pg.query(f'SELECT "BillingState" FROM "Invoice" ORDER BY "BillingState" {direction}')
    assert (default[0][0] is None) == descending


def test_order_by_an_unknown_field_is_a_clear_error(pg):
    with pytest.raises(DataSourceError, match=r"column q\.Totl does not exist"):
        open_rows(sql_source(pg.url, table="Invoice"), order_by=[OrderKey("Totl")])


# -- streaming --------------------------------------------------------------------------------

_STREAM_SCRIPT = """
import json, resource, sys
from engine.data import open_rows
from engine.model import SqlSource

def source(query):
    return SqlSource.model_validate({"kind": "sql", "url": sys.argv[1], "query": query})

def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

with open_rows(source("SELECT 1 AS warm_up")) as rows:  # driver and dialect loaded
    list(rows)
before = peak_kb()
count = 0
types = set()
with open_rows(source("SELECT id, grp, amount, day FROM big_rows")) as rows:
    fields = [(f.name, f.type) for f in rows.fields]
    for row in rows:
        count += 1
        if count % 100_000 == 0:
            types.add(type(row["amount"]).__name__)
print(json.dumps({"count": count, "fields": fields, "types": sorted(types),
                  "before_kb": before, "after_kb": peak_kb()}))
"""


def test_a_million_rows_stream_in_bounded_memory(pg):
    # a fresh process, so the peak RSS is this stream's and not the test session's
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _STREAM_SCRIPT, pg.url],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["count"] == pg.query("SELECT count(*) FROM big_rows")[0][0] == BIG_ROWS
    assert report["fields"] == [["id", "integer"], ["grp", "string"], ["amount", "decimal"], ["day", "date"]]  # fmt: skip
    assert report["types"] == ["Decimal"]
    grown_mb = (report["after_kb"] - report["before_kb"]) / 1024
    assert grown_mb < 150, f"peak RSS grew by {grown_mb:.0f} MB while streaming"
    print(f"streamed {BIG_ROWS} rows; peak RSS grew by {grown_mb:.1f} MB")
    assert time.perf_counter() - started < 60


# -- cancellation -----------------------------------------------------------------------------

#: about 10 s in all (1000 sleeps of 10 ms), yet the first 5000 rows come within 0.1 s
SLOW_STREAM = (
    "SELECT id, CASE WHEN id % 1000 = 0 THEN slow_value(id, 0.01) ELSE id END AS v FROM big_rows"
)


def _run_in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Start `work` in a thread; the dict gets `result` or `error`, then `ended` (perf_counter)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # checked by the test
            outcome["error"] = exc
        finally:
            outcome["ended"] = time.perf_counter()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, outcome


def test_closing_the_stream_from_another_thread_stops_the_query(pg):
    name = "ashr_test_close"
    rows = open_rows(sql_source(tagged_url(pg, name), SLOW_STREAM))
    thread, outcome = _run_in_thread(lambda: sum(1 for _ in rows))
    time.sleep(0.5)
    assert thread.is_alive(), "the slow query finished before it could be stopped"
    closed_at = time.perf_counter()
    rows.close()
    thread.join(timeout=10)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["ended"] - closed_at < 1.0
    assert 0 < outcome["result"] < BIG_ROWS
    assert rows.closed
    assert active_queries(pg, name) == []


def _listing_report(url: str, query: str, sort: list[dict[str, Any]]) -> Report:
    """A report printing every row (so each row streams through the fill) and the sum of `v`."""
    box = {"x": 0, "y": 0, "width": 100, "height": 12}
    return Report.model_validate({
        "format": "ashr", "version": 1, "name": "pg_cancel",
        "data_source": {"kind": "sql", "url": url, "query": query},
        "sort": sort,
        "variables": [{"name": "total", "expression": "v", "calculation": "sum"}],
        "bands": [
            {"type": "detail", "height": 12, "elements": [{"type": "field", **box, "field": "v"}]},
            {"type": "summary", "height": 12, "elements": [
                {"type": "expression", **box, "expression": "vars.total"},
            ]},
        ],
    })  # fmt: skip


def _cancel_render(
    pg: PgServer, name: str, sort: list[dict[str, Any]], stage: str, rows: int
) -> dict[str, Any]:
    """Render the listing report over SLOW_STREAM, cancel its token 0.5 s after the render reached
    `stage` with `rows` read; what happened (`error`, `seconds` from cancel() to the end, `stage`)."""
    report = _listing_report(tagged_url(pg, name), SLOW_STREAM, sort)
    token = CancelToken()
    stages: list[str] = []
    reached = threading.Event()

    def progress(event: Progress) -> None:
        stages.append(event.stage)
        if event.stage == stage and event.rows_read >= rows:
            reached.set()

    thread, outcome = _run_in_thread(lambda: render_report(report, cancel=token, progress=progress))
    assert reached.wait(timeout=20), f"the render never reached {stage} ({stages[-1:]})"
    time.sleep(0.5)
    assert thread.is_alive(), "the slow render finished before it could be cancelled"
    cancelled_at = time.perf_counter()
    token.cancel()
    thread.join(timeout=1.5)
    if thread.is_alive():  # free the thread (the engine did not stop the query), then fail below
        cancel_backends(pg, name)
        thread.join(timeout=15)
    outcome["seconds"] = outcome["ended"] - cancelled_at
    outcome["stage"] = stages[-1] if stages else None
    return outcome


def test_cancel_stops_a_streaming_render_and_its_query(pg):
    name = "ashr_test_cancel_fill"
    outcome = _cancel_render(pg, name, sort=[], stage="fill", rows=10_000)
    assert outcome["stage"] == "fill"  # cancelled while rows streamed in
    assert isinstance(outcome.get("error"), Cancelled), outcome
    assert outcome["seconds"] < 1.0, f"stopped {outcome['seconds']:.1f} s after cancel()"
    assert active_queries(pg, name) == []


def test_cancel_interrupts_a_render_still_waiting_for_its_query(pg):
    name = "ashr_test_cancel_query"
    # sorted by v: the ORDER BY is pushed down, so PostgreSQL runs all of it before the first row
    outcome = _cancel_render(pg, name, sort=[{"expression": "v"}], stage="query", rows=0)
    assert outcome["stage"] == "query"
    assert outcome["seconds"] < 1.0, f"stopped {outcome['seconds']:.1f} s after cancel()"
    assert isinstance(outcome.get("error"), Cancelled), outcome
    assert active_queries(pg, name) == []


# -- an example report from PostgreSQL ---------------------------------------------------------

# PostgreSQL folds unquoted names to lower case. The test tables keep Chinook's mixed-case names
# (quoted, as Chinook's own PostgreSQL script creates them), so the example's unquoted SQL finds
# no table `invoice`; lower-case tables would let it run but return lower-case columns
# (`invoiceid`) that the report's fields do not match. The PostgreSQL copy of the report
# therefore differs from the example in its query only, which quotes every name.
PG_INVOICES_QUERY = (
    'SELECT i."InvoiceId", i."InvoiceDate", i."BillingCountry", '
    'c."FirstName" || \' \' || c."LastName" AS "Customer", i."Total" '
    'FROM "Invoice" i JOIN "Customer" c ON c."CustomerId" = i."CustomerId" '
    'WHERE i."InvoiceDate" >= :start'
)
START = "2023-01-01"


def _render_cli(report: Path, out: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "engine", "render", str(report), "-o", str(out), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=report.parent,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def _page_lines(pdf: Path) -> list[list[str]]:
    with pymupdf.open(pdf) as doc:
        return [[line for line in page.get_text().splitlines() if line.strip()] for page in doc]


def test_invoices_example_renders_from_postgresql(pg, tmp_path):
    original = json.loads((EXAMPLES / "invoices_by_country.ashr").read_text(encoding="utf-8"))
    copy = json.loads(json.dumps(original))
    copy["data_source"]["query"] = PG_INVOICES_QUERY
    report = tmp_path / "invoices_by_country.ashr"
    report.write_text(json.dumps(copy, indent=1), encoding="utf-8")
    # the URL from the user (--data), as a deployment keeps it out of the file
    param = f"start={START}"
    from_pg = _render_cli(report, tmp_path / "pg.pdf", "--data", pg.url, "--param", param)
    from_sqlite = _render_cli(EXAMPLES / "invoices_by_country.ashr", tmp_path / "sqlite.pdf", "--param", param)  # fmt: skip
    for proc in (from_pg, from_sqlite):
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert stderr == ""
    (total, count), = pg.query(
        'SELECT SUM("Total"), COUNT(*) FROM "Invoice" WHERE "InvoiceDate" >= %s', (START,)
    )  # fmt: skip
    assert 0 < count < 412
    summary = _page_lines(tmp_path / "pg.pdf")[-1]
    at = summary.index("Grand total")
    assert summary[at : at + 4] == [
        "Grand total", format_currency(total, "USD", locale="en_US"), "Invoices", str(count)
    ]  # fmt: skip
    # the same data from either database reads the same, page by page
    assert _page_lines(tmp_path / "pg.pdf") == _page_lines(tmp_path / "sqlite.pdf")


def test_the_unquoted_example_query_fails_clearly_on_postgresql(pg, tmp_path):
    proc = _render_cli(
        EXAMPLES / "invoices_by_country.ashr", tmp_path / "out.pdf", "--data", pg.url
    )
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert 'relation "invoice" does not exist' in stderr
    assert not (tmp_path / "out.pdf").exists()


# -- summary push-down ------------------------------------------------------------------------
# Reserved: tests that a report's summaries are computed by PostgreSQL (GROUP BY / SUM pushed
# into the query) go here, using the `pg` fixture, `big_rows` and the Chinook tables above.
