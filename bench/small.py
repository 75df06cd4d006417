"""Small report benchmark: the invoice example (1 page) and invoices_by_country (12 pages) → CLI process wall time and warm render_report time.

The issue's targets are for "a small report (a Chinook example of 1–5 pages)": the one-page
``invoice`` example is that report and carries the targets; the 12-page
``invoices_by_country`` is measured the same way beside it, for information.

``python -m bench.small NAME [--profile]`` is the warm worker: it loads the example NAME,
renders it once (the warm-up), then times ``render_report`` ``WARM_RUNS`` times.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

from .markdown import Section, Table, memory, millis, seconds
from .measure import ROOT, measure, python, report
from .profiling import import_costs, nested_import_costs
from .registry import Options, benchmark

EXAMPLES = ROOT / "resources" / "examples"
#: (example, its pages, whether the targets apply): the targets are for a report of 1–5 pages
REPORTS = (("invoice", 1, True), ("invoices_by_country", 12, False))
CLI_RUNS = 7
WARM_RUNS = 10
CLI_TARGET = 0.5  # seconds, whole process
WARM_TARGET = 0.100  # seconds, render_report in a warm process


def _warm_times(path: Path, runs: int, profiler: Any = None) -> list[float]:
    """``runs`` timings of ``render_report`` after one warm-up; only they run under ``profiler``."""
    from engine.model import load_report
    from engine.render import render_report

    report_def = load_report(path)
    render_report(report_def, base_dir=path.parent)  # warm-up
    times = []
    if profiler is not None:
        profiler.enable()
    for _ in range(runs):
        start = time.perf_counter()
        render_report(report_def, base_dir=path.parent)
        times.append(time.perf_counter() - start)
    if profiler is not None:
        profiler.disable()
    return times


def _worker(argv: list[str]) -> int:
    path = EXAMPLES / f"{argv[0]}.ashr"
    facts: dict[str, Any] = {}
    if "--profile" in argv:
        import cProfile

        from .profiling import profile_table

        profiler = cProfile.Profile()
        times = _warm_times(path, WARM_RUNS, profiler)
        facts["own"] = profile_table(profiler, sort="tottime", limit=20)
        facts["cumulative"] = profile_table(profiler, sort="cumulative", limit=25)
    else:
        times = _warm_times(path, WARM_RUNS)
    report({"times": times, **facts})
    return 0


@benchmark("small", "Small report: invoice (1 page) and invoices_by_country (12 pages)")
def run_small(options: Options) -> Section:
    section = Section("small", "Small report: invoice (1 page) and invoices_by_country (12 pages)")
    section.intro = f"""
