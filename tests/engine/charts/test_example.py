"""The sales_charts example rendered by the CLI: every chart's numbers against SQL, its text in the PDF."""

from __future__ import annotations

from decimal import Decimal

import pymupdf

from tests.engine.render.helpers import EXAMPLES, chinook_sql, cli

from .helpers import NOTE_RE, PIE_RE, sql_totals


def test_sales_charts_example(tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = EXAMPLES / "sales_charts.ashr"
    done = cli("render", report, "-o", tmp_path / "sales.typ")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    source = (tmp_path / "sales.typ").read_text()
    by_country = sorted(
        sql_totals("SELECT BillingCountry, SUM(Total) FROM Invoice GROUP BY 1").items(),
        key=lambda kv: -kv[1],
    )
    points = [(s, c, Decimal(v)) for s, c, v in NOTE_RE.findall(source)]
    bars = points[:10]
    assert [(c, v) for _, c, v in bars[:9]] == by_country[:9]
    assert bars[9][1:] == ("Other", sum(v for _, v in by_country[9:]))
    wedges = PIE_RE.findall(source)
    assert [(c, Decimal(v)) for c, v, _ in wedges[:5]] == by_country[:5]
    sizes = dict(
        ((year, size), n)
        for year, size, n in chinook_sql(
            "SELECT strftime('%Y', InvoiceDate), CASE WHEN Total >= 10 THEN '10 USD or more' "
            "ELSE 'under 10 USD' END, COUNT(*) FROM Invoice GROUP BY 1, 2"
        )
    )
    stacked = [(s, c, int(v)) for s, c, v in points if s]
    assert {(c, s): v for s, c, v in stacked} == sizes
    done = cli("render", report, "-o", tmp_path / "sales.pdf")
    assert done.returncode == 0, done.stderr
    with pymupdf.open(tmp_path / "sales.pdf") as doc:
        assert len(doc) == 1
        text = doc[0].get_text()
    for title in (
        "Sales by country (USD)",
        "Share of sales",
        "Sales by quarter",
        "Invoices per year by size",
    ):
        assert title in text
