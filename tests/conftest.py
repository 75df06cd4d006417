"""Every test may read data in pytest's temporary folder and the examples' folder, as a user allows a folder (--allow-path); tests/security starts from the defaults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.access import allow_folders, reset_access
from engine.paths import EXAMPLES_DIR


@pytest.fixture(autouse=True)
def _temporary_data_allowed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests build reports in memory or in temporary folders (no folder of their own) over
    databases in temporary folders or the bundled examples' Chinook."""
    allow_folders([tmp_path_factory.getbasetemp(), EXAMPLES_DIR])
    yield
    reset_access()
