"""A command line in, its wall time and two memory peaks out, measured from a fresh parent process.

``measure(argv)`` starts ``python -m bench.measure -- ARGV...``, a small parent (the
standard library and psutil, never the engine) whose only child is ARGV. It times the
child with ``time.perf_counter`` and reads two peaks:

- the largest single process: ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` (KB on
  Linux) — the child or whichever of its descendants peaked highest, never their sum;
- the process tree summed: while the child runs, a thread adds up the RSS of the child
  and every process it started (``psutil``) every ``SAMPLE_S`` and keeps the largest sum —
  memory as the user's machine feels it when a render starts compile workers.

Because every measured case gets its own measuring parent, the peaks of different cases
never mix, as they would in one long-lived process's RUSAGE_CHILDREN.

A worker may print one JSON object as the last line of its stdout (timings it took
itself, counts); it comes back as ``Measurement.report``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: seconds between two samples of the process tree's memory
SAMPLE_S = 0.02
#: samples between two looks for new processes in the tree: finding them scans every
#: process on the machine (psutil builds its parent map from /proc; about 9 ms here), so
#: it runs every 0.1 s while the RSS of the processes already known is read every sample
TREE_EVERY = 5


class BenchError(Exception):
    """A measured command failed; the message carries its exit status and stderr."""


@dataclass
class Measurement:
    """One run of one command: wall time of the whole process, its peak RSS, what it reported."""

    wall: float
    #: the peak of the largest single process (``ru_maxrss``)
    peak_rss_kb: int
    #: the peak of the process tree's summed RSS (sampled; never below ``peak_rss_kb``)
    peak_sum_kb: int = 0
    #: the most processes seen alive at once in the tree (the command itself included)
    processes: int = 1
    report: dict[str, Any] = field(default_factory=dict)
    stderr: str = ""

    @property
    def peak_rss_mb(self) -> float:
        return self.peak_rss_kb / 1024

    @property
    def peak_sum_mb(self) -> float:
        return self.peak_sum_kb / 1024


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
        peak_sum_kb=facts["peak_sum_kb"],
        processes=facts["processes"],
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
    import psutil  # noqa: F401  (the sampler's; imported before the clock starts)

    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _TreeSampler(child.pid)
    sampler.start()
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - start
    sampler.stop()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    facts = {
        "wall": wall,
        "peak_rss_kb": peak,
        # a sum is never below its largest member: a peak between two samples still counts
        "peak_sum_kb": max(peak, sampler.peak_kb),
        "processes": sampler.processes,
        "returncode": child.returncode,
        "stdout": stdout,
        "stderr": stderr,
    }
    sys.stdout.write(json.dumps(facts) + "\n")
    return 0


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.processes = 1
        self._done = threading.Event()

    def stop(self) -> None:
        self._done.set()
        self.join()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        tree = [root]
        tick = 0
        while not self._done.is_set():
            if tick % TREE_EVERY == 0:
                try:
                    tree = [root, *root.children(recursive=True)]
                except psutil.NoSuchProcess:
                    return
            total, alive = 0, 0
            for process in tree:
                try:
                    total += process.memory_info().rss
                    alive += 1
                except psutil.Error:  # ended between two looks at the tree
                    continue
            self.peak_kb = max(self.peak_kb, total // 1024)
            self.processes = max(self.processes, alive)
            tick += 1
            self._done.wait(SAMPLE_S)


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
