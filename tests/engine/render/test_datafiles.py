"""write_json and write_csv: the filled report as JSON with forward values resolved, detail rows as CSV."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from engine.fill import fill_report
from engine.render.datafiles import csv_cell, write_csv, write_json
from tests.engine.fill.conftest import band, el, make_report


def test_json_has_bands_in_print_order_with_forward_values(invoices, sql):
    report = make_report(
        name="sales",
        parameters=[{"name": "cutoff", "type": "decimal"}],
        filter="Total > params.cutoff",
        groups=[{"name": "country", "expression": "BillingCountry"}],
        variables=[
            {
                "name": "t",
                "expression": "Total",
                "calculation": "sum",
                "reset": "group",
                "reset_group": "country",
            },
            {"name": "p", "expression": "Total", "calculation": "sum", "reset": "page"},
        ],
        bands=[
            band("title", el("aggregate", name="grand", calculation="sum", expression="Total")),
            band(
                "group_header",
                el("field", field="BillingCountry"),
                el("expression", expression="vars.t"),
                group="country",
            ),
            band("page_footer", el("expression", expression="vars.p"), el("page_number")),
        ],
    )
    params = {"cutoff": Decimal("10")}
    out = io.StringIO()
    write_json(
        report,
        fill_report(report, invoices("i.BillingCountry, i.InvoiceId"), params=params),
        out,
        params,
    )
    data = json.loads(out.getvalue())
    assert data["report"] == "sales" and data["parameters"] == {"cutoff": "10"}
    footer, title, *headers = data["bands"]
    assert footer["type"] == "page_footer"
    assert footer["elements"][0]["text"] == {"page_ref": "p"}
    (grand,) = sql("SELECT SUM(CAST(ROUND(Total * 100) AS INTEGER)) FROM Invoice WHERE Total > 10")[
        0
    ]
    assert title["elements"] == [
        {"name": "grand", "type": "aggregate", "text": str(Decimal(grand).scaleb(-2))}
    ]
    expected = sql(
        "SELECT BillingCountry, SUM(CAST(ROUND(Total * 100) AS INTEGER)) FROM Invoice WHERE Total > 10 GROUP BY 1 ORDER BY 1"
    )
    assert [[e["text"] for e in h["elements"]] for h in headers] == [
        [c, str(Decimal(t).scaleb(-2))] for c, t in expected
    ]
    assert all(h["type"] == "group_header" and h["group"] == "country" for h in headers)


def test_csv_writes_the_filtered_rows(invoices, sql):
    report = make_report(filter="BillingCountry == 'Canada'")
    out = io.StringIO()
    rows = invoices()
    write_csv(report, rows, out, {}, field_names=["InvoiceId", "Total", "InvoiceDate"])
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert lines[0] == ["InvoiceId", "Total", "InvoiceDate"]
    expected = sql(
        "SELECT InvoiceId, printf('%.2f', Total), InvoiceDate FROM Invoice WHERE BillingCountry = 'Canada' ORDER BY InvoiceId"
    )
    assert [tuple(line) for line in lines[1:]] == [(str(i), t, d) for i, t, d in expected]


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=b", "a=b"), ("", ""), (None, ""), (-2, "-2"),
     (Decimal("-2.50"), "-2.50"), (-0.5, "-0.5"), (b"\x00\xff", "AP8="),
     (bytearray(b"ab"), "YWI="), (True, "true")],
)  # fmt: skip
def test_csv_cell_neutralises_formulas_and_writes_bytes_as_base64(value, cell):
    assert csv_cell(value) == cell


def test_csv_rows_read_back_exactly_whatever_the_cells_hold():
    report = make_report(filter=None)
    cells = ["a,b", 'say "hi"', "two\nlines", "cr\ronly", "", "plain"]
    rows = [{"v": cell} for cell in cells] + [{"v": None}]
    out = io.StringIO(newline="")
    write_csv(report, rows, out, {}, field_names=["v"])
    text = out.getvalue()
    assert text.endswith('""\n') and "\r\n" not in text
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["v"], *[[c] for c in cells], [""]]
