"""Grouped listing benchmark: the same A4 listing in AshReports and ReportBro → wall time, peak RSS, ratios.

The listing: items grouped by category (20 groups) with a subtotal each, a grand total,
a column header on every page and "Page x of y" in the footer, over a generated SQLite
table ``items(id, name, category, day, amount)`` of 1,000, 10,000 and 100,000 rows (amount is exact
decimal text read as ``Decimal``). AshReports renders ``bench/grouped_listing.ashr``;
ReportBro renders ``bench.reportbro_listing``'s definition of the same listing.

``python -m bench.listing DB OUT.pdf`` is the in-process AshReports worker: it loads the
report, imports the engine, then times one ``render_report`` call and writes the PDF;
its report adds the time to the first finished compile chunk (from the ``progress``
events) and the peak RSS of the main process and of the largest compile worker.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from .markdown import Section, Table, megabytes, seconds
from .measure import ROOT, Measurement, measure, python, report
from .registry import Options, benchmark
from .reportbro_listing import INSTALL_HINT, reportbro_available

REPORT = ROOT / "bench" / "grouped_listing.ashr"
GROUPS = 20
SIZES_FULL = (1_000, 10_000, 100_000)
SIZES_QUICK = (1_000,)
REPEATS_FULL = 3
TARGET_SIZE = 10_000  # issue 4: not slower than ReportBro
BIG_SIZE = 100_000  # "big reports": time, memory and first-chunk targets
BIG_REPEATS = 1  # one run of each engine at BIG_SIZE takes 30 s or more
#: ours / ReportBro wall time of the CLI process, by size (issue 17)
RATIO_TARGETS = {TARGET_SIZE: 0.45, BIG_SIZE: 0.35}
BIG_RSS_TARGET_MB = 600  # peak RSS of the main process and of every compile worker
#: the process tree's summed RSS (main process and every compile worker), by size (issue 17)
SUM_TARGETS_MB = {TARGET_SIZE: 250, BIG_SIZE: 700}
FIRST_CHUNK_TARGET = 1.5  # seconds from the render_report call to the first finished chunk


def write_database(path: Path, count: int, seed: int = 11) -> None:
    """``count`` items spread over 20 categories, inserted in id order (not grouped)."""
    rng = random.Random(seed)
    start = dt.date(2020, 1, 1)
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, category TEXT, day TEXT, amount TEXT)"
    )
    con.executemany(
        "INSERT INTO items VALUES (?, ?, ?, ?, ?)",
        (
            (
                i,
                f"Item {i:06d}",
                f"Group {i % GROUPS + 1:02d}",
                (start + dt.timedelta(days=rng.randrange(1500))).isoformat(),
                str(Decimal(rng.randint(100, 1_000_000)) / 100),
            )
            for i in range(1, count + 1)
        ),
    )
    con.commit()
    con.close()


def pdf_facts(path: Path) -> dict[str, Any]:
    """What a reader sees: pages and how often the row, subtotal and total texts occur."""
    import pymupdf

    with pymupdf.open(path) as doc:
        text = "".join(page.get_text() for page in doc)
        pages = doc.page_count
    lines = text.splitlines()
    total = next((lines[i + 1] for i, line in enumerate(lines[:-1]) if line == "Grand total"), "")
    return {
        "pages": pages,
        "rows": text.count("Item "),
        "subtotals": text.count("Subtotal "),
        "grand_totals": text.count("Grand total"),
        "page_x_of_y": sum(text.count(f"Page {n} of {pages}") for n in range(1, pages + 1)),
        "headers": text.count("Amount"),
        "grand_total": total.strip(),
    }


def _render_in_process(db: Path, out: Path) -> dict[str, Any]:
    """One timed ``render_report``; its stage timings, first finished chunk and peaks (MiB)."""
    import resource

    from engine.model import load_report
    from engine.render import render_report

    report_def = load_report(REPORT)
    first_chunk: list[float] = []

    def progress(event: Any) -> None:
        if not first_chunk and "chunk_pdf" in event.extra:
            first_chunk.append(event.elapsed)

    start = time.perf_counter()
    result = render_report(
        report_def, base_dir=REPORT.parent, data_url=f"sqlite:///{db}", progress=progress
    )
    elapsed = time.perf_counter() - start
    out.write_bytes(result.pages[0])
    return {
        "seconds": elapsed,
        "pages": result.page_count,
        "chunks": result.chunks,
        "timings": dict(result.timings),
        # None when the render compiled in this process (too few pages for the worker pool)
        "first_chunk_s": first_chunk[0] if first_chunk else None,
        "worker_peak_mb": result.peaks.get("worker_peak_mb"),
        "main_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _worker(argv: list[str]) -> int:
    db, out = Path(argv[0]), Path(argv[1])
    if argv[2:] == ["--profile"]:
        import cProfile

        from .profiling import profile_table

        profiler = cProfile.Profile()
        facts = profiler.runcall(_render_in_process, db, out)
        facts["own"] = profile_table(profiler, sort="tottime", limit=20)
        facts["cumulative"] = profile_table(profiler, sort="cumulative", limit=20)
        report(facts)
        return 0
    report(_render_in_process(db, out))
    return 0


def _stages(runs: list[Measurement]) -> str:
    """The render's own stage timings (``RenderResult.timings``; the keys vary as the engine does)."""
    keys = list(runs[0].report["timings"])
    return ", ".join(
        f"{k} {statistics.median(m.report['timings'][k] for m in runs):.2f} s" for k in keys
    )


