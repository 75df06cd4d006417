"""Charts benchmark: 1M generated sales rows in SQLite, a report with 10 charts vs the same report with 1 → time, memory, cache.

Wall time and peak RSS of ``python -m engine render`` (median of RUNS) for: the report with
one chart (500 products → 500 bars), the same report with ten charts (bar, horizontal bar,
pie, donut, lines by month and week, stacked areas by quarter, scatter, grouped and stacked
bars), and both with ``ASHR_PUSHDOWN=0`` (every row read once by the fill, all charts
aggregated in Python in that one pass; for information). The cache hit rate comes from
re-rendering the ten-chart report in one process, as the designer's preview does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sqlite3
import sys
from pathlib import Path
from typing import Any

from .markdown import Section, Table, megabytes, memory, seconds
from .measure import Measurement, measure, python
from .registry import Options, benchmark

ROWS = 1_000_000
QUICK_ROWS = 50_000
PRODUCTS = 500
TARGET_RATIO = 1.5
TARGET_MB = 200.0
RERENDERS = 6
#: one chart without the C extension ≤ this × one chart with it (issue 17: the extension goes)
BASELINE_RATIO = 1.3
#: the one-chart time with the extension in the last full run before issue 17
#: (docs/performance.md of commit 4fb999b), the baseline where the extension is not built
BASELINE_SECONDS = 0.260
#: ``python -c`` code that runs ``python -m engine ARGS`` with the C extension hidden: its
#: import fails as it does where it was never built (engine.data.hashed then groups in SQL)
_WITHOUT_EXTENSION = (
    "import runpy, sys; sys.modules['engine.data._hashscan'] = None; "
    "runpy.run_module('engine', run_name='__main__', alter_sys=True)"
)
#: runs of each case, one- and ten-chart runs alternating; the median counts
RUNS = 5


def write_database(path: Path, rows: int) -> None:
    """``rows`` sales: 5 regions, 500 products, a day in 2022–2024, a quantity and an amount in cents."""
    rnd = random.Random(11)
    regions = ["North", "South", "East", "West", "Central"]
    products = [f"P{i:03d}" for i in range(PRODUCTS)]
    start = dt.date(2022, 1, 1)
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT, product TEXT, day DATE, "
        "qty INTEGER, amount NUMERIC(12,2))"
    )

    def generate():  # type: ignore[no-untyped-def]
        for i in range(rows):
            cents = rnd.randrange(100, 100_000)
            day = start + dt.timedelta(days=rnd.randrange(1096))
            yield (i, rnd.choice(regions), rnd.choice(products), day.isoformat(),
                   rnd.randrange(1, 20), f"{cents // 100}.{cents % 100:02d}")  # fmt: skip

    conn.executemany("INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?)", generate())
    conn.commit()
    conn.close()


def _chart(i: int, **keys: Any) -> dict[str, Any]:
    x, y = (i % 2) * 262, (i // 2) * 148
    spec = {"category": "product", "value": "amount", **keys}
    return {"type": "chart", "x": x, "y": y, "width": 258, "height": 145, "chart": spec}


#: the ten charts; the first one alone is the one-chart report
CHARTS: list[dict[str, Any]] = [
    {"kind": "bar", "title": "Sales by product (500 bars)", "sort": "category"},
    {"kind": "bar", "title": "Top products", "orientation": "horizontal", "max_points": 12},
    {"kind": "pie", "category": "region", "title": "Share by region"},
    {"kind": "pie", "category": "region", "calculation": "count", "title": "Sales count", "x_donut": True},
    {"kind": "line", "category": "day", "bucket": "month", "title": "By month"},
    {"kind": "line", "category": "day", "bucket": "week", "calculation": "average", "title": "Average by week"},
    {"kind": "area", "category": "day", "bucket": "quarter", "series": "region", "stacked": True, "title": "By quarter"},
    {"kind": "scatter", "category": "qty", "calculation": "average", "title": "Average by quantity"},
    {"kind": "bar", "category": "day", "bucket": "year", "series": "region", "title": "By year and region"},
    {"kind": "bar", "category": "region", "calculation": "max", "series": "region", "stacked": True, "title": "Largest sale"},
]  # fmt: skip


def write_report(path: Path, charts: int) -> None:
    """A one-page report: a title and ``charts`` charts in the summary band."""
    report = {
        "format": "ashr", "version": 1, "name": f"charts_{charts}",
        "data_source": {"kind": "sql", "url": "sqlite:///sales.sqlite", "table": "sales",
                        "fields": [{"name": "day", "type": "date"}]},
        "bands": [
            {"type": "title", "height": 24, "elements": [
                {"type": "label", "x": 0, "y": 0, "width": 400, "height": 20, "text": "Sales charts", "size": 16}]},
            {"type": "summary", "height": 740,
             "elements": [_chart(i, **spec) for i, spec in enumerate(CHARTS[:charts])]},
        ],
    }  # fmt: skip
    path.write_text(json.dumps(report), encoding="utf-8")


def _rerender(report: str) -> dict[str, Any]:
    """Render one report RERENDERS times in this process: the chart cache's hit rate and the times."""
    import time

    from engine.charts import CHART_CACHE
    from engine.model import load_report
    from engine.render import render_report

    rep = load_report(report)
    CHART_CACHE.clear()
    times = []
    for _ in range(RERENDERS):
        mark = time.perf_counter()
        render_report(rep, base_dir=Path(report).parent)
        times.append(time.perf_counter() - mark)
    return {"hit_rate": CHART_CACHE.hit_rate, "first": times[0], "repeat": min(times[1:])}