The targets are for a small report, "a Chinook example of 1–5 pages": the one-page
`resources/examples/invoice.ashr` (invoice 98 by default: bill-to, its lines joined over
five tables, totals). `invoices_by_country.ashr` (412 invoices, 24 countries, 12 pages) is
measured the same way for information. *CLI process*: the wall time of `python -m engine
render resources/examples/NAME.ashr -o OUT.pdf`, median of {CLI_RUNS} fresh processes after
one unmeasured run (which warms the OS file cache); the engine's modules are byte-compiled
first (`python -m bench` runs `python -m compileall engine bench`), as pip does for an
installed package (this matters where `PYTHONDONTWRITEBYTECODE` is set and no `.pyc` is ever
written). *Warm render_report*: one process loads the report, renders once to warm up, then
times {WARM_RUNS} calls of `render_report`; the median is shown.
"""
    table = Table(
        ["case", "median", "min", "max", "memory summed (largest process)", "target", "met"]
    )
    with options.workdir("small") as folder:
        for name, pages, targeted in REPORTS:
            _measure_report(section, table, folder, name, pages, targeted, options)
        section.tables.append(table)
    return section


def _measure_report(
    section: Section, table: Table, folder: Path, name: str, pages: int, targeted: bool,
    options: Options,
) -> None:  # fmt: skip
    """The CLI and warm rows of one example; targets (and profiles when missed) if ``targeted``."""
    path = EXAMPLES / f"{name}.ashr"
    label = f"{name} ({pages} page{'s' if pages > 1 else ''})"
    argv = python(
        "-m", "engine", "render", str(path.relative_to(ROOT)), "-o", str(folder / "x.pdf")
    )
    measure(argv)
    options.log(f"small: CLI process, {name}")
    cli = [measure(argv) for _ in range(CLI_RUNS)]
    walls = [m.wall for m in cli]
    median = statistics.median(walls)
    rss = memory(statistics.median(m.peak_sum_kb for m in cli),
                 statistics.median(m.peak_rss_kb for m in cli))  # fmt: skip
    met = (
        section.target(f"small report ({label}) CLI process ≤ {CLI_TARGET} s (median of {CLI_RUNS})", median <= CLI_TARGET, seconds(median))
        if targeted else ""
    )  # fmt: skip
    table.add(f"{label}: `python -m engine render` process", seconds(median), seconds(min(walls)),
              seconds(max(walls)), rss, f"≤ {CLI_TARGET} s" if targeted else "", met)  # fmt: skip
    options.log(f"small: warm render_report, {name}")
    warm = measure(python("-m", "bench.small", name))
    times = warm.report["times"]
    warm_median = statistics.median(times)
    met = (
        section.target(f"small report ({label}) warm render_report ≤ {WARM_TARGET * 1000:.0f} ms (after 1 warm-up, median of {WARM_RUNS})", warm_median <= WARM_TARGET, millis(warm_median))
        if targeted else ""
    )  # fmt: skip
    table.add(f"{label}: `render_report` in a warm process", millis(warm_median), millis(min(times)),
              millis(max(times)), memory(warm.peak_sum_kb, warm.peak_rss_kb),
              f"≤ {WARM_TARGET * 1000:.0f} ms" if targeted else "", met)  # fmt: skip
    if not targeted:
        return
    if options.quick and (median > CLI_TARGET or warm_median > WARM_TARGET):
        section.notes.append("`--quick` skips the profiles; run `python -m bench --only small`.")
        return
    if median > CLI_TARGET:
        _explain_cli(section, argv, median, options)
    if warm_median > WARM_TARGET:
        options.log("small: profiling render_report")
        prof = measure(python("-m", "bench.small", name, "--profile"))
        section.profile.append(
            f"cProfile of {WARM_RUNS} warm `render_report` calls of {name} (after one warm-up), "
            f"by own time:\n\n```\n{prof.report['own']}\n```\n\nby cumulative time:\n\n"
            f"```\n{prof.report['cumulative']}\n```"
        )


def _explain_cli(section: Section, argv: list[str], median: float, options: Options) -> None:
    options.log("small: python -X importtime")
    total, top = import_costs(argv[1:])
    start = measure(python("-c", "pass"))
    stages = measure([*argv, "--profile"])
    section.profile.append(
        f"The CLI process takes {seconds(median)}; a bare `python -c pass` takes "
        f"{seconds(start.wall)}, and `python -X importtime` counts {seconds(total)} of imports "
        f"(importtime's own overhead inflates it a little). The costliest top-level imports:"
    )
    top.title = "python -X importtime: top-level imports"
    section.profile.append(top.markdown())
    nested = nested_import_costs(
        argv[1:], ("typst", "pydantic", "sqlalchemy", "babel", "pymupdf", "engine")
    )
    nested.title = (
        "python -X importtime: heaviest imports at any depth (engine and its big dependencies)"
    )
    section.profile.append(nested.markdown())
    section.profile.append(
        "The CLI's own `--profile` stage table for one run (stderr of `python -m engine render ... "
        f"--profile`):\n\n```\n{stages.stderr.strip()}\n```"
    )


if __name__ == "__main__":
    raise SystemExit(_worker(sys.argv[1:]))
