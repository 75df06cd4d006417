"""Where the time goes: cProfile statistics and ``python -X importtime`` output → short ranked tables."""

from __future__ import annotations

import cProfile
import pstats
import re
import subprocess
from pathlib import Path

from .markdown import Table, code_block
from .measure import ROOT, python

_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( +)(\S+)")


def profile_table(profiler: cProfile.Profile, *, sort: str = "cumulative", limit: int = 15) -> str:
    """The top ``limit`` functions of a profile as text lines (pstats' own format)."""
    stats = pstats.Stats(profiler)
    stats.sort_stats(sort)
    lines: list[str] = []
    for func in stats.fcn_list[:limit]:  # type: ignore[attr-defined]
        _cc, nc, tt, ct, _ = stats.stats[func]  # type: ignore[attr-defined]
        name = _func_name(func)
        lines.append(f"{ct:9.3f} {tt:9.3f} {nc:>9} {name}")
    header = f"{'cum s':>9} {'own s':>9} {'calls':>9} function"
    return "\n".join([header, *lines])


def _func_name(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    if filename == "~":
        return name  # a builtin: "<built-in method ...>"
    path = Path(filename)
    for anchor in (ROOT, *_site_dirs(path)):
        try:
            filename = str(path.relative_to(anchor))
            break
        except ValueError:
            continue
    return f"{filename}:{line}({name})"


def _site_dirs(path: Path) -> list[Path]:
    return [parent for parent in path.parents if parent.name in ("site-packages", "lib")][:1]


def import_costs(argv: list[str], *, limit: int = 12) -> tuple[float, Table]:
    """Run ``python -X importtime ARGV`` and rank the top-level imports by cumulative time.

    Returns the total import time in seconds and a table of the costliest imports.
    """
    done = subprocess.run(
        python("-X", "importtime", *argv), cwd=ROOT, capture_output=True, text=True, check=False
    )
    top: list[tuple[int, int, str]] = []
    for line in done.stderr.splitlines():
        found = _IMPORT_LINE.match(line)
        if found and len(found.group(3)) == 1:  # one space: imported by the program itself
            top.append((int(found.group(2)), int(found.group(1)), found.group(4)))
    total = sum(cumulative for cumulative, _, _ in top) / 1e6
    table = Table(["top-level import", "cumulative", "share of imports"])
    for cumulative, _own, name in sorted(top, reverse=True)[:limit]:
        table.add(f"`{name}`", f"{cumulative / 1000:.0f} ms", f"{cumulative / 1e6 / total:.0%}")
    return total, table


def nested_import_costs(argv: list[str], names: tuple[str, ...], *, limit: int = 12) -> Table:
    """The costliest imports at any depth whose module name starts with one of ``names``."""
    done = subprocess.run(
        python("-X", "importtime", *argv), cwd=ROOT, capture_output=True, text=True, check=False
    )
    rows: list[tuple[int, int, str]] = []
    for line in done.stderr.splitlines():
        found = _IMPORT_LINE.match(line)
        if found and found.group(4).split(".")[0] in names:
            rows.append((int(found.group(2)), int(found.group(1)), found.group(4)))
    table = Table(["import (any depth)", "cumulative", "own"])
    for cumulative, own, name in sorted(rows, reverse=True)[:limit]:
        table.add(f"`{name}`", f"{cumulative / 1000:.0f} ms", f"{own / 1000:.0f} ms")
    return table


def profile_block(title: str, text: str) -> str:
    return f"{title}\n\n{code_block(text)}"
