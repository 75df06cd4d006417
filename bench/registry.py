"""Benchmark names → the functions that run them, filled by the ``@benchmark`` decorator."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .markdown import Section


@dataclass
class Options:
    """How a run goes: quick (CI smoke sizes) or full; where scratch files go; progress lines."""

    quick: bool = False
    keep: Path | None = None
    started: float = field(default_factory=time.perf_counter)

    def log(self, message: str) -> None:
        sys.stderr.write(f"[{time.perf_counter() - self.started:6.1f} s] {message}\n")
        sys.stderr.flush()

    @contextmanager
    def workdir(self, name: str) -> Iterator[Path]:
        """A scratch folder for generated data and output files, removed afterwards unless kept."""
        if self.keep is not None:
            folder = self.keep / name
            folder.mkdir(parents=True, exist_ok=True)
            yield folder
            return
        with tempfile.TemporaryDirectory(prefix=f"ashr-bench-{name}-") as path:
            yield Path(path)


Runner = Callable[[Options], Section]


@dataclass(frozen=True)
class Benchmark:
    name: str
    title: str
    run: Runner


BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(name: str, title: str) -> Callable[[Runner], Runner]:
    """Register a benchmark under ``name`` (the ``--only`` value)."""

    def register(run: Runner) -> Runner:
        BENCHMARKS[name] = Benchmark(name, title, run)
        return run

    return register
