"""bench.jasper without java on the PATH → a section that says why, no target missed, no failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.jasper import run_jasper
from bench.registry import Options


def test_a_machine_without_java_skips_jasper_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no java, no javac

    section = run_jasper(Options(quick=True, keep=tmp_path))

    text = section.markdown()
    assert "**JasperReports not measured:** java, javac" in text
    assert "apt-get install -y default-jdk-headless libxerial-sqlite-jdbc-java" in text
    assert section.missed == [] and section.checked == []
