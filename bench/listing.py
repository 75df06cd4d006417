"""Grouped listing benchmark: the same A4 listing in AshReports and ReportBro → wall time, peak RSS, ratios.

The listing: items grouped by category (20 groups) with a subtotal each, a grand total,
a column header on every page and "Page x of y" in the footer, over a generated SQLite
table ``items(id, name, category, day, amount)`` of 1,000 and 10,000 rows (amount is exact
decimal text read as ``Decimal``). AshReports renders ``bench/grouped_listing.ashr``;
ReportBro renders ``bench.reportbro_listing``'s definition of the same listing.

``python -m bench.listing DB OUT.pdf`` is the in-process AshReports worker: it loads the
report, imports the engine, then times one ``render_report`` call and writes the PDF.
"""

from __future__ import annotations

import datetime as dt
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
SIZES_FULL = (1_000, 10_000)
SIZES_QUICK = (1_000,)
REPEATS_FULL = 3
TARGET_SIZE = 10_000


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
    from engine.model import load_report
    from engine.render import render_report

    report_def = load_report(REPORT)
    start = time.perf_counter()
    result = render_report(report_def, base_dir=REPORT.parent, data_url=f"sqlite:///{db}")
    elapsed = time.perf_counter() - start
    out.write_bytes(result.pages[0])
    return {"seconds": elapsed, "pages": result.page_count, **result.timings}


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
    keys = [k for k in runs[0].report if k not in ("seconds", "pages", "own", "cumulative")]
    return ", ".join(f"{k} {statistics.median(m.report[k] for m in runs):.2f} s" for k in keys)


def _median(runs: list[Measurement], key: str | None = None) -> float:
    if key is None:
        return statistics.median(m.wall for m in runs)
    return statistics.median(m.report[key] for m in runs)


def _rss(runs: list[Measurement]) -> float:
    return statistics.median(m.peak_rss_kb for m in runs)


@benchmark("listing", "Grouped listing: AshReports vs ReportBro")
def run_listing(options: Options) -> Section:
    sizes = SIZES_QUICK if options.quick else SIZES_FULL
    repeats = 1 if options.quick else REPEATS_FULL
    section = Section("listing", "Grouped listing: AshReports vs ReportBro")
    have_rb = reportbro_available()
    if not have_rb:
        sys.stderr.write(INSTALL_HINT + "\n")
        section.notes.append(f"**ReportBro not measured:** {INSTALL_HINT}")
    section.intro = _INTRO.format(repeats=repeats)
    table = Table([
        "rows", "engine", "measured", "time (median)", "peak RSS", "pages",
        "rows in PDF", "ours / ReportBro time", "ours / ReportBro RSS",
    ])  # fmt: skip
    targets = Table(["rows", "target", "AshReports", "ReportBro", "met"])
    profile_db: Path | None = None
    with options.workdir("listing") as folder:
        for count in sizes:
            db = folder / f"listing-{count}.sqlite"
            write_database(db, count)
            cli_pdf, inproc_pdf, rb_pdf = (
                folder / f"{name}-{count}.pdf" for name in ("cli", "api", "rb")
            )
            cli_argv = python(
                "-m",
                "engine",
                "render",
                str(REPORT),
                "--data",
                f"sqlite:///{db}",
                "-o",
                str(cli_pdf),
            )
            options.log(f"listing: {count} rows, AshReports CLI")
            cli = [measure(cli_argv) for _ in range(repeats)]
            options.log(f"listing: {count} rows, AshReports render_report")
            api = [
                measure(python("-m", "bench.listing", str(db), str(inproc_pdf)))
                for _ in range(repeats)
            ]
            rb: list[Measurement] = []
            if have_rb:
                options.log(f"listing: {count} rows, ReportBro")
                rb = [
                    measure(python("-m", "bench.reportbro_listing", str(db), str(rb_pdf)))
                    for _ in range(repeats)
                ]
            ours = pdf_facts(cli_pdf)
            theirs = pdf_facts(rb_pdf) if rb else None
            _check_same(section, count, ours, pdf_facts(inproc_pdf), theirs)
            rb_wall = _median(rb) if rb else None
            rb_api = _median(rb, "seconds") if rb else None
            rb_rss = _rss(rb) if rb else None

            def ratio(a: float, b: float | None) -> str:
                return f"{a / b:.2f}" if b else "—"

            table.add(count, "AshReports", "`python -m engine render` process", seconds(_median(cli)),
                      megabytes(_rss(cli)), ours["pages"], ours["rows"], ratio(_median(cli), rb_wall),
                      ratio(_rss(cli), rb_rss))  # fmt: skip
            stage = _stages(api)
            table.add(count, "AshReports", f"`render_report` in process ({stage})",
                      seconds(_median(api, "seconds")), megabytes(_rss(api)), ours["pages"], ours["rows"],
                      ratio(_median(api, "seconds"), rb_api), ratio(_rss(api), rb_rss))  # fmt: skip
            if rb and theirs is not None:
                rb_stage = ", ".join(
                    f"{k} {_median(rb, k):.2f} s" for k in ("read", "build", "generate_pdf")
                )
                table.add(count, "ReportBro", "worker process", seconds(rb_wall or 0), megabytes(rb_rss or 0),
                          theirs["pages"], theirs["rows"], "1.00", "1.00")  # fmt: skip
                table.add(count, "ReportBro", f"read + `Report()` + `generate_pdf()` in process ({rb_stage})",
                          seconds(rb_api or 0), "(same process)", theirs["pages"], theirs["rows"], "", "")  # fmt: skip
            if count == TARGET_SIZE and rb:
                ok = _median(cli) <= (rb_wall or 0)
                targets.add(count, "whole process: not slower than ReportBro", seconds(_median(cli)),
                            seconds(rb_wall or 0), section.target(f"listing {count} rows: CLI process not slower than ReportBro", ok))  # fmt: skip
                ok = _median(api, "seconds") <= (rb_api or 0)
                targets.add(count, "in process: not slower than ReportBro", seconds(_median(api, "seconds")),
                            seconds(rb_api or 0), section.target(f"listing {count} rows: render_report not slower than ReportBro in process", ok))  # fmt: skip
                if section.missed:
                    profile_db = folder / "profile.sqlite"
                    write_database(profile_db, count)
        section.tables.append(table)
        if targets.rows:
            section.tables.append(targets)
        elif not options.quick:
            section.notes.append("The target (10,000 rows) was not measured.")
        else:
            section.notes.append(
                "`--quick` measures 1,000 rows only; the target applies at 10,000 rows."
            )
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
                f"({m.report['seconds']:.2f} s under the profiler; stages: {_stages([m])}), "
                f"by own time:\n\n```\n{m.report['own']}\n```\n\n"
                f"by cumulative time:\n\n```\n{m.report['cumulative']}\n```"
            )
    return section


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
and write an A4 PDF. Times are the median of {repeats} run(s), each in a fresh process:
*process* is the wall time of the whole command (interpreter start, imports, read,
render, write); *in process* is the clock inside the worker around the render call alone
(imports done before it; the first render in that process). Peak RSS is the worker
process's. The ratios are AshReports / ReportBro (below 1.00: AshReports is faster or
smaller); the in-process rows compare `render_report` with ReportBro's read +
`Report()` + `generate_pdf()`.
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
