"""engine.data.catalog against a real PostgreSQL server: the tables the Data Source dialog offers, `${ENV}` in the URL."""

from __future__ import annotations

from engine.data.catalog import list_tables, literal_password, missing_driver

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


def test_environment_variables_in_the_url_are_expanded(pg: PgServer, monkeypatch):
    scheme, rest = pg.url.split("://", 1)
    user, host = rest.split("@", 1)
    monkeypatch.setenv("ASHR_TEST_PG_USER", user)
    url = f"{scheme}://${{ASHR_TEST_PG_USER}}@{host}"
    assert literal_password(url) == ""
    assert "Invoice" in list_tables(url)
