"""Every test may read data in pytest's temporary folder, as a user allows a folder (--allow-path); tests/security starts from the defaults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.access import allow_folders, reset_access


@pytest.fixture(autouse=True)
def _temporary_data_allowed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests build reports in memory (no folder of their own) over databases in temporary folders."""
    allow_folders([tmp_path_factory.getbasetemp()])
    yield
    reset_access()