def _median(runs: list[Measurement]) -> Measurement:
    """The run of median wall time (its peak RSS with it)."""
    return sorted(runs, key=lambda m: m.wall)[len(runs) // 2]


def _scan_built() -> bool:
    """Whether the C extension the charts' scan uses is built (and still exists) in this checkout."""
    try:
        from engine.data import _hashscan  # type: ignore[attr-defined]  # noqa: F401
    except ImportError:
        return False
    return True


def _with_env(name: str, value: str, run: Any) -> Any:
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        return run()
    finally:
        if previous is None:
            del os.environ[name]
        else:
            os.environ[name] = previous


@benchmark("charts", "Charts: 10 charts vs 1 over 1M rows")
def run_charts(options: Options) -> Section:
    rows = QUICK_ROWS if options.quick else ROWS
    section = Section("charts", "Charts: 10 charts vs 1 over 1M rows")
    section.intro = f"""
{rows:,} generated sales rows in SQLite (5 regions, {PRODUCTS} products, 3 years of days).
Wall time and memory of `python -m engine render REPORT -o OUT.pdf` for a one-page report
with one chart ({PRODUCTS} bars) and the same report with ten charts of every kind, the
median of {RUNS} runs of each (one- and ten-chart runs alternating). The target is for the
reports as they render: their charts' data comes from the database side — on an SQLite
file, one scan of the table hashed in C for every chart at once (`engine.data.hashed`, the
optional `_hashscan` extension; here 3 groupings — by product, by day and region, by
quantity — in one pass, in rowid ranges on both cores); without the extension, or on
another database, `GROUP BY` queries (charts over different fields sharing one while a
sample says their union gives few groups). The rows marked "rows streamed" force the
fallback with `ASHR_PUSHDOWN=0`: the fill reads every row and aggregates all charts in
Python in that one pass, as it does for a chart whose expressions are not plain fields or
under a report filter; they are shown for information. The cache row re-renders the
ten-chart report {RERENDERS} times in one process (as the designer's preview does).
Memory is the process tree's RSS summed while it runs (see "Method"; the largest single
process in brackets). The C extension goes with issue 17, so the one-chart report is also
measured with it hidden (its import made to fail, as where it was never built), the
database grouping in SQL; that time may be at most {BASELINE_RATIO} × the one-chart time
with the extension — measured in this run where it is built, else the last figure
measured with it ({BASELINE_SECONDS:.3f} s, in docs/performance.md of commit 4fb999b).
Extension in this run: {"built" if _scan_built() else "**not built** (GROUP BY queries)"}.
"""
    table = Table(["case", "wall", "memory summed (largest process)", "target", "met"])
    with options.workdir("charts") as folder:
        options.log(f"charts: writing {rows:,} rows")
        write_database(folder / "sales.sqlite", rows)
        argvs = {}
        for n in (1, 10):
            write_report(folder / f"charts_{n}.ashr", n)
            argvs[n] = python("-m", "engine", "render", str(folder / f"charts_{n}.ashr"),
                              "-o", str(folder / f"charts_{n}.pdf"))  # fmt: skip
        measure(argvs[1])  # warms the OS file cache
        runs = 1 if options.quick else RUNS
        for label, env in (("database side", "1"), ("rows streamed (forced)", "0")):
            options.log(f"charts: one and ten charts, {label}, {runs} runs each")
            pairs = [
                _with_env("ASHR_PUSHDOWN", env, lambda: (measure(argvs[1]), measure(argvs[10])))
                for _ in range(runs)
            ]
            one, ten = _median([p[0] for p in pairs]), _median([p[1] for p in pairs])
            ratio = ten.wall / one.wall
            table.add(f"1 chart, {label}", seconds(one.wall), _memory(one), "", "")
            if env == "0":  # the fallback path, forced: shown beside the report as it renders
                table.add(
                    f"10 charts, {label}", seconds(ten.wall), _memory(ten),
                    "(for information)", f"{ratio:.2f} ×",
                )  # fmt: skip
                continue
            table.add(
                f"10 charts, {label}", seconds(ten.wall), _memory(ten),
                f"≤ {TARGET_RATIO} × 1 chart, ≤ {TARGET_MB:.0f} MB summed",
                section.target(
                    f"10 charts over {rows:,} rows ≤ {TARGET_RATIO} × the time of "
                    f"1 chart, ≤ {TARGET_MB:.0f} MB summed",
                    ratio <= TARGET_RATIO and ten.peak_sum_mb <= TARGET_MB,
                    f"{ratio:.2f} ×, {megabytes(ten.peak_sum_kb)}",
                ),
            )  # fmt: skip
        _baseline(section, table, folder, runs, rows, options)
        options.log("charts: re-rendering in one process")
        code = f"import json, bench.charts as c; print(json.dumps(c._rerender({str(folder / 'charts_10.ashr')!r})))"
        again = measure(python("-c", code)).report
        table.add(
            f"10 charts, rendered {RERENDERS}× in one process",
            f"first {seconds(again['first'])}, then {seconds(again['repeat'])}", "", "cache hit rate > 80%",
            section.target(
                "re-rendering an unchanged report reuses its charts: cache hit rate > 80%",
                again["hit_rate"] > 0.8, f"{again['hit_rate']:.0%}",
            ),
        )  # fmt: skip
    section.tables.append(table)
    return section


def _memory(m: Measurement) -> str:
    return memory(m.peak_sum_kb, m.peak_rss_kb)


def _baseline(section: Section, table: Table, folder: Path, runs: int, rows: int,
              options: Options) -> None:  # fmt: skip
    """One chart with the C extension hidden against one chart with it (issue 17's 1.3 ×)."""
    argv = ["render", str(folder / "charts_1.ashr"), "-o", str(folder / "charts_1-portable.pdf")]
    without_argv = python("-c", _WITHOUT_EXTENSION, *argv)
    with_argv = python("-m", "engine", *argv)
    options.log(f"charts: one chart without the C extension, {runs} runs")
    if _scan_built():
        pairs = [(measure(with_argv), measure(without_argv)) for _ in range(runs)]
        base = _median([p[0] for p in pairs]).wall
        source = "with the extension, measured in this run (median)"
        without = _median([p[1] for p in pairs])
    else:
        without = _median([measure(without_argv) for _ in range(runs)])
        base = BASELINE_SECONDS
        source = "with the extension, from docs/performance.md of commit 4fb999b (not built here)"
    ratio = without.wall / base
    table.add(f"1 chart, database side, C extension hidden (baseline {seconds(base)}: {source})",
              seconds(without.wall), _memory(without), f"≤ {BASELINE_RATIO} × baseline",
              section.target(
                  f"1 chart over {rows:,} rows without the C extension ≤ {BASELINE_RATIO} × "
                  "the time with it",
                  ratio <= BASELINE_RATIO,
                  f"{seconds(without.wall)} vs {seconds(base)} ({ratio:.2f} ×)",
              ))  # fmt: skip


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run: python -m bench --only charts")
