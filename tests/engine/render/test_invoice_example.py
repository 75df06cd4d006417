"""The invoice example (one page per invoice) rendered by the CLI: bill-to, every line and the totals checked against SQL."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest

from .helpers import EXAMPLES, chinook_sql, cli_popen, page_lines, usd

REPORT = EXAMPLES / "invoice.ashr"
FOOTER = "AshReports example — Chinook sample database (MIT licence)"
#: 98: the default (2 lines, a company); 5: the most lines (14, two long album titles that
#: wrap); the invoice with the largest total; 1: a customer with a state but no company
((_LARGEST,),) = chinook_sql("SELECT InvoiceId FROM Invoice ORDER BY Total DESC, InvoiceId LIMIT 1")
INVOICES = (98, 5, 1, _LARGEST)
MISSING = 999_999


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[int, Path]:
    """Each invoice rendered with `python -m engine render invoice.ashr --param invoice_id=N` (at once)."""
    out = tmp_path_factory.mktemp("invoice")
    procs = {
        n: cli_popen("render", REPORT, "--param", f"invoice_id={n}", "-o", out / f"{n}.pdf")
        for n in (*INVOICES, MISSING)
    }
    for n, proc in procs.items():
        _stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert stderr == "", f"invoice {n}: unexpected warnings: {stderr}"
    return {n: out / f"{n}.pdf" for n in procs}


def lines_of(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        assert doc.page_count == 1, "an invoice fits one page"
        return page_lines(doc[0])


def cents(value: float | int | str) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


@pytest.mark.parametrize("invoice", INVOICES)
def test_bill_to_and_invoice_facts_come_from_the_invoice(rendered, invoice):
    (row,) = chinook_sql(
        "SELECT c.FirstName || ' ' || c.LastName, c.Company, i.BillingAddress, i.BillingCity,"
        " i.BillingState, i.BillingCountry, i.BillingPostalCode, c.Email, i.Total,"
        " strftime('%d', i.InvoiceDate), strftime('%m', i.InvoiceDate), strftime('%Y', i.InvoiceDate)"
        " FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId WHERE i.InvoiceId = ?",
        invoice,
    )
    name, company, address, city, state, country, postal, email, total, day, month, year = row
    lines = lines_of(rendered[invoice])
    start = lines.index("Bill to")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
    expected = [name] + ([company] if company else []) + [
        address,
        f"{postal} {city}" if postal else city,
        f"{state}, {country}" if state else country,
        email,
        "Invoice number", str(invoice),
        "Invoice date", f"{int(day)} {months[int(month) - 1]} {year}",
        "Amount due", usd(cents(total)),
    ]  # fmt: skip
    assert lines[start + 1 : start + 1 + len(expected)] == expected
    assert lines[-2:] == [FOOTER, "Page 1 of 1"]


@pytest.mark.parametrize("invoice", INVOICES)
def test_every_line_and_total_equals_sql(rendered, invoice):
    items = chinook_sql(
        "SELECT t.Name, il.Quantity, il.UnitPrice FROM InvoiceLine il"
        " JOIN Track t ON t.TrackId = il.TrackId WHERE il.InvoiceId = ? ORDER BY il.InvoiceLineId",
        invoice,
    )
    ((quantity, line_cents, total),) = chinook_sql(
        "SELECT SUM(il.Quantity), SUM(CAST(round(il.UnitPrice * 100) AS INTEGER) * il.Quantity),"
        " i.Total FROM InvoiceLine il JOIN Invoice i ON i.InvoiceId = il.InvoiceId"
        " WHERE il.InvoiceId = ?",
        invoice,
    )
    lines = lines_of(rendered[invoice])
    table = lines[lines.index("Amount") + 1 : lines.index("Tracks")]
    # a row ends with its unit price and amount: two lines in dollars
    starts = [
        i for i in range(len(table))
        if i == 0 or (i >= 2 and table[i - 1].startswith("$") and table[i - 2].startswith("$"))
    ]  # fmt: skip
    assert len(starts) == len(items)
    for k, ((track, qty, price), at) in enumerate(zip(items, starts, strict=True), start=1):
        end = starts[k] if k < len(starts) else len(table)
        row = table[at:end]
        assert row[:2] == [str(k), track]  # the running line number, then the track
        assert row[-3:] == [str(qty), usd(cents(price)), usd(cents(price) * qty)]
    footer = lines[lines.index("Tracks") :]
    assert footer[:6] == [
        "Tracks", str(quantity),
        "Sum of the lines", usd(line_cents),
        "Total due", usd(cents(total)),
    ]  # fmt: skip
    assert line_cents == cents(total), "Chinook's invoice totals equal their lines"


def test_an_unknown_invoice_number_prints_the_no_data_band(rendered):
    lines = lines_of(rendered[MISSING])
    assert "There is no invoice with this number." in lines
    assert "Bill to" not in lines and "Total due" not in lines
