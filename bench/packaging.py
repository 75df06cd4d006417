"""Packaging benchmark: builds (or reuses a fresh) dist/ → bundle, .tar.gz and .deb sizes, build time, frozen start-up times."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from .markdown import Section, Table, millis, seconds
from .measure import ROOT, measure
from .registry import Options, benchmark

DIST = ROOT / "dist"
BUNDLE = DIST / "bundle" / "ashreports"
EXAMPLE = BUNDLE / "_internal" / "resources" / "examples" / "invoices_by_country.ashr"
START_TARGET = 1.0  # seconds: the issue measured < 1 s for a PySide6 + typst + PyMuPDF onedir app
REPEATS = 3


def _mib(size: int) -> str:
    return f"{size / 2**20:.0f} MiB"


def _tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _newest(pattern: str) -> Path | None:
    found = sorted(DIST.glob(pattern), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def _build(options: Options) -> tuple[float, str]:
    """`make_package.py all --reuse`: wall time and whether the bundle was rebuilt."""
    options.log("packaging: make_package.py all --reuse")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "make_package.py"), "all", "--reuse"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return time.perf_counter() - started, "reused" if "reusing" in proc.stderr else "built"


def _best(argv: list[str]) -> float:
    return min(measure(argv).wall for _ in range(REPEATS))


@benchmark("packaging", "Packaging: bundle and installer sizes, frozen start-up")
def run_packaging(options: Options) -> Section:
    section = Section("packaging", "Packaging: bundle and installer sizes, frozen start-up")
    section.intro = """
`packaging/make_package.py all --reuse` (the `make package` steps; a PyInstaller bundle
newer than its sources is reused, the `.tar.gz` and `.deb` are always rewritten), then
the frozen programs are started from `dist/bundle/ashreports/`, each in a fresh process
(best of 3): `ashr validate` on an example, and `ashr-designer --check` (offscreen Qt:
start, show the main window with an untitled report or the example, quit).
"""
    if options.quick:
        section.notes.append("Skipped with `--quick`: building the installers takes minutes.")
        return section
    build_s, how = _build(options)
    table = Table(["artefact", "size"])
    table.add("bundle folder `dist/bundle/ashreports/`", _mib(_tree_size(BUNDLE)))
    for label, pattern in (
        ("portable `.tar.gz`", "ashreports-*.tar.gz"),
        ("Debian `.deb`", "ashreports_*.deb"),
    ):
        path = _newest(pattern)
        table.add(
            f"{label} (`{path.name if path else 'missing'}`)",
            _mib(path.stat().st_size) if path else "—",
        )
    section.tables.append(table)
    section.notes.append(f"`make package` took {seconds(build_s)} (bundle {how}).")
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    cli = _best([str(BUNDLE / "ashr"), "validate", str(EXAMPLE)])
    empty = _best([str(BUNDLE / "ashr-designer"), "--check"])
    opened = _best([str(BUNDLE / "ashr-designer"), "--check", str(EXAMPLE)])
    times = Table(["frozen program", "start-up to exit (best of 3)", "target", "met"])
    times.add(
        "`ashr validate` an example", millis(cli), "≤ 1 s",
        section.target("packaging: frozen `ashr` starts and validates ≤ 1 s", cli <= START_TARGET, millis(cli)),
    )  # fmt: skip
    times.add(
        "`ashr-designer --check` (main window shown, untitled report)", millis(empty), "≤ 1 s",
        section.target("packaging: frozen designer starts ≤ 1 s", empty <= START_TARGET, millis(empty)),
    )  # fmt: skip
    times.add("`ashr-designer --check` an example (opened and shown)", millis(opened), "—", "")
    section.tables.append(times)
    return section
