"""A command line in, its wall time and peak RSS out, measured from a fresh parent process.

``measure(argv)`` starts ``python -m bench.measure -- ARGV...``, a small stdlib-only
process whose only child is ARGV. It times the child with ``time.perf_counter`` and reads
its peak resident set size with ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` (KB on
Linux). Because every measured case gets its own measuring parent, the peaks of different
cases never mix, as they would in one long-lived process's RUSAGE_CHILDREN.

A worker may print one JSON object as the last line of its stdout (timings it took
itself, counts); it comes back as ``Measurement.report``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class BenchError(Exception):
    """A measured command failed; the message carries its exit status and stderr."""


@dataclass
class Measurement:
    """One run of one command: wall time of the whole process, its peak RSS, what it reported."""

    wall: float
    peak_rss_kb: int
    report: dict[str, Any] = field(default_factory=dict)
    stderr: str = ""

    @property
    def peak_rss_mb(self) -> float:
        return self.peak_rss_kb / 1024


def python(*args: str) -> list[str]:
    """An argv that runs this interpreter (the venv's) with ``args``."""
    return [sys.executable, *args]


def measure(argv: list[str], *, cwd: Path | None = None) -> Measurement:
    """Run ``argv`` in a fresh process under a fresh measuring parent and measure it.

    Raises:
        BenchError: the command exited with a non-zero status.
    """
    done = subprocess.run(
        python("-m", "bench.measure", "--", *argv),
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"bench.measure failed ({done.returncode}): {done.stderr.strip()}")
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    if facts["returncode"] != 0:
        raise BenchError(
            f"{' '.join(argv)} exited with {facts['returncode']}: {facts['stderr'].strip()[-2000:]}"
        )
    return Measurement(
        wall=facts["wall"],
        peak_rss_kb=facts["peak_rss_kb"],
        report=_last_json(facts["stdout"]),
        stderr=facts["stderr"],
    )


def _last_json(stdout: str) -> dict[str, Any]:
    lines = stdout.strip().splitlines()
    if not lines:
        return {}
    try:
        value = json.loads(lines[-1])
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def report(facts: dict[str, Any]) -> None:
    """Print ``facts`` as the worker's JSON report line (the last line of its stdout)."""
    sys.stdout.write(json.dumps(facts, sort_keys=True, default=str) + "\n")
    sys.stdout.flush()


def _main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        sys.stderr.write("usage: python -m bench.measure -- COMMAND [ARG ...]\n")
        return 2
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    facts = {
        "wall": wall,
        "peak_rss_kb": peak,
        "returncode": done.returncode,
        "stdout": done.stdout,
        "stderr": done.stderr,
    }
    sys.stdout.write(json.dumps(facts) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
