"""Designer benchmark: open a 500-element report, drag a 50-element selection → open time and per-move times."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .markdown import Section, Table, millis
from .measure import ROOT
from .registry import Options, benchmark

OPEN_TARGET = 1.0  # seconds
MOVE_TARGET = 0.016  # seconds per mouse move

_CODE = (
    "import json; from designer.benchmark import run_benchmark; print(json.dumps(run_benchmark()))"
)


@benchmark("designer", "Designer: open 500 elements, drag 50")
def run_designer(options: Options) -> Section:
    section = Section("designer", "Designer: open 500 elements, drag 50")
    section.intro = """
`designer.benchmark` (offscreen Qt, fresh process): a report of 10 bands × 50 elements is
turned into a document, its scene built and the view shown and painted (*open*); then 50
selected elements are dragged with 60 real mouse-move events sent to the view's
viewport, each timed from the event to its return, with a repaint between moves.
"""
    options.log("designer: open and drag")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", _CODE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        section.notes.append(f"The designer benchmark failed:\n\n```\n{proc.stderr[-1500:]}\n```")
        return section
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    table = Table(["case", "measured", "target", "met"])
    open_s = r["open_s"]
    table.add(
        f"open {int(r['elements'])} elements (document, scene, view shown)", millis(open_s), "≤ 1 s",
        section.target("designer: a 500-element report opens ≤ 1 s", open_s <= OPEN_TARGET, millis(open_s)),
    )  # fmt: skip
    worst = r["move_max_ms"] / 1000
    table.add(
        f"mouse move with {int(r['selected'])} selected: median / max",
        f"{r['move_median_ms']:.2f} ms / {r['move_max_ms']:.2f} ms", "each ≤ 16 ms",
        section.target("designer: each mouse move of a 50-element drag ≤ 16 ms", worst <= MOVE_TARGET, f"max {r['move_max_ms']:.2f} ms"),
    )  # fmt: skip
    section.tables.append(table)
    section.notes.append(
        f"The drag left {int(r['undo_steps'])} undo step (one command on release)."
    )
    return section