def _median(runs: list[Measurement], key: str | None = None) -> float:
    if key is None:
        return statistics.median(m.wall for m in runs)
    return statistics.median(m.report[key] for m in runs)


def _rss(runs: list[Measurement]) -> float:
    return statistics.median(m.peak_rss_kb for m in runs)


def _summed(runs: list[Measurement]) -> float:
    return statistics.median(m.peak_sum_kb for m in runs)


def _repeats(options: Options, count: int) -> int:
    if options.quick:
        return 1
    return BIG_REPEATS if count >= BIG_SIZE else REPEATS_FULL


def _runs(argv: list[str], repeats: int) -> tuple[list[Measurement], str]:
    """``repeats`` measured runs of ``argv``, and the 1-minute load average before → after them."""
    before = os.getloadavg()[0]
    runs = [measure(argv) for _ in range(repeats)]
    return runs, f"{before:.2f} → {os.getloadavg()[0]:.2f}"


def _ratio(a: float, b: float | None) -> str:
    return f"{a / b:.2f}" if b else "—"


def _optional(value: float | None, fmt: Any) -> str:
    return fmt(value) if value is not None else "—"


@benchmark("listing", "Grouped listing: AshReports vs ReportBro")
def run_listing(options: Options) -> Section:
    sizes = SIZES_QUICK if options.quick else SIZES_FULL
    section = Section("listing", "Grouped listing: AshReports vs ReportBro")
    have_rb = reportbro_available()
    if not have_rb:
        sys.stderr.write(INSTALL_HINT + "\n")
        section.notes.append(f"**ReportBro not measured:** {INSTALL_HINT}")
    repeats_text = (
        "1 run"
        if options.quick
        else f"{REPEATS_FULL} runs ({BIG_REPEATS} run at {BIG_SIZE:,} rows, where one run of "
        "each engine takes half a minute or more, so there is no median and no spread to see)"
    )
    section.intro = _INTRO.format(repeats=repeats_text)
    table = Table([
        "rows", "engine", "measured", "time (median)", "largest process peak",
        "process tree peak (summed)", "pages", "rows in PDF", "ours / ReportBro time",
        "ours / ReportBro memory (summed)", "load 1 min (before → after)",
    ])  # fmt: skip
    processes = Table([
        "rows", "pages", "compile chunks", "processes at once (CLI run)", "first finished chunk",
        "main process peak", "largest compile worker peak", "largest process (`render_report` run)",
        "largest process (CLI run)", "summed (`render_report` run)", "summed (CLI run)",
        "ReportBro peak",
    ])  # fmt: skip
    processes.title = "AshReports per process (in-process `render_report` run, median)"
    targets = Table(["rows", "target", "AshReports", "ReportBro", "ours / ReportBro", "met"])
    profile_db: Path | None = None
    with options.workdir("listing") as folder:
        for count in sizes:
            repeats = _repeats(options, count)
            db = folder / f"listing-{count}.sqlite"
            write_database(db, count)
            cli_pdf, inproc_pdf, rb_pdf = (
                folder / f"{name}-{count}.pdf" for name in ("cli", "api", "rb")
            )
            cli_argv = python(
                "-m", "engine", "render", str(REPORT), "--data", f"sqlite:///{db}",
                "-o", str(cli_pdf),
            )  # fmt: skip
            options.log(f"listing: {count} rows, AshReports CLI ×{repeats}")
            cli, cli_load = _runs(cli_argv, repeats)
            options.log(f"listing: {count} rows, AshReports render_report ×{repeats}")
            api_argv = python("-m", "bench.listing", str(db), str(inproc_pdf))
            api, api_load = _runs(api_argv, repeats)
            rb: list[Measurement] = []
            rb_load = ""
            if have_rb:
                options.log(f"listing: {count} rows, ReportBro ×{repeats}")
                rb_argv = python("-m", "bench.reportbro_listing", str(db), str(rb_pdf))
                rb, rb_load = _runs(rb_argv, repeats)
            options.log(f"listing: {count} rows, reading the PDFs back")
            ours = pdf_facts(cli_pdf)
            theirs = pdf_facts(rb_pdf) if rb else None
            _check_same(section, count, ours, pdf_facts(inproc_pdf), theirs)
            rb_wall = _median(rb) if rb else None
            rb_api = _median(rb, "seconds") if rb else None
            rb_rss = _rss(rb) if rb else None
            rb_sum = _summed(rb) if rb else None
            cli_wall, api_s = _median(cli), _median(api, "seconds")

            table.add(count, "AshReports", "`python -m engine render` process", seconds(cli_wall),
                      megabytes(_rss(cli)), megabytes(_summed(cli)), ours["pages"], ours["rows"],
                      _ratio(cli_wall, rb_wall), _ratio(_summed(cli), rb_sum), cli_load)  # fmt: skip
            table.add(count, "AshReports", f"`render_report` in process ({_stages(api)})",
                      seconds(api_s), megabytes(_rss(api)), megabytes(_summed(api)), ours["pages"],
                      ours["rows"], _ratio(api_s, rb_api), _ratio(_summed(api), rb_sum), api_load)  # fmt: skip
            if rb and theirs is not None:
                rb_stage = ", ".join(
                    f"{k} {_median(rb, k):.2f} s" for k in ("read", "build", "generate_pdf")
                )
                table.add(count, "ReportBro", "worker process", seconds(rb_wall or 0), megabytes(rb_rss or 0),
                          megabytes(rb_sum or 0), theirs["pages"], theirs["rows"], "1.00", "1.00", rb_load)  # fmt: skip
                table.add(count, "ReportBro", f"read + `Report()` + `generate_pdf()` in process ({rb_stage})",
                          seconds(rb_api or 0), "(same process)", "", theirs["pages"], theirs["rows"], "", "", "")  # fmt: skip

            first_chunk = _median_known(api, "first_chunk_s")
            worker_peak = _median_known(api, "worker_peak_mb")
            main_peak = _median_known(api, "main_peak_mb")
            processes.add(
                count, ours["pages"], _median(api, "chunks"),
                max(m.processes for m in cli), _optional(first_chunk, seconds), _optional(main_peak, _mib),
                _optional(worker_peak, _mib) if worker_peak is not None else "— (compiled in the main process)",
                megabytes(_rss(api)), megabytes(_rss(cli)), megabytes(_summed(api)),
                megabytes(_summed(cli)), megabytes(rb_rss) if rb_rss else "—",
            )  # fmt: skip

            if count == TARGET_SIZE and rb and rb_wall and rb_api:
                ok = cli_wall <= rb_wall
                label = f"listing {count:,} rows: CLI process not slower than ReportBro"
                targets.add(count, "whole process: not slower than ReportBro (issue 4)", seconds(cli_wall),
                            seconds(rb_wall), _ratio(cli_wall, rb_wall),
                            section.target(label, ok, _versus(cli_wall, rb_wall)))  # fmt: skip
                ok = api_s <= rb_api
                label = (
                    f"listing {count:,} rows: render_report not slower than ReportBro in process"
                )
                targets.add(count, "in process: not slower than ReportBro (issue 4)", seconds(api_s),
                            seconds(rb_api), _ratio(api_s, rb_api),
                            section.target(label, ok, _versus(api_s, rb_api)))  # fmt: skip
            if count in RATIO_TARGETS and rb and rb_wall:
                limit = RATIO_TARGETS[count]
                ok = cli_wall <= limit * rb_wall
                label = f"listing {count:,} rows: CLI process wall time ≤ {limit} × ReportBro"
                targets.add(count, f"whole process wall time ≤ {limit} × ReportBro (issue 17)",
                            seconds(cli_wall), seconds(rb_wall), _ratio(cli_wall, rb_wall),
                            section.target(label, ok, _versus(cli_wall, rb_wall)))  # fmt: skip
            if count in SUM_TARGETS_MB:
                _summed_target(section, targets, count, cli, api, rb_sum)
            if count == BIG_SIZE:
                _big_targets(section, targets, count, cli, api, rb_rss)
            if count == TARGET_SIZE and section.missed and not options.quick:
                profile_db = folder / "profile.sqlite"
                write_database(profile_db, count)
        section.tables.append(table)
        section.tables.append(processes)
        if targets.rows:
            section.tables.append(targets)
        elif not options.quick:
            section.notes.append("The targets (10,000 and 100,000 rows) were not measured.")
        else:
            section.notes.append(
                "`--quick` measures 1,000 rows only; the targets apply at 10,000 and 100,000 rows."
            )
        section.notes.append(_PROCESSES)
        section.notes.append(_DIFFERENCES)
        if profile_db is not None:
            options.log("listing: profiling render_report")
            m = measure(
                python(
                    "-m", "bench.listing", str(profile_db), str(folder / "profile.pdf"), "--profile"
                )
            )
            section.profile.append(
                f"cProfile of one `render_report` of the {TARGET_SIZE:,}-row listing "
                f"({m.report['seconds']:.2f} s under the profiler; stages: {_stages([m])}). "
                "It sees the main process only: the Typst compile of a chunked render runs in "
                "the worker processes, which show here as waiting. By own time:"
                f"\n\n```\n{m.report['own']}\n```\n\n"
                f"by cumulative time:\n\n```\n{m.report['cumulative']}\n```"
            )
    return section


