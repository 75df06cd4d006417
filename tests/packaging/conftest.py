"""Fixtures of the packaging tests: the PyInstaller bundle and the .deb, built once per session by packaging/make_package.py.

Tests marked `slow` build or run the frozen programs; they run only when selected with
`-m slow` (`make package-test`), so a plain `pytest` stays fast.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
EXAMPLES = ROOT / "resources" / "examples"
CHINOOK = EXAMPLES / "chinook.sqlite"
BUNDLE = ROOT / "dist" / "bundle" / "ashreports"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="builds the installers: run with `-m slow` (make package-test)")
    for item in items:
        if "slow" in item.keywords and str(item.fspath).startswith(str(Path(__file__).parent)):
            item.add_marker(skip)


def make_package(step: str) -> None:
    """Run one step of packaging/make_package.py, reusing a bundle newer than its sources."""
    proc = subprocess.run(
        [sys.executable, str(PACKAGING / "make_package.py"), step, "--reuse"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=1800,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def need_tool(name: str) -> str:
    """The path of a command-line tool; a missing one skips, or fails where .ci/run installed them."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt-get install it; .ci/run does)"
        if os.environ.get("ASHR_REQUIRE_PACKAGE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def bundle() -> Path:
    make_package("bundle")
    return BUNDLE


def _newest_package(step: str, pattern: str) -> Path:
    """Run a packaging step and return the newest file in dist/ it wrote."""
    make_package(step)
    found = sorted((ROOT / "dist").glob(pattern), key=lambda p: p.stat().st_mtime)
    assert found, f"make_package.py {step} wrote no {pattern}"
    return found[-1]


@pytest.fixture(scope="session")
def deb(bundle: Path) -> Path:
    return _newest_package("deb", "ashreports_*.deb")


@pytest.fixture(scope="session")
def tarball(bundle: Path) -> Path:
    return _newest_package("tarball", "ashreports-*.tar.gz")


def frozen_env(**extra: str) -> dict[str, str]:
    """The environment of a frozen program: offscreen Qt, no PYTHONPATH into the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env
