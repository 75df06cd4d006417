"""introspect_fields and resolve_url: fields from declarations, tables, queries and files; URLs made ready."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.data import FieldInfo, introspect_fields, resolve_url
from engine.errors import DataSourceError

from .helpers import csv_source, json_source, sql_source


def test_declared_fields_win_without_reading(tmp_path):
    fields = [{"name": "a", "type": "decimal"}]
    source = csv_source(tmp_path / "does-not-exist.csv", fields=fields)
    assert introspect_fields(source) == [FieldInfo("a", "decimal")]


def test_table_fields_from_declared_column_types(chinook):
    assert introspect_fields(sql_source(table="Track")) == [
        FieldInfo("TrackId", "integer"), FieldInfo("Name", "string"), FieldInfo("AlbumId", "integer"),
        FieldInfo("MediaTypeId", "integer"), FieldInfo("GenreId", "integer"),
        FieldInfo("Composer", "string"), FieldInfo("Milliseconds", "integer"),
        FieldInfo("Bytes", "integer"), FieldInfo("UnitPrice", "decimal"),
    ]  # fmt: skip


def test_query_fields_with_parameters(chinook):
    query = """SELECT i.InvoiceDate AS "When", i.Total * 2 AS double, upper(c.Country) AS country
               FROM Invoice i JOIN Customer c USING (CustomerId) WHERE c.Country = :country"""
    fields = introspect_fields(sql_source(query), params={"country": "Norway"})
    assert fields == [FieldInfo("When", "datetime"), FieldInfo("double", "float"),
                      FieldInfo("country", "string")]  # fmt: skip


def test_query_fields_of_an_empty_result(chinook):
    query = "SELECT InvoiceId, Total, 'x' || BillingCity AS city FROM Invoice WHERE 0"
    assert introspect_fields(sql_source(query)) == [
        FieldInfo("InvoiceId", "integer"), FieldInfo("Total", "decimal"), FieldInfo("city", "string"),
    ]  # fmt: skip


def test_file_fields(tmp_path):
    (tmp_path / "a.csv").write_text("x,y\n1,2024-01-01\n")
    (tmp_path / "a.json").write_text('[{"x": 1.5}]')
    assert introspect_fields(csv_source("a.csv"), base_dir=tmp_path) == [
        FieldInfo("x", "integer"), FieldInfo("y", "date"),
    ]  # fmt: skip
    assert introspect_fields(json_source("a.json"), base_dir=tmp_path) == [
        FieldInfo("x", "decimal")
    ]


def test_resolve_url_relative_sqlite_path(tmp_path):
    assert resolve_url("sqlite:///data/x.sqlite", tmp_path) == f"sqlite:///{tmp_path}/data/x.sqlite"
    assert resolve_url("sqlite:////abs/x.sqlite", tmp_path) == "sqlite:////abs/x.sqlite"
    assert resolve_url("sqlite://", tmp_path) == "sqlite://"
    assert resolve_url("sqlite:///x.sqlite", None) == f"sqlite:///{Path.cwd()}/x.sqlite"


def test_resolve_url_never_reads_the_environment(monkeypatch):
    """A report file never reads an environment variable: `${NAME}` stays text (format version 2)."""
    monkeypatch.setenv("ASHR_PW", "s3cret")
    url = "postgresql://report:${ASHR_PW}@db.example/sales"
    assert "s3cret" not in resolve_url(url, None)


def test_connection_errors_hide_the_password(monkeypatch):
    pytest.importorskip("psycopg", reason="needs a PostgreSQL driver")
    source = sql_source(table="t", url="postgresql://u:s3cret@127.0.0.1:1/db")
    with pytest.raises(DataSourceError, match=r"cannot connect to postgresql://u:\*\*\*@") as info:
        introspect_fields(source)
    assert "s3cret" not in str(info.value)


def test_generic_dialect_reflects_table_types(chinook):
    import sqlalchemy as sa

    from engine.data.dialects import Dialect, SqliteDialect

    engine = SqliteDialect().create_engine(sa.engine.make_url(f"sqlite:///{chinook}"))
    try:
        with engine.connect() as conn:
            types = Dialect().declared_types(conn, "", "Invoice")
            assert Dialect().declared_types(conn, "SELECT 1", None) is None
    finally:
        engine.dispose()
    assert types is not None
    assert dict(types) == {
        "InvoiceId": "integer", "CustomerId": "integer", "InvoiceDate": "datetime",
        "BillingAddress": "string", "BillingCity": "string", "BillingState": "string",
        "BillingCountry": "string", "BillingPostalCode": "string", "Total": "decimal",
    }  # fmt: skip
