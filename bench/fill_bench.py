"""Fill benchmark: generated rows in, fill throughput (rows/s) and peak RSS out.

Run ``python -m bench.fill_bench --rows 1000000``. Two cases: a report with two group
levels and four variables and no detail band (the fill loop alone), and the same report
with a detail band printing four formatted values. Rows are generated in memory before
the clock starts (``--sqlite`` reads them from a stdlib sqlite3 file instead, timing the
read too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from engine.fill import fill_report
from engine.model import Report

COUNTRIES = [f"Country{i:02d}" for i in range(20)]


def generate_rows(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` rows sorted by country and city, with Decimal amounts, int quantities and dates."""
    rng = random.Random(seed)
    per_country = max(1, count // len(COUNTRIES))
    rows: list[dict[str, Any]] = []
    start = dt.date(2020, 1, 1)
    for country in COUNTRIES:
        n = per_country if country != COUNTRIES[-1] else count - len(rows)
        cities = sorted(f"{country}-City{j:02d}" for j in range(10))
        for i in range(n):
            rows.append(
                {
                    "country": country,
                    "city": cities[i * len(cities) // n],
                    "amount": Decimal(rng.randint(100, 1_000_000)) / 100,
                    "qty": rng.randint(1, 50),
                    "day": start + dt.timedelta(days=rng.randint(0, 1500)),
                }
            )
    return rows


def _element(kind: str, **keys: Any) -> dict[str, Any]:
    return {"type": kind, "x": 0, "y": 0, "width": 50, "height": 10, **keys}


def build_report(with_detail: bool) -> Report:
    """Two group levels, four variables; optionally a detail band with four formatted values."""
    bands: list[dict[str, Any]] = [
        {"type": "group_header", "group": "country", "height": 12, "elements": [
            _element("field", field="country"), _element("expression", expression="vars.country_total")]},
        {"type": "group_footer", "group": "city", "height": 12, "elements": [
            _element("expression", expression="vars.city_count")]},
        {"type": "summary", "height": 12, "elements": [
            _element("expression", expression="vars.grand_total"),
            _element("expression", expression="vars.max_qty")]},
    ]  # fmt: skip
    if with_detail:
        bands.append(
            {
                "type": "detail",
                "height": 12,
                "elements": [
                    _element(
                        "field", field="day", format={"kind": "date", "pattern": "yyyy-MM-dd"}
                    ),
                    _element("field", field="qty", format={"kind": "number", "pattern": "#,##0"}),
                    _element(
                        "field", field="amount", format={"kind": "currency", "currency": "USD"}
                    ),
                    _element(
                        "expression",
                        expression="amount * qty",
                        format={"kind": "number", "pattern": "#,##0.00"},
                    ),
                ],
            }
        )
    return Report.model_validate(
        {
            "format": "ashr",
            "version": 1,
            "name": "bench",
            "locale": "en_US",
            "groups": [
                {"name": "country", "expression": "country"},
                {"name": "city", "expression": "city"},
            ],
            "variables": [
                {"name": "country_total", "expression": "amount", "calculation": "sum", "reset": "group", "reset_group": "country"},
                {"name": "city_count", "expression": "qty", "calculation": "count", "reset": "group", "reset_group": "city"},
                {"name": "grand_total", "expression": "amount", "calculation": "sum"},
                {"name": "max_qty", "expression": "qty", "calculation": "max"},
            ],
            "bands": bands,
        }
    )  # fmt: skip


def sqlite_rows(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The rows written to a temporary sqlite3 file and read back as dicts."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.sqlite")
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE t (country TEXT, city TEXT, amount TEXT, qty INTEGER, day TEXT)")
        con.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
            (
                (r["country"], r["city"], str(r["amount"]), r["qty"], r["day"].isoformat())
                for r in rows
            ),
        )
        con.commit()
        for country, city, amount, qty, day in con.execute("SELECT * FROM t ORDER BY rowid"):
            yield {
                "country": country,
                "city": city,
                "amount": Decimal(amount),
                "qty": qty,
                "day": dt.date.fromisoformat(day),
            }
        con.close()


def run_case(name: str, report: Report, rows: Iterable[dict[str, Any]], count: int) -> float:
    start = time.perf_counter()
    printed = sum(1 for _ in fill_report(report, rows))
    elapsed = time.perf_counter() - start
    rate = count / elapsed
    sys.stdout.write(
        f"{name:<28} {count:>9} rows {elapsed:7.2f} s {rate:>10,.0f} rows/s {printed:>9} bands\n"
    )
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--sqlite", action="store_true", help="read the rows back from sqlite3 (timed)"
    )
    parser.add_argument("--case", choices=("groups", "detail", "both"), default="both")
    args = parser.parse_args(argv)
    rows = generate_rows(args.rows)
    for with_detail in (False, True):
        if args.case == ("groups" if with_detail else "detail"):
            continue
        source: Iterable[dict[str, Any]] = sqlite_rows(rows) if args.sqlite else rows
        name = "groups+vars, detail printed" if with_detail else "groups+vars, no detail"
        run_case(name, build_report(with_detail), source, args.rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(f"peak RSS {peak:,.0f} MiB (includes the generated rows)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
