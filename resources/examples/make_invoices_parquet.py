"""chinook.sqlite's Invoice table (with each customer's name) → invoices.parquet, the data of invoices_parquet.ashr.

Run from anywhere: `python resources/examples/make_invoices_parquet.py`. The same
chinook.sqlite and pyarrow version give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from engine.data.sqlite import connect_readonly

HERE = Path(__file__).resolve().parent
QUERY = """
SELECT i.InvoiceId, i.InvoiceDate, i.BillingCity, i.BillingCountry,
       c.FirstName || ' ' || c.LastName AS Customer, CAST(i.Total AS TEXT) AS Total
FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId
ORDER BY i.InvoiceId
"""
SCHEMA = pa.schema(
    [
        ("InvoiceId", pa.int32()),
        ("InvoiceDate", pa.date32()),
        ("BillingCity", pa.string()),
        ("BillingCountry", pa.string()),
        ("Customer", pa.string()),
        ("Total", pa.decimal128(10, 2)),
    ]
)


def invoice_table(database: Path) -> pa.Table:
    """The invoices as an Arrow table: dates as dates (every invoice is dated at midnight), totals exact."""
    conn = connect_readonly(database)  # the engine's one read-only path (authorizer, mode=ro)
    try:
        rows = conn.execute(QUERY).fetchall()
    finally:
        conn.close()
    columns = list(zip(*rows, strict=True))
    columns[1] = [dt.date.fromisoformat(text[:10]) for text in columns[1]]
    columns[5] = [Decimal(text).quantize(Decimal("0.01")) for text in columns[5]]
    return pa.table([pa.array(c, f.type) for c, f in zip(columns, SCHEMA, strict=True)], SCHEMA)


def main() -> None:
    target = HERE / "invoices.parquet"
    pq.write_table(invoice_table(HERE / "chinook.sqlite"), target, compression="zstd")
    print(f"wrote {target}")  # a script, not library code


if __name__ == "__main__":
    main()
