"""Fixtures for the fill tests: Chinook rows read with sqlite3, a report builder and band helpers."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.fill import BandInstance, element_text, fill_report
from engine.model import Report

CHINOOK = Path("/work/shared/data/chinook.sqlite")

INVOICES = """
SELECT i.InvoiceId, i.InvoiceDate, i.BillingCountry, i.BillingState, i.BillingCity,
       c.FirstName || ' ' || c.LastName AS Customer, i.CustomerId, i.Total
FROM Invoice i JOIN Customer c USING (CustomerId)
"""


@pytest.fixture(scope="session")
def chinook() -> Iterator[sqlite3.Connection]:
    """A read-only connection to the Chinook database, rows as sqlite3.Row."""
    if not CHINOOK.exists():
        pytest.skip("the Chinook database is not available")
    con = sqlite3.connect(f"file:{CHINOOK}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    yield con
    con.close()


def _typed(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    if out.get("Total") is not None:
        out["Total"] = Decimal(str(out["Total"]))
    if isinstance(out.get("InvoiceDate"), str):
        out["InvoiceDate"] = dt.datetime.fromisoformat(out["InvoiceDate"])
    return out


@pytest.fixture(scope="session")
def invoices(chinook: sqlite3.Connection):
    """``invoices(order_by)``: Chinook invoices joined with customers, Total as Decimal."""

    def read(order_by: str = "i.InvoiceId") -> list[dict[str, Any]]:
        return [_typed(r) for r in chinook.execute(f"{INVOICES} ORDER BY {order_by}")]

    return read


@pytest.fixture(scope="session")
def sql(chinook: sqlite3.Connection):
    """``sql(query, *args)``: the rows of an SQL query as tuples (the independent truth)."""

    def run(query: str, *args: Any) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in chinook.execute(query, args)]

    return run


def el(kind: str, **keys: Any) -> dict[str, Any]:
    """An element of ``kind`` with a default box."""
    return {"type": kind, "x": 0, "y": 0, "width": 50, "height": 10, **keys}


def band(kind: str, *elements: dict[str, Any], **keys: Any) -> dict[str, Any]:
    """A band of ``kind`` holding ``elements``."""
    return {"type": kind, "height": 12, "elements": list(elements), **keys}


def make_report(**keys: Any) -> Report:
    """A validated Report from the given top-level keys (format, version and name filled in)."""
    data = {"format": "ashr", "version": 1, "name": "test", **keys}
    return Report.model_validate(data)


def texts(instance: BandInstance) -> list[Any]:
    """The element texts of a band instance, forward values followed."""
    return [element_text(v) for v in instance.elements]


def fill(
    report: Report, rows: Iterable[dict[str, Any]] | None, **params: Any
) -> list[BandInstance]:
    """Every band instance of a fill, as a list."""
    return list(fill_report(report, rows, params=params))


def of_type(
    instances: list[BandInstance], band_type: str, group: str | None = None
) -> list[BandInstance]:
    """The instances of one band type (and group)."""
    return [
        i for i in instances if i.band_type == band_type and (group is None or i.group == group)
    ]


def cents(value: Any) -> Decimal:
    """An SQL money value (REAL) as an exact Decimal with two decimals."""
    return Decimal(str(value)).quantize(Decimal("0.01"))
