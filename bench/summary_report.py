"""Summary benchmark: 1M generated rows in SQLite, a groups-and-totals report → CLI wall time and peak RSS.

The same report is rendered with summary push-down (the database groups and sums) and,
for comparison, with ``ASHR_PUSHDOWN=0`` (every row read and aggregated in Python).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
from pathlib import Path

from .markdown import Section, Table, megabytes, memory, seconds
from .measure import measure, python
from .registry import Options, benchmark

ROWS = 1_000_000
QUICK_ROWS = 50_000
TARGET_SECONDS = 3.0
TARGET_MB = 200.0


def write_database(path: Path, rows: int) -> None:
    """`rows` sales in 5 regions (one of them NULL) × 50 products; amounts in cents, some NULL."""
    rnd = random.Random(7)
    regions = ["North", "South", "East", "West", None]
    products = [f"P{i:03d}" for i in range(50)]
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT, product TEXT, qty INTEGER, "
        "amount NUMERIC(12,2))"
    )

    def generate():  # type: ignore[no-untyped-def]
        for i in range(rows):
            cents = rnd.randrange(1, 1_000_000)
            amount = None if i % 97 == 0 else f"{cents // 100}.{cents % 100:02d}"
            yield i, rnd.choice(regions), rnd.choice(products), rnd.randrange(1, 20), amount

    conn.executemany("INSERT INTO sales VALUES (?, ?, ?, ?, ?)", generate())
    conn.commit()
    conn.close()


def write_report(path: Path) -> None:
    """A summary report over sales.sqlite: region header and product footer totals, a grand total."""

    def text(expression: str, x: float) -> dict[str, object]:
        return {"type": "expression", "x": x, "y": 0, "width": 100, "height": 12, "expression": expression}  # fmt: skip

    report = {
        "format": "ashr", "version": 1, "name": "sales_summary",
        "data_source": {"kind": "sql", "url": "sqlite:///sales.sqlite", "table": "sales"},
        "groups": [{"name": "region", "expression": "region"}, {"name": "product", "expression": "product"}],
        "variables": [
            {"name": "region_total", "expression": "amount", "calculation": "sum", "reset": "group", "reset_group": "region"},
            {"name": "product_total", "expression": "amount", "calculation": "sum", "reset": "group", "reset_group": "product"},
            {"name": "product_avg", "expression": "amount", "calculation": "average", "reset": "group", "reset_group": "product"},
            {"name": "product_qty", "expression": "qty", "calculation": "sum", "reset": "group", "reset_group": "product"},
            {"name": "grand_total", "expression": "amount", "calculation": "sum"},
        ],
        "bands": [
            {"type": "group_header", "group": "region", "height": 16, "elements": [
                {"type": "field", "x": 0, "y": 0, "width": 200, "height": 14, "field": "region", "null_text": "(none)"},
                text("vars.region_total", 300)]},
            {"type": "group_footer", "group": "product", "height": 14, "elements": [
                {"type": "field", "x": 0, "y": 0, "width": 100, "height": 12, "field": "product"},
                text("vars.product_total", 100), text("vars.product_avg", 200), text("vars.product_qty", 300)]},
            {"type": "summary", "height": 20, "elements": [text("vars.grand_total", 0)]},
        ],
    }  # fmt: skip
    path.write_text(json.dumps(report), encoding="utf-8")


@benchmark("summary", "Summary report: 1M rows grouped in SQLite")
def run_summary(options: Options) -> Section:
    rows = QUICK_ROWS if options.quick else ROWS
    section = Section("summary", "Summary report: 1M rows grouped in SQLite")
    section.intro = f"""
{rows:,} generated sales rows in SQLite (2 group levels: 5 regions × 50 products, NULLs in a
group field and in the amount); a report of group headers, footers and totals only, no
detail band. Wall time and memory of `python -m engine render REPORT -o OUT.pdf`, with
summary push-down (the database runs GROUP BY) and with `ASHR_PUSHDOWN=0` (every row read).
Memory is the process tree's RSS summed while it runs (see "Method"; the largest single
process in brackets); the target reads it summed.
"""
    table = Table(["case", "wall", "memory summed (largest process)", "target", "met"])
    with options.workdir("summary") as folder:
        options.log(f"summary: writing {rows:,} rows")
        write_database(folder / "sales.sqlite", rows)
        write_report(folder / "summary.ashr")
        argv = python("-m", "engine", "render", str(folder / "summary.ashr"), "-o", str(folder / "out.pdf"))  # fmt: skip
        measure(argv)  # warms the OS file cache
        options.log("summary: push-down")
        pushed = measure(argv)
        ok = pushed.wall <= TARGET_SECONDS and pushed.peak_sum_mb <= TARGET_MB
        table.add(
            "push-down", seconds(pushed.wall), memory(pushed.peak_sum_kb, pushed.peak_rss_kb),
            f"≤ {TARGET_SECONDS} s, ≤ {TARGET_MB:.0f} MB summed",
            section.target(
                f"summary-only report, {rows:,} rows in SQLite (groups + totals, push-down): "
                f"≤ {TARGET_SECONDS} s and ≤ {TARGET_MB:.0f} MB summed",
                ok,
                f"{seconds(pushed.wall)}, {megabytes(pushed.peak_sum_kb)}",
            ),
        )  # fmt: skip
        options.log("summary: every row (ASHR_PUSHDOWN=0)")
        previous = os.environ.get("ASHR_PUSHDOWN")
        os.environ["ASHR_PUSHDOWN"] = "0"
        try:
            rows_read = measure(argv)
        finally:
            if previous is None:
                del os.environ["ASHR_PUSHDOWN"]
            else:
                os.environ["ASHR_PUSHDOWN"] = previous
        table.add(
            "every row read",
            seconds(rows_read.wall),
            memory(rows_read.peak_sum_kb, rows_read.peak_rss_kb),
            "",
            "",
        )
    section.tables.append(table)
    return section
