"""order_by → rows in order: pushed into SQL ORDER BY (checked against sqlite3), sorted in Python for files."""

from __future__ import annotations

import json

import pytest

from engine.data import OrderKey, open_rows
from engine.errors import DataSourceError

from .helpers import csv_source, json_source, sql_source


@pytest.mark.usefixtures("sqlite_driver")
@pytest.mark.parametrize("descending", [False, True])
def test_sql_order_is_pushed_down(chinook, sqlite_answer, descending):
    direction = "DESC" if descending else "ASC"
    expected = sqlite_answer(
        f"SELECT InvoiceId FROM Invoice ORDER BY BillingState {direction} NULLS FIRST, Total DESC, InvoiceId"
    )
    order = [OrderKey("BillingState", descending), OrderKey("Total", True), OrderKey("InvoiceId")]
    source = sql_source("SELECT InvoiceId, BillingState, Total FROM Invoice;")
    with open_rows(source, order_by=order) as rows:
        assert rows.ordered
        result = list(rows)
    assert [(row["InvoiceId"],) for row in result] == expected
    states = [row["BillingState"] for row in result]
    assert states[0] is None and states[-1] is not None  # null values first in both directions


@pytest.mark.usefixtures("sqlite_driver")
def test_sql_order_on_a_table_and_an_expression_column(chinook, sqlite_answer):
    expected = sqlite_answer("SELECT GenreId FROM Genre ORDER BY Name DESC")
    with open_rows(sql_source(table="Genre"), order_by=[OrderKey("Name", True)]) as rows:
        assert [(row["GenreId"],) for row in rows] == expected
    query = (
        "SELECT CustomerId, FirstName || ' ' || LastName AS \"Full name\" FROM Customer -- people"
    )
    expected = sqlite_answer(
        "SELECT CustomerId FROM Customer ORDER BY FirstName || ' ' || LastName"
    )
    with open_rows(sql_source(query), order_by=[OrderKey("Full name")]) as rows:
        assert [(row["CustomerId"],) for row in rows] == expected


@pytest.mark.usefixtures("sqlite_driver")
def test_sql_order_by_an_unknown_field_is_an_error(chinook):
    # unqualified, SQLite would read "Totl" as a string constant and not sort at all
    with pytest.raises(DataSourceError, match=r"no such column: q\.Totl"):
        open_rows(sql_source(table="Invoice"), order_by=[OrderKey("Totl")])


def test_csv_is_sorted_in_python_nulls_first_and_stable(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("id,city,age\n1,Oslo,30\n2,,41\n3,Bergen,30\n4,Oslo,25\n5,,30\n6,Bergen,\n")
    with open_rows(csv_source(path), base_dir=tmp_path, order_by=[OrderKey("city")]) as rows:
        assert rows.ordered and rows.rows_total == 6
        assert [row["id"] for row in rows] == [2, 5, 3, 6, 1, 4]
    order = [OrderKey("city", True), OrderKey("age")]
    with open_rows(csv_source(path), base_dir=tmp_path, order_by=order) as rows:
        assert [row["id"] for row in rows] == [5, 2, 4, 1, 6, 3]
    with open_rows(csv_source(path), base_dir=tmp_path, order_by=[OrderKey("age", True)]) as rows:
        assert [row["id"] for row in rows] == [6, 2, 1, 3, 5, 4]


def test_json_sort_and_unknown_field(tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([{"n": "b", "v": 2.5}, {"n": "a"}, {"n": "c", "v": 1}]))
    with open_rows(json_source(path), base_dir=tmp_path, order_by=[OrderKey("v")]) as rows:
        assert [row["n"] for row in rows] == ["a", "c", "b"]
    with pytest.raises(DataSourceError, match=r"cannot sort by 'w': no such field .* fields: n, v"):
        open_rows(json_source(path), base_dir=tmp_path, order_by=[OrderKey("w")])


def test_postgresql_order_puts_nulls_first():
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.engine import make_url

    from engine.data.dialects import dialect_for
    from engine.data.sql import ordered_sql

    dialect = dialect_for(make_url("postgresql://u@h/db"))
    order = [OrderKey("Country"), OrderKey("total", True)]
    sql = ordered_sql("SELECT 1 -- note", order, postgresql.dialect(), dialect)
    assert sql == (
        "SELECT * FROM (\nSELECT 1 -- note\n) AS q "
        'ORDER BY q."Country" ASC NULLS FIRST, q."total" DESC NULLS FIRST'
    )
