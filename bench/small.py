"""Small report benchmark: the invoices_by_country example → CLI process wall time and warm render_report time.

``python -m bench.small [--profile]`` is the warm worker: it loads the report, renders it
once (the warm-up), then times ``render_report`` ``WARM_RUNS`` times.
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

from .markdown import Section, Table, megabytes, millis, seconds
from .measure import ROOT, measure, python, report
from .profiling import import_costs, nested_import_costs
from .registry import Options, benchmark

REPORT = ROOT / "resources" / "examples" / "invoices_by_country.ashr"
CLI_RUNS = 5
WARM_RUNS = 10
CLI_TARGET = 0.5  # seconds, whole process
WARM_TARGET = 0.100  # seconds, render_report in a warm process


def _warm_times(runs: int, profiler: Any = None) -> list[float]:
    """``runs`` timings of ``render_report`` after one warm-up; only they run under ``profiler``."""
    from engine.model import load_report
    from engine.render import render_report

    report_def = load_report(REPORT)
    render_report(report_def, base_dir=REPORT.parent)  # warm-up
    times = []
    if profiler is not None:
        profiler.enable()
    for _ in range(runs):
        start = time.perf_counter()
        render_report(report_def, base_dir=REPORT.parent)
        times.append(time.perf_counter() - start)
    if profiler is not None:
        profiler.disable()
    return times


def _worker(argv: list[str]) -> int:
    facts: dict[str, Any] = {}
    if "--profile" in argv:
        import cProfile

        from .profiling import profile_table

        profiler = cProfile.Profile()
        times = _warm_times(WARM_RUNS, profiler)
        facts["own"] = profile_table(profiler, sort="tottime", limit=20)
        facts["cumulative"] = profile_table(profiler, sort="cumulative", limit=25)
    else:
        times = _warm_times(WARM_RUNS)
    report({"times": times, **facts})
    return 0


@benchmark("small", "Small report: invoices_by_country")
def run_small(options: Options) -> Section:
    section = Section("small", "Small report: invoices_by_country")
    section.intro = f"""
`resources/examples/invoices_by_country.ashr` (Chinook SQLite, 412 invoices, 24 countries).
*CLI process*: the wall time of `python -m engine render
resources/examples/invoices_by_country.ashr -o OUT.pdf`, median of {CLI_RUNS} fresh
processes after one unmeasured run (which warms the OS file cache); the engine's modules are
byte-compiled first (`python -m bench` runs `python -m compileall engine bench`), as pip does for an installed package
(this matters where `PYTHONDONTWRITEBYTECODE` is set and no `.pyc` is ever written). *Warm render_report*:
one process loads the report, renders once to warm up, then times {WARM_RUNS} calls of
`render_report`; the median is shown.
"""
    table = Table(["case", "median", "min", "max", "peak RSS", "target", "met"])
    with options.workdir("small") as folder:
        argv = python(
            "-m", "engine", "render", str(REPORT.relative_to(ROOT)), "-o", str(folder / "x.pdf")
        )
        measure(argv)
        options.log("small: CLI process")
        cli = [measure(argv) for _ in range(CLI_RUNS)]
        walls = [m.wall for m in cli]
        median = statistics.median(walls)
        table.add("`python -m engine render` process", seconds(median), seconds(min(walls)),
                  seconds(max(walls)), megabytes(statistics.median(m.peak_rss_kb for m in cli)),
                  f"≤ {CLI_TARGET} s", section.target(f"small report CLI process ≤ {CLI_TARGET} s (median of {CLI_RUNS})", median <= CLI_TARGET, seconds(median)))  # fmt: skip
        options.log("small: warm render_report")
        warm = measure(python("-m", "bench.small"))
        times = warm.report["times"]
        warm_median = statistics.median(times)
        table.add("`render_report` in a warm process", millis(warm_median), millis(min(times)),
                  millis(max(times)), megabytes(warm.peak_rss_kb), f"≤ {WARM_TARGET * 1000:.0f} ms",
                  section.target(f"small report warm render_report ≤ {WARM_TARGET * 1000:.0f} ms (after 1 warm-up, median of {WARM_RUNS})", warm_median <= WARM_TARGET, millis(warm_median)))  # fmt: skip
        section.tables.append(table)
        if options.quick and section.missed:
            section.notes.append(
                "`--quick` skips the profiles; run `python -m bench --only small`."
            )
        elif median > CLI_TARGET:
            _explain_cli(section, argv, median, options)
        if warm_median > WARM_TARGET and not options.quick:
            options.log("small: profiling render_report")
            prof = measure(python("-m", "bench.small", "--profile"))
            section.profile.append(
                f"cProfile of {WARM_RUNS} warm `render_report` calls (after one warm-up), by own "
                f"time:\n\n```\n{prof.report['own']}\n```\n\nby cumulative time:\n\n"
                f"```\n{prof.report['cumulative']}\n```"
            )
    return section


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
