"""Fixtures for engine.data tests: the Chinook sample database, independent sqlite3 answers, source builders."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.access import allow_folders, reset_access

from .helpers import CHINOOK


@pytest.fixture(autouse=True)
def _data_folders_allowed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """These tests read sources by absolute paths, as a user allows (--allow-path): the shared
    Chinook folder and the test's temporary folders. Confinement itself: tests/security."""
    allow_folders([CHINOOK.parent, tmp_path_factory.getbasetemp()])
    yield
    reset_access()


@pytest.fixture(scope="session")
def chinook() -> Path:
    """The shared Chinook database (read-only)."""
    if not CHINOOK.is_file():
        pytest.skip(f"sample database missing: {CHINOOK}")
    return CHINOOK


@pytest.fixture
def chinook_copy(chinook: Path, tmp_path: Path) -> Path:
    """A copy of Chinook in tmp_path, for relative paths."""
    target = tmp_path / "chinook.sqlite"
    shutil.copyfile(chinook, target)
    return target


@pytest.fixture(scope="session")
def sqlite_answer(chinook: Path) -> Callable[..., list[tuple[Any, ...]]]:
    """Run SQL on Chinook with plain sqlite3, independently of engine.data."""

    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(f"file:{chinook}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    return run


@pytest.fixture(params=["sqlite3", "sqlalchemy"])
def sqlite_driver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each SQLite test once through Python's sqlite3 (the default reader) and once through SQLAlchemy."""
    monkeypatch.setenv("ASHR_SQLITE_DRIVER", request.param)
    return str(request.param)
