"""A report on a Parquet file rendered to PDF: its group totals read back with PyMuPDF equal SQLite's sums of the same generated rows."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import random
import sqlite3
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pymupdf
import pytest

import engine

REGIONS = ["north", "south", "east", "west", None]


def _rows(count: int) -> list[tuple[str | None, dt.date, int, int]]:
    """(region, day, amount in cents, quantity) rows from a fixed seed."""
    rng = random.Random(2024)
    return [
        (
            rng.choice(REGIONS),
            dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(366)),
            rng.randrange(-5_000, 250_000),
            rng.randrange(1, 20),
        )
        for _ in range(count)
    ]


def _text(x: float, y: float, width: float, expression: str) -> dict[str, object]:
    return {"type": "expression", "x": x, "y": y, "width": width, "height": 14, "expression": expression}  # fmt: skip


def _report() -> dict[str, object]:
    label = "coalesce(region, '(none)')"
    return {
        "format": "ashr",
        "version": 2,
        "name": "parquet_totals",
        "data_source": {"kind": "parquet", "path": "sales.parquet"},
        "sort": [{"expression": "day"}],
        "groups": [{"name": "region", "expression": "region"}],
        "variables": [
            {
                "name": "region_total",
                "expression": "amount",
                "calculation": "sum",
                "reset": "group",
                "reset_group": "region",
            },
            {
                "name": "region_qty",
                "expression": "qty",
                "calculation": "sum",
                "reset": "group",
                "reset_group": "region",
            },
            {"name": "grand_total", "expression": "amount", "calculation": "sum"},
            {"name": "rows", "expression": "qty", "calculation": "count"},
        ],
        "bands": [
            {
                "type": "group_footer",
                "group": "region",
                "height": 16,
                "elements": [
                    _text(
                        0,
                        0,
                        500,
                        f"'REGION ' + {label} + ' TOTAL ' + str(vars.region_total) + ' QTY ' + str(vars.region_qty)",
                    ),
                ],
            },
            {
                "type": "summary",
                "height": 16,
                "elements": [
                    _text(0, 0, 500, "'GRAND ' + str(vars.grand_total) + ' ROWS ' + str(vars.rows)")
                ],
            },
        ],
    }


@pytest.mark.parametrize("categories", [False, True], ids=["sorted by Arrow", "sorted by Python"])
def test_a_parquet_report_prints_the_totals_sqlite_computes(tmp_path, categories):
    rows = _rows(5000)
    region = pa.array([r[0] for r in rows], pa.string())
    table = pa.table(
        {
            # Arrow cannot sort categories (dictionary columns): the fill sorts them in Python
            "region": region.dictionary_encode() if categories else region,
            "day": pa.array([r[1] for r in rows], pa.date32()),
            "amount": pa.array([Decimal(r[2]).scaleb(-2) for r in rows], pa.decimal128(10, 2)),
            "qty": pa.array([r[3] for r in rows], pa.int16()),
        }
    )
    pq.write_table(table, tmp_path / "sales.parquet", row_group_size=1200)
    (tmp_path / "report.ashr").write_text(json.dumps(_report()), encoding="utf-8")

    # the same rows summed by SQLite, in whole cents (exact), never by our program
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE TABLE sales (region TEXT, day TEXT, cents INTEGER, qty INTEGER)")
        db.executemany("INSERT INTO sales VALUES (?, ?, ?, ?)", [(r, d.isoformat(), c, q) for r, d, c, q in rows])  # fmt: skip
        groups = db.execute(
            "SELECT coalesce(region, '(none)'), SUM(cents), SUM(qty) FROM sales "
            "GROUP BY region ORDER BY region IS NOT NULL, region"  # null first, as the spec sorts
        ).fetchall()
        cents, count = db.execute("SELECT SUM(cents), COUNT(*) FROM sales").fetchone()

    prepared = engine.prepare_report(tmp_path / "report.ashr")
    result = engine.render_report(prepared)
    with pymupdf.open(stream=result.pages[0], filetype="pdf") as pdf:
        lines = [line for page in pdf for line in page.get_text().splitlines() if line]
    expected = [
        f"REGION {name} TOTAL {Decimal(total).scaleb(-2)} QTY {qty}" for name, total, qty in groups
    ]
    assert lines == [*expected, f"GRAND {Decimal(cents).scaleb(-2)} ROWS {count}"]


EXAMPLES = Path(__file__).resolve().parents[3] / "resources" / "examples"


def test_the_example_file_holds_chinooks_invoices(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_invoices", EXAMPLES / "make_invoices_parquet.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    made = script.invoice_table(EXAMPLES / "chinook.sqlite")
    assert pq.read_table(EXAMPLES / "invoices.parquet").equals(made)  # made again: the same


def test_the_parquet_example_prints_the_databases_totals():
    with sqlite3.connect(f"file:{EXAMPLES / 'chinook.sqlite'}?mode=ro", uri=True) as db:
        cents, count = db.execute("SELECT SUM(CAST(round(Total * 100) AS INTEGER)), COUNT(*) FROM Invoice").fetchone()  # fmt: skip
    prepared = engine.prepare_report(EXAMPLES / "invoices_parquet.ashr")
    result = engine.render_report(prepared)
    with pymupdf.open(stream=result.pages[0], filetype="pdf") as pdf:
        last = pdf[-1].get_text().splitlines()
    grand = last[last.index("Grand total") + 1]
    assert grand == f"${Decimal(cents).scaleb(-2):,}"
    assert last[last.index("Invoices") + 1] == str(count)
