"""SQL sources on Chinook → rows checked against independent sqlite3 answers: counts, exact decimals, dates, safety."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
import time
from decimal import Decimal

import pytest

from engine.data import FieldInfo, RowStream, open_rows
from engine.errors import DataSourceError, ParameterError, ReportInputError

from .helpers import CHINOOK, sql_source

# every test reads SQLite through both readers: Python's sqlite3 and SQLAlchemy
pytestmark = pytest.mark.usefixtures("sqlite_driver")

INVOICES_WITH_CUSTOMER = """
    SELECT i.InvoiceId, i.InvoiceDate, i.Total, i.BillingCountry,
           c.FirstName || ' ' || c.LastName AS Customer
    FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId
"""


def test_table_rows_equal_sqlite_count(chinook, sqlite_answer):
    [(count,)] = sqlite_answer("SELECT COUNT(*) FROM Invoice")
    with open_rows(sql_source(table="Invoice")) as rows:
        assert len(list(rows)) == count == rows.rows_read
        assert rows.rows_total is None
        assert rows.closed


def test_query_rows_equal_sqlite_count(chinook, sqlite_answer):
    query = (
        "SELECT il.InvoiceLineId, t.Name FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId"
    )
    [(count,)] = sqlite_answer(f"SELECT COUNT(*) FROM ({query})")
    source = sql_source(query)
    with open_rows(source, chunk_size=97) as rows:
        assert sum(1 for _ in rows) == count


def test_decimal_total_is_exact(chinook, sqlite_answer):
    [(text,)] = sqlite_answer("SELECT CAST(SUM(Total) AS TEXT) FROM Invoice")
    with open_rows(sql_source(table="Invoice")) as rows:
        totals = [row["Total"] for row in rows]
    assert all(type(total) is Decimal for total in totals)
    assert sum(totals) == Decimal(text)
    assert all(total == total.quantize(Decimal("0.01")) for total in totals)


def test_types_from_declared_columns_and_values(chinook):
    with open_rows(sql_source(INVOICES_WITH_CUSTOMER)) as rows:
        assert rows.fields == [
            FieldInfo("InvoiceId", "integer"),
            FieldInfo("InvoiceDate", "datetime"),
            FieldInfo("Total", "decimal"),
            FieldInfo("BillingCountry", "string"),
            FieldInfo("Customer", "string"),
        ]
        first = next(iter(rows))
    assert type(first["InvoiceDate"]) is dt.datetime
    assert isinstance(first["Customer"], str) and " " in first["Customer"]


def test_expression_columns_are_inferred_from_values(chinook, sqlite_answer):
    query = """SELECT BillingCountry, COUNT(*) AS n, SUM(Total) AS total, MAX(InvoiceDate) AS last,
                      date(MIN(InvoiceDate)) AS first
               FROM Invoice GROUP BY BillingCountry ORDER BY BillingCountry"""
    with open_rows(sql_source(query)) as rows:
        types = {field.name: field.type for field in rows.fields}
        result = list(rows)
    assert types == {"BillingCountry": "string", "n": "integer", "total": "float",
                     "last": "datetime", "first": "date"}  # fmt: skip
    assert type(result[0]["first"]) is dt.date
    assert [row["n"] for row in result] == [r[1] for r in sqlite_answer(query)]


def test_declared_fields_override_types(chinook):
    fields = [{"name": "InvoiceId", "type": "string"}, {"name": "Total", "type": "float"}]
    with open_rows(sql_source("SELECT InvoiceId, Total FROM Invoice", fields=fields)) as rows:
        assert rows.fields == [FieldInfo("InvoiceId", "string"), FieldInfo("Total", "float")]
        row = next(iter(rows))
    assert row == {"InvoiceId": "1", "Total": 1.98}


def test_declared_field_missing_from_query(chinook):
    source = sql_source(
        "SELECT InvoiceId FROM Invoice", fields=[{"name": "Totl", "type": "decimal"}]
    )
    with pytest.raises(DataSourceError, match=r"'Totl' is declared .* columns: InvoiceId"):
        open_rows(source)


def test_declared_type_that_does_not_fit_names_row_and_field(chinook):
    source = sql_source(
        "SELECT BillingCountry FROM Invoice", fields=[{"name": "BillingCountry", "type": "integer"}]
    )
    with pytest.raises(DataSourceError, match=r"row 1, field 'BillingCountry' \(integer\)"):
        open_rows(source)


def test_parameters_are_bound(chinook, sqlite_answer):
    query = "SELECT InvoiceId FROM Invoice WHERE BillingCountry = :country AND Total >= :minimum"
    expected = sqlite_answer(query.replace(":country", "?").replace(":minimum", "?"), "Germany", 5)
    params = {"country": "Germany", "minimum": Decimal("5"), "unused": object()}
    with open_rows(sql_source(query), params=params) as rows:
        assert [(row["InvoiceId"],) for row in rows] == expected
    assert expected


def test_date_parameter_compares_with_stored_text(chinook, sqlite_answer):
    [(count,)] = sqlite_answer("SELECT COUNT(*) FROM Invoice WHERE InvoiceDate >= '2024-01-01'")
    source = sql_source("SELECT * FROM Invoice WHERE InvoiceDate >= :start")
    with open_rows(source, params={"start": dt.date(2024, 1, 1)}) as rows:
        assert len(list(rows)) == count > 0


@pytest.mark.parametrize(
    "value", ["x' OR '1'='1", "1; DROP TABLE Invoice", "'; DELETE FROM Invoice; --"]
)
def test_parameter_values_are_never_sql(chinook, sqlite_answer, value):
    source = sql_source("SELECT * FROM Invoice WHERE BillingCountry = :country")
    with open_rows(source, params={"country": value}) as rows:
        assert list(rows) == []
    assert sqlite_answer("SELECT COUNT(*) FROM Invoice")[0][0] > 0


def test_missing_parameter_is_refused(chinook):
    source = sql_source("SELECT * FROM Invoice WHERE BillingCountry = :country")
    with pytest.raises(ParameterError, match="country"):
        open_rows(source)


def test_database_error_carries_its_message(chinook):
    with pytest.raises(DataSourceError, match="query failed: no such column: Totl") as info:
        open_rows(sql_source("SELECT Totl FROM Invoice"))
    assert info.value.__cause__ is not None


def test_missing_table_lists_tables(chinook):
    with pytest.raises(
        DataSourceError,
        match=r"no table 'Invoices' in .*chinook.sqlite; tables: .*Invoice, InvoiceLine",
    ):
        open_rows(sql_source(table="Invoices"))


def test_duplicate_column_names_are_refused(chinook):
    query = "SELECT i.CustomerId, c.CustomerId FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId"
    with pytest.raises(DataSourceError, match="more than one column named 'CustomerId'"):
        open_rows(sql_source(query))


def test_database_is_read_only(chinook_copy):
    source = sql_source("DELETE FROM Invoice", url=f"sqlite:///{chinook_copy}")
    with pytest.raises(
        DataSourceError, match=r"write to Invoice \(DELETE\); a report's data source may only read"
    ):
        open_rows(source)
    assert sqlite3.connect(chinook_copy).execute("SELECT COUNT(*) FROM Invoice").fetchone()[0] > 0


def test_missing_database_file_is_not_created(tmp_path):
    missing = tmp_path / "nope.sqlite"
    with pytest.raises(DataSourceError, match=f"database file not found: {missing}"):
        open_rows(sql_source(table="Invoice", url="sqlite:///nope.sqlite"), base_dir=tmp_path)
    assert not missing.exists()


def test_relative_path_resolves_against_base_dir(chinook_copy):
    source = sql_source(table="Genre", url="sqlite:///chinook.sqlite")
    with open_rows(source, base_dir=chinook_copy.parent) as rows:
        assert len(list(rows)) > 0


def test_url_argument_replaces_source_url(chinook_copy, tmp_path):
    source = sql_source(table="Genre", url="sqlite:///elsewhere.sqlite")
    with open_rows(source, url=f"sqlite:///{chinook_copy}") as rows:
        assert len(list(rows)) > 0


def test_environment_variable_in_url_is_never_read(chinook_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("ASHR_TEST_DB_DIR", str(chinook_copy.parent))
    source = sql_source(table="Genre")
    url = "sqlite:///${ASHR_TEST_DB_DIR}/chinook.sqlite"  # even the user's URL: no expansion
    missing = tmp_path / "${ASHR_TEST_DB_DIR}" / "chinook.sqlite"
    with pytest.raises(DataSourceError, match=re.escape(f"database file not found: {missing}")):
        open_rows(source, url=url, base_dir=tmp_path)


def test_malformed_url_is_input_error():
    with pytest.raises(ReportInputError, match="not a database URL"):
        open_rows(sql_source(table="Invoice", url="no url here"))


def test_chunks_have_the_requested_size(chinook, sqlite_answer):
    [(count,)] = sqlite_answer("SELECT COUNT(*) FROM Track")
    with open_rows(sql_source(table="Track"), chunk_size=1000) as rows:
        sizes = [len(chunk) for chunk in rows.chunks(300)]
    assert sum(sizes) == count
    assert set(sizes[:-1]) == {300} and 0 < sizes[-1] <= 300


def test_close_mid_stream_stops_and_is_idempotent(chinook):
    source = sql_source(
        "SELECT a.TrackId, b.TrackId AS other FROM Track a, Track b"
    )  # 12 million rows
    rows = open_rows(source, chunk_size=100)
    iterator = iter(rows)
    taken = [next(iterator) for _ in range(150)]
    rows.close()
    rows.close()
    assert len(taken) == 150 and rows.closed
    assert list(iterator) == []
    assert rows.rows_read == 200


@pytest.fixture
def link_closes(monkeypatch: pytest.MonkeyPatch, sqlite_driver: str) -> list[bool]:
    """One entry per time the reader let its database connection go."""
    from engine.data import connections, sql

    link_class = sql.Link if sqlite_driver == "sqlalchemy" else connections.SqliteLink
    closed: list[bool] = []
    original = link_class.close

    def close(link: object) -> None:
        closed.append(True)
        original(link)

    monkeypatch.setattr(link_class, "close", close)
    return closed


def test_close_before_reading_releases_the_connection(chinook, link_closes):
    closed = link_closes
    with open_rows(sql_source(table="Invoice")) as rows:
        assert rows.fields
    assert closed and rows.closed


def _read_in_thread(rows: RowStream, seen: list[object]) -> threading.Thread:
    def read() -> None:
        try:
            for _ in rows:
                seen.append(1) if not seen else None
        except BaseException as exc:
            seen.append(exc)
        seen.append("done")

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    return worker


def test_close_from_another_thread_stops_the_reader(chinook):
    rows = open_rows(sql_source("SELECT a.TrackId FROM Track a, Track b"), chunk_size=500)
    seen: list[object] = []
    worker = _read_in_thread(rows, seen)
    time.sleep(0.2)
    rows.close()
    worker.join(10)
    assert not worker.is_alive() and seen[-1] == "done" and len(seen) == 2, seen
    assert 0 < rows.rows_read < 3503 * 3503


def test_close_from_another_thread_interrupts_a_running_query(chinook):
    # the first chunk is all of Track but one row; the second would scan 300 million combinations
    # (sqlite3 reads one row ahead, so the first chunk must end before the slow part)
    query = """SELECT TrackId FROM Track UNION ALL
               SELECT a.TrackId FROM Track a, Track b, Genre g WHERE a.Name || b.Name || g.Name = 'x'"""
    [(tracks,)] = sqlite3.connect(CHINOOK).execute("SELECT COUNT(*) FROM Track").fetchall()
    rows = open_rows(sql_source(query), chunk_size=tracks - 1)
    seen: list[object] = []
    worker = _read_in_thread(rows, seen)
    time.sleep(0.5)
    assert worker.is_alive()  # blocked in SQLite
    started = time.monotonic()
    rows.close()
    worker.join(10)
    assert not worker.is_alive() and seen[-1] == "done" and len(seen) == 2, seen
    assert time.monotonic() - started < 5
    assert rows.rows_read == tracks - 1


def test_identity_columns_get_no_per_value_converter(tmp_path):
    # speed lives in bench/; here the mechanism: columns the driver already returns in their
    # field's type are not converted value by value
    path = tmp_path / "big.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (a INTEGER, c TEXT, d NUMERIC)")
        conn.executemany(
            "INSERT INTO t VALUES (?, ?, ?)", ((i, f"name{i}", "1.5") for i in range(20_000))
        )
    conn.close()
    from engine.data import conversion

    calls = []
    original = conversion.column_builder

    def spy(names, converters):
        calls.append([c is not None for c in converters])
        return original(names, converters)

    import engine.data.sql_reader as reader_module

    reader_module.column_builder = spy
    try:
        with open_rows(sql_source(table="t", url=f"sqlite:///{path}")) as stream:
            assert sum(len(chunk) for chunk in stream.chunks(5000)) == 20_000
    finally:
        reader_module.column_builder = original
    assert calls == [[False, False, True]]  # only the decimal column is converted


def test_cancel_from_another_thread_then_close_by_the_reader_releases_the_connection(
    chinook, link_closes
):
    # a render cancelled from the GUI thread while its reader sits between two rows: the
    # rendering thread's own close() afterwards must let the connection go at once
    closed = link_closes
    rows = open_rows(sql_source(table="Track"), chunk_size=100)
    iterator = iter(rows)
    next(iterator)
    canceller = threading.Thread(target=rows.close)
    canceller.start()
    canceller.join(5)
    assert not closed  # the other thread only interrupts; the reader owns the connection
    rows.close()
    assert closed and rows.closed
    assert list(iterator) == []
