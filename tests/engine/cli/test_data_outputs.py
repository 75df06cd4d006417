"""`render --format json|csv`, `--param`, `--data` and `fields`: data read back and checked against SQL."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ..render.helpers import CHINOOK, EXAMPLES, chinook_sql, run_main, usd, write_report

INVOICES = EXAMPLES / "invoices_by_country.ashr"
CUSTOMERS = EXAMPLES / "customers_by_country_city.ashr"


def render_data(tmp_path: Path, report: Path, fmt: str, *args: str) -> str:
    out = tmp_path / f"out.{fmt}"
    status, stdout, err = run_main("render", report, "-o", out, *args)
    assert (status, stdout, err) == (0, "", "")
    return out.read_text(encoding="utf-8")


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def invoice_report(tmp_path: Path, **changes: Any) -> Path:
    """A listing of Chinook invoices (the `Invoice` table) with the given top-level keys."""
    shutil.copy(CHINOOK, tmp_path / "chinook.sqlite")
    data = {
        "format": "ashr",
        "version": 1,
        "name": "listing",
        "data_source": {"kind": "sql", "url": "sqlite:///chinook.sqlite", "table": "Invoice"},
        "bands": [
            {
                "type": "detail",
                "height": 14,
                "elements": [
                    {
                        "type": "field",
                        "x": 0,
                        "y": 0,
                        "width": 100,
                        "height": 14,
                        "field": "InvoiceId",
                    }
                ],
            }
        ],
        **changes,
    }
    return write_report(tmp_path / "listing.ashr", data)


# -- json -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("json")
    return json.loads(render_data(folder, INVOICES, "json"))


def texts(band: dict[str, Any]) -> list[Any]:
    return [e["text"] for e in band["elements"]]


def test_json_bands_in_print_order(filled):
    kinds = [b["type"] for b in filled["bands"]]
    assert filled["report"] == "invoices_by_country"
    assert filled["parameters"] == {"start": "2009-01-01"}
    assert kinds[:3] == ["column_header", "page_footer", "title"]
    assert kinds[-1] == "summary"
    (count,) = chinook_sql("SELECT COUNT(*) FROM Invoice")[0]
    details = [b for b in filled["bands"] if b["type"] == "detail"]
    assert [b["row_number"] for b in details] == list(range(1, count + 1))
    expected = chinook_sql(
        "SELECT CAST(InvoiceId AS TEXT) FROM Invoice ORDER BY BillingCountry, InvoiceDate, InvoiceId"
    )
    assert [texts(b)[1] for b in details] == [r[0] for r in expected]
    # each country: header, its details, footer
    order = [k for k in kinds if k in ("group_header", "group_footer")]
    assert order == ["group_header", "group_footer"] * 24


def test_json_group_values_equal_sql(filled):
    expected = chinook_sql(
        "SELECT BillingCountry, COUNT(*), SUM(CAST(ROUND(Total * 100) AS INTEGER)) "
        "FROM Invoice GROUP BY BillingCountry ORDER BY BillingCountry"
    )
    headers = [texts(b) for b in filled["bands"] if b["type"] == "group_header"]
    footers = [texts(b) for b in filled["bands"] if b["type"] == "group_footer"]
    word = lambda n: f"{n} invoice" if n == 1 else f"{n} invoices"  # noqa: E731
    assert headers == [[None, c, word(n)] for c, n, _ in expected]
    assert footers == [[None, word(n), f"Subtotal {c}", usd(cents)] for c, n, cents in expected]
    (summary,) = [texts(b) for b in filled["bands"] if b["type"] == "summary"]
    (total,) = chinook_sql("SELECT SUM(CAST(ROUND(Total * 100) AS INTEGER)) FROM Invoice")[0]
    assert summary[1:5] == ["Grand total", usd(total), "Invoices", "412"]


def test_json_page_furniture_is_not_evaluated(filled):
    (footer,) = [b for b in filled["bands"] if b["type"] == "page_footer"]
    assert texts(footer)[2] == {"page_number": "Page {page} of {pages}"}


# -- csv ---------------------------------------------------------------------------------------


def test_csv_rows_after_filter_and_sort(tmp_path):
    report = invoice_report(
        tmp_path,
        filter="Total > 10 and BillingCountry != 'USA'",
        sort=[{"expression": "Total", "descending": True}, {"expression": "InvoiceId"}],
    )
    rows = csv_rows(render_data(tmp_path, report, "csv"))
    expected = chinook_sql(
        "SELECT InvoiceId, Total FROM Invoice WHERE Total > 10 AND BillingCountry <> 'USA' "
        "ORDER BY Total DESC, InvoiceId"
    )
    assert 0 < len(expected) < 100
    assert [(int(r["InvoiceId"]), float(r["Total"])) for r in rows] == expected
    assert list(rows[0]) == [
        "InvoiceId", "CustomerId", "InvoiceDate", "BillingAddress", "BillingCity",
        "BillingState", "BillingCountry", "BillingPostalCode", "Total",
    ]  # fmt: skip


def test_csv_rows_in_group_order_with_an_expression_sort(tmp_path):
    # `Total * -1` is not a plain field, so the rows are sorted in Python, not by the database
    report = invoice_report(
        tmp_path,
        groups=[{"name": "country", "expression": "BillingCountry"}],
        sort=[{"expression": "Total * -1"}, {"expression": "InvoiceId"}],
        filter="year(InvoiceDate) >= 2024",
    )
    rows = csv_rows(render_data(tmp_path, report, "csv"))
    expected = chinook_sql(
        "SELECT InvoiceId FROM Invoice WHERE InvoiceDate >= '2024-01-01' "
        "ORDER BY BillingCountry, Total * -1, InvoiceId"
    )
    assert [int(r["InvoiceId"]) for r in rows] == [r[0] for r in expected]


# -- parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["2025-06-01", "2023-02-15"])
def test_date_parameter_restricts_rows(tmp_path, start):
    rows = csv_rows(render_data(tmp_path, INVOICES, "csv", "--param", f"start={start}"))
    (count,) = chinook_sql("SELECT COUNT(*) FROM Invoice WHERE InvoiceDate >= ?", start)[0]
    assert 0 < count < 412
    assert len(rows) == count
    assert min(r["InvoiceDate"] for r in rows) >= start


def test_date_parameter_reaches_the_title(tmp_path):
    filled = json.loads(render_data(tmp_path, INVOICES, "json", "--param", "start=2025-06-01"))
    (title,) = [b for b in filled["bands"] if b["type"] == "title"]
    assert texts(title)[1] == "Invoices dated 1 June 2025 or later, by billing country"
    assert filled["parameters"] == {"start": "2025-06-01"}


def country_report(tmp_path: Path) -> Path:
    shutil.copy(CHINOOK, tmp_path / "chinook.sqlite")
    data = {
        "format": "ashr",
        "version": 1,
        "name": "by_country",
        "data_source": {
            "kind": "sql",
            "url": "sqlite:///chinook.sqlite",
            "query": "SELECT CustomerId, LastName, Country FROM Customer WHERE Country = :country",
        },
        "parameters": [{"name": "country", "type": "string", "default": "Brazil"}],
        "sort": [{"expression": "CustomerId"}],
        "bands": [],
    }
    return write_report(tmp_path / "by_country.ashr", data)


def test_string_parameter_selects_rows(tmp_path):
    rows = csv_rows(
        render_data(tmp_path, country_report(tmp_path), "csv", "--param", "country=Canada")
    )
    expected = chinook_sql("SELECT CustomerId FROM Customer WHERE Country = 'Canada' ORDER BY 1")
    assert [int(r["CustomerId"]) for r in rows] == [r[0] for r in expected]


@pytest.mark.parametrize("value", ["x' OR '1'='1", "Brazil' --", "'; DROP TABLE Customer; --"])
def test_parameter_with_sql_fragments_is_only_a_value(tmp_path, value):
    report = country_report(tmp_path)
    text = render_data(tmp_path, report, "csv", "--param", f"country={value}")
    assert csv_rows(text) == []
    con = sqlite3.connect(tmp_path / "chinook.sqlite")
    assert con.execute("SELECT COUNT(*) FROM Customer").fetchone() == (59,)
    con.close()


# -- --data URL ----------------------------------------------------------------------------------


def test_data_url_points_the_report_at_another_database(tmp_path):
    copy = tmp_path / "copy.sqlite"
    shutil.copy(CHINOOK, copy)
    con = sqlite3.connect(copy)
    con.execute("DELETE FROM InvoiceLine WHERE InvoiceId = 98")
    con.execute("DELETE FROM Invoice WHERE InvoiceId = 98")
    con.commit()
    con.close()
    original = csv_rows(render_data(tmp_path, INVOICES, "csv"))
    other = csv_rows(render_data(tmp_path, INVOICES, "csv", "--data", f"sqlite:///{copy}"))
    assert len(other) == len(original) - 1 == 411
    assert "98" in {r["InvoiceId"] for r in original}
    assert "98" not in {r["InvoiceId"] for r in other}


# -- fields ---------------------------------------------------------------------------------------


def fields_listing(*args: str | Path) -> list[tuple[str, str]]:
    status, out, err = run_main("fields", *args)
    assert (status, err) == (0, "")
    return [tuple(line.split()) for line in out.splitlines()]  # type: ignore[misc]


def test_fields_of_a_report():
    assert fields_listing(CUSTOMERS) == [
        (f["name"], f["type"])
        for f in json.loads(CUSTOMERS.read_text(encoding="utf-8"))["data_source"]["fields"]
    ]


SQL_TYPES = {
    "INTEGER": "integer",
    "NVARCHAR": "string",
    "DATETIME": "datetime",
    "NUMERIC": "decimal",
}


def test_fields_of_a_table():
    listed = fields_listing("--data", f"sqlite:///{CHINOOK}", "--table", "Invoice")
    columns = chinook_sql("SELECT name, type FROM pragma_table_info('Invoice') ORDER BY cid")
    assert listed == [(name, SQL_TYPES[kind.split("(")[0]]) for name, kind in columns]


def test_fields_of_a_query_infer_types(tmp_path):
    listed = fields_listing(
        "--data", f"sqlite:///{CHINOOK}", "--query",
        "SELECT InvoiceId, Total * 2 AS Doubled, BillingCountry FROM Invoice",
    )  # fmt: skip
    assert [name for name, _ in listed] == ["InvoiceId", "Doubled", "BillingCountry"]
    assert dict(listed)["BillingCountry"] == "string"
    assert dict(listed)["InvoiceId"] == "integer"


def test_fields_without_report_or_data_exits_2():
    status, _out, err = run_main("fields")
    assert status == 2
    assert err == "give a report file, or --data URL with --table or --query\n"
