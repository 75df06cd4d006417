"""engine.data.catalog against a real PostgreSQL server: the tables the Data Source dialog offers."""

from __future__ import annotations

from engine.data.catalog import list_tables, missing_driver

from .server import PgServer


def test_tables_of_a_postgresql_database(pg: PgServer):
    expected = sorted(
        (name for (name,) in pg.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )),
        key=str.lower,
    )  # fmt: skip
    assert list_tables(pg.url) == expected
    assert {"Invoice", "Track", "big_rows"} <= set(expected)
    assert missing_driver(pg.url) == ""


def test_tables_of_a_url_with_its_own_session_options(pg: PgServer):
    # the URL's options come first and the engine's read-only settings after them
    url = f"{pg.url}?options=-c%20search_path%3Dpublic%20-c%20default_transaction_read_only%3Doff"
    assert "Invoice" in list_tables(url)