def _big_targets(section: Section, targets: Table, count: int, cli: list[Measurement],
                 api: list[Measurement], rb_rss: float | None) -> None:  # fmt: skip
    """The 100,000-row targets: peak RSS of every process, time to the first finished chunk."""
    peaks = {
        "CLI process tree": _rss(cli) / 1024,
        "render_report process tree": _rss(api) / 1024,
        "main process": _median_known(api, "main_peak_mb") or 0.0,
        "largest compile worker": _median_known(api, "worker_peak_mb") or 0.0,
    }
    worst = max(peaks.values())
    detail = ", ".join(f"{name} {value:.0f} MiB" for name, value in peaks.items())
    label = f"listing {count:,} rows: peak RSS of every process ≤ {BIG_RSS_TARGET_MB} MB"
    targets.add(count, f"peak RSS of any process ≤ {BIG_RSS_TARGET_MB} MB ({detail})",
                f"{worst:.0f} MiB", megabytes(rb_rss) if rb_rss else "—",
                _ratio(worst * 1024, rb_rss),
                section.target(label, worst <= BIG_RSS_TARGET_MB, f"{worst:.0f} MiB (largest of: {detail})"))  # fmt: skip
    first = _median_known(api, "first_chunk_s")
    label = f"listing {count:,} rows: first finished chunk ≤ {FIRST_CHUNK_TARGET} s"
    ok = first is not None and first <= FIRST_CHUNK_TARGET
    shown = seconds(first) if first is not None else "no chunk (compiled in one piece)"
    targets.add(count, f"time to the first finished chunk ≤ {FIRST_CHUNK_TARGET} s", shown, "—", "—",
                section.target(label, ok, shown))  # fmt: skip


