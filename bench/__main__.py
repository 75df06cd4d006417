"""``python -m bench``: run the benchmarks and write docs/performance.md (or print it)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

from . import (  # noqa: F401  (register the benchmarks)
    charts,
    designer,
    fill,
    jasper,
    listing,
    packaging,
    small,
    summary_report,
)
from .machine import machine_facts
from .markdown import Section, Table, load, seconds
from .measure import ROOT
from .registry import BENCHMARKS, Options
from .reportbro_listing import INSTALL_HINT, reportbro_available

DOC = ROOT / "docs" / "performance.md"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run the AshReports benchmarks and write docs/performance.md.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smaller sizes, one repeat: a CI smoke test (< 60 s)"
    )
    parser.add_argument(
        "--only", action="append", choices=sorted(BENCHMARKS), metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(sorted(BENCHMARKS))}",
    )  # fmt: skip
    parser.add_argument(
        "--output", type=Path, metavar="FILE",
        help="write the Markdown here; default docs/performance.md for a full run of every "
        "benchmark, else print it to stdout (so a quick or partial run never replaces the full results)",
    )  # fmt: skip
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep generated data and PDFs in DIR"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    names = args.only or list(BENCHMARKS)
    options = Options(quick=args.quick, keep=args.keep)
    command = "python -m bench" + (
        " " + " ".join(sys.argv[1:]) if argv is None and sys.argv[1:] else ""
    )
    if argv is not None:
        command = " ".join(["python -m bench", *argv])
    if "listing" in names and not reportbro_available():
        sys.stderr.write(f"warning: {INSTALL_HINT}\n")
    # measured processes import the engine as an installed package does: from .pyc files
    # (never written where PYTHONDONTWRITEBYTECODE is set)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "engine", "bench"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    started = dt.datetime.now().astimezone()
    sections: list[Section] = []
    failed = False
    for name in names:
        entry = BENCHMARKS[name]
        before = os.getloadavg()
        options.log(f"{name}: start (load average {load(before)})")
        mark = time.perf_counter()
        try:
            section = entry.run(options)
        except Exception as exc:  # one broken benchmark must not hide the others' results
            failed = True
            sys.stderr.write(traceback.format_exc())
            section = Section(name, entry.title)
            section.notes.append(f"**The benchmark failed:** `{type(exc).__name__}: {exc}`")
            section.missed.append(f"{name}: the benchmark failed to run")
        section.load_before, section.load_after = before, os.getloadavg()
        section.duration = time.perf_counter() - mark
        options.log(f"{name}: done (load average {load(section.load_after)})")
        sections.append(section)
    elapsed = time.perf_counter() - options.started
    text = _document(command, started, elapsed, options, sections)
    target = args.output or (DOC if not args.quick and args.only is None else None)
    if target is None:
        sys.stdout.write(text)
    else:
        target.write_text(text, encoding="utf-8")
        options.log(f"wrote {target}")
    sys.stderr.write(_summary(sections, elapsed))
    return 1 if failed else 0


def _document(command: str, started: dt.datetime, elapsed: float, options: Options,
              sections: list[Section]) -> str:  # fmt: skip
    machine = Table(["", ""])
    for label, value in machine_facts():
        machine.add(label, value)
    summary = Table(["benchmark", "target", "measured", "met"])
    for section in sections:
        for description, ok in section.checked:
            summary.add(section.name, description, section.measured.get(description, ""),
                        "yes" if ok else "**no**")  # fmt: skip
        for description in section.missed:
            if (description, False) not in section.checked:
                summary.add(section.name, description, "", "**no**")
    loads = Table(
        ["benchmark", "duration", "load before (1 / 5 / 15 min)", "load after (1 / 5 / 15 min)"]
    )
    for section in sections:
        loads.add(section.name, seconds(section.duration), load(section.load_before),
                  load(section.load_after))  # fmt: skip
    parts = [
        "# Performance",
        "This file is written by `python -m bench` (see `bench/`); do not edit it by hand. "
        "Run it again after a change that could matter and commit the result.",
        f"- Command: `{command}`{' (quick: smaller sizes, not the targets’ sizes)' if options.quick else ''}\n"
        f"- Date: {started:%Y-%m-%d %H:%M %Z}\n"
        f"- Duration: {seconds(elapsed)}",
        "## Machine\n\n" + machine.markdown(),
        "## Method\n\n"
        "Every measured case runs in a fresh process, started by a small parent that never "
        "loads the engine (`python -m bench.measure`: the standard library and psutil), so the "
        "peaks of different cases never mix. The parent times the case with "
        "`time.perf_counter` and reads two memory peaks (shown in MiB, 1 MiB = 1024 KB; MB in "
        "the targets are read as MiB):\n\n"
        "- **summed** — memory as the user's machine feels it: while the case runs, a thread "
        "adds up the RSS of its process and of every process it started (`psutil`: the tree "
        "is looked up with `children(recursive=True)` every 0.1 s, since that scans every "
        "process on the machine, about 9 ms here; the RSS of the processes found is read every "
        "20 ms) and keeps the largest sum; the sampling costs the parent about 4 % of one "
        "core (0.21 s of CPU over a 5.5 s listing). A peak shorter than 20 ms can fall "
        "between two samples, so the figure is never taken below the largest single "
        "process's peak. "
        "The memory targets read this figure.\n"
        "- **largest process** — `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` (KB on "
        "Linux): the peak of the largest single process of the tree (the case or one of its "
        "compile workers), not their sum; the figure the targets read before issue 17.\n\n"
        "Times inside a worker (rows/s, in-process render time) are taken with "
        "`time.perf_counter` around the measured call only. Data is generated with fixed seeds "
        "before any clock starts. Other work on the machine while the benchmark runs shows up "
        "as spread between runs.",
        "## Targets\n\n" + (summary.markdown() if summary.rows else "No targets were checked."),
        "## Load on the machine\n\n"
        + _LOAD_NOTE.format(cores=os.cpu_count())
        + "\n\n"
        + loads.markdown(),
    ]
    parts += [section.markdown() for section in sections]
    return "\n\n".join(parts) + "\n"


_LOAD_NOTE = (
    "This machine has {cores} logical cores and is shared: other work (other engineers' builds "
    "and test runs) may run while the benchmarks do, and nothing here stops it. The load "
    "average (`os.getloadavg()`: runnable processes, averaged over 1, 5 and 15 minutes) is "
    "recorded just before and just after each benchmark. The benchmark itself adds about 1 "
    "to 2 (one measured process, plus the compile workers of a big listing); a 1-minute load "
    "well above 2 means other processes competed for the {cores} cores, and the times of that "
    "benchmark are then slower, and the spread between repeats wider, than on an idle machine. "
    "Read the numbers with this in mind; the comparison with ReportBro suffers less, since "
    "both engines run in the same period, one after the other."
)


def _summary(sections: list[Section], elapsed: float) -> str:
    lines = [f"bench: {len(sections)} benchmark(s) in {elapsed:.1f} s"]
    for section in sections:
        lines += [f"  met     {d}" for d in section.met]
        lines += [f"  MISSED  {d}" for d in section.missed]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
