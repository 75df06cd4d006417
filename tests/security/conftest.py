"""Fixtures of the security suite: a folder holding a victim's files, a report written into it, and the CLI."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from engine.access import reset_access
from tests.engine.render.helpers import CHINOOK, ROOT


def _no_more_than_4_gb() -> None:
    # a regression that lets Typst allocate a bomb's pixels fails the test, not the machine
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def engine(
    *argv: str | Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 90,
) -> subprocess.CompletedProcess[str]:
    """`python -m engine ARGV` in a subprocess with a timeout (a read that blocks or a query that
    never ends fails the test instead of hanging it) and a 4 GB memory ceiling; `env` is added to
    this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "engine", *map(str, argv)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
        preexec_fn=_no_more_than_4_gb,
    )


@pytest.fixture(autouse=True)
def _fresh_access() -> Iterator[None]:
    """Allowed folders and raised limits are process-wide: every test starts from the defaults."""
    reset_access()
    yield
    reset_access()


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A user's folder: `reports/` (where a received report is saved, with a copy of Chinook) and
    `outside/` beside it (files the report must never read)."""
    reports = tmp_path / "reports"
    outside = tmp_path / "outside"
    reports.mkdir()
    outside.mkdir()
    shutil.copy(CHINOOK, reports / "chinook.sqlite")
    (outside / "secret.csv").write_text("Secret\nhunter2\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def write_report(victim: Path) -> Callable[..., Path]:
    """Write an .ashr report into victim/reports: `write_report(data_source=..., bands=[...])`."""

    def write(name: str = "attack", **keys: Any) -> Path:
        data: dict[str, Any] = {"format": "ashr", "version": 2, "name": name}
        data.update(keys)
        path = victim / "reports" / f"{name}.ashr"
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return write


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file below a folder and its bytes: compared before and after an attack."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