def _summed_target(section: Section, targets: Table, count: int, cli: list[Measurement],
                   api: list[Measurement], rb_sum: float | None) -> None:  # fmt: skip
    """Memory as the user's machine feels it: the process tree summed, in both kinds of run."""
    limit = SUM_TARGETS_MB[count]
    runs = {"CLI run": _summed(cli) / 1024, "render_report run": _summed(api) / 1024}
    worst = max(runs.values())
    detail = ", ".join(f"{name} {value:.0f} MiB" for name, value in runs.items())
    label = f"listing {count:,} rows: process tree summed ≤ {limit} MB"
    targets.add(count, f"process tree summed (main process + compile workers) ≤ {limit} MB ({detail})",
                f"{worst:.0f} MiB", megabytes(rb_sum) if rb_sum else "—", _ratio(worst * 1024, rb_sum),
                section.target(label, worst <= limit, f"{worst:.0f} MiB (larger of: {detail})"))  # fmt: skip


def _median_known(runs: list[Measurement], key: str) -> float | None:
    values = [m.report[key] for m in runs if m.report.get(key) is not None]
    return statistics.median(values) if values else None


def _mib(value: float) -> str:
    return f"{value:.0f} MiB"


def _versus(ours: float, theirs: float) -> str:
    return f"{seconds(ours)} vs ReportBro {seconds(theirs)} ({ours / theirs:.2f} ×)"


def _check_same(section: Section, count: int, ours: dict[str, Any], api: dict[str, Any],
                theirs: dict[str, Any] | None) -> None:  # fmt: skip
    """The comparison is fair only if both PDFs print the same rows, groups and totals."""
    problems = []
    if ours["rows"] != count or api["rows"] != count:
        problems.append(
            f"AshReports printed {ours['rows']} (CLI) / {api['rows']} (API) rows of {count}"
        )
    if ours["subtotals"] != GROUPS:
        problems.append(f"AshReports printed {ours['subtotals']} subtotals")
    if theirs is not None:
        if theirs["rows"] != count:
            problems.append(f"ReportBro printed {theirs['rows']} rows of {count}")
        if theirs["subtotals"] != GROUPS:
            problems.append(f"ReportBro printed {theirs['subtotals']} subtotals")
        if theirs["grand_total"] != ours["grand_total"]:
            problems.append(
                f"grand totals differ: {ours['grand_total']} vs {theirs['grand_total']}"
            )
    check = (
        f"{count:,} rows: both PDFs print {ours['rows']:,} item rows, {ours['subtotals']} subtotals, "
        f"grand total {ours['grand_total']}; "
        f"AshReports {ours['pages']} pages with {ours['headers']} column headers, "
        + (
            f"ReportBro {theirs['pages']} pages with {theirs['headers']} column headers."
            if theirs
            else ""
        )
    )
    if problems:
        section.missed.append(f"listing {count} rows: PDFs differ ({'; '.join(problems)})")
        check = f"**Not comparable at {count:,} rows:** " + "; ".join(problems)
    section.notes.append("Row check (text read back with PyMuPDF): " + check)


_INTRO = """
Both engines read the same generated SQLite file (ordered by category, then id, in SQL)
and write an A4 PDF. Times are the median of {repeats}, each in a fresh process:
*process* is the wall time of the whole command (interpreter start, imports, read,
render, write); *in process* is the clock inside the worker around the render call alone
(imports done before it; the first render in that process). Memory is shown twice (see
"Method"): the *largest process peak* is that of the largest single process the measured
command ran (for AshReports the main process or one of its compile workers; the next
table tells them apart); the *process tree peak (summed)* adds up the main process and
every compile worker while they run, as the user's machine feels it, and is the figure the
ratio and the issue-17 memory targets use. The last column is the 1-minute
load average just before the first and just after the last run of that row (see "Load on
the machine": above about 1, or above 2 while AshReports' two compile workers run, other
work competed for the cores). The ratios are AshReports / ReportBro (below 1.00: AshReports is faster or
smaller); the in-process rows compare `render_report` with ReportBro's read +
`Report()` + `generate_pdf()`.
"""

_PROCESSES = """
Per process: a listing of 60 pages or more is compiled by a pool of Typst worker
processes (one per usable core, here 2) in chunks of 40 pages, and the first chunks start
compiling while the fill is still running. *First finished chunk* is the `elapsed` of the
first `progress` event that carries `extra["chunk_pdf"]`: seconds from the `render_report`
call to the first chunk PDF a preview could show (interpreter start and imports not
included). *Main process peak* is the worker's own `getrusage(RUSAGE_SELF)` peak at the
end of the render; *largest compile worker peak* is `RenderResult.peaks["worker_peak_mb"]`;
*largest process* is what the measuring parent reads with `RUSAGE_CHILDREN` (the largest
single process of the tree, compile workers included once they are reaped); *summed* is the
largest sum of the tree's RSS the measuring parent sampled while it ran, and *processes at
once* the most processes of the tree it saw alive together (the main process included).
MB in the targets are read as MiB (1 MiB = 1024 KB of `ru_maxrss`).
"""

_DIFFERENCES = """
Differences between the two listings (kept as small as each format allows):

- AshReports lays the page out with Typst and embeds Liberation Sans; ReportBro (fpdf2)
  uses the built-in Helvetica core font, which needs no embedding. Both are 9 pt text on
  14 pt rows with the same column boxes, so the row count per page is close but not equal;
  the page counts are in the table.
- "Page x of y": both engines need the page count before the footers are final; ReportBro
  lays the content out once to count pages, then renders; AshReports does it in its Typst
  stages (the stage times it reports are in the table).
- ReportBro's grouping is a table with a `groupExpression` content row before the detail row
  (group header) and one after it (group footer); the subtotal is a `sum` parameter that
  ReportBro evaluates over the group's row range, by summing the rows again at each group
  footer. AshReports keeps a running `sum` variable reset per group.
- ReportBro takes its data as a Python list of dicts, so its worker reads the whole table
  with the stdlib `sqlite3` module first (included in its time); AshReports streams the
  rows through SQLAlchemy.
"""


if __name__ == "__main__":
    raise SystemExit(_worker(sys.argv[1:]))
