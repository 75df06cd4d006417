"""The public API: docs/api.md's example runs as written, and engine exports exactly the documented names."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import fitz

import engine
from tests.engine.render.helpers import EXAMPLES, ROOT

API_DOC = ROOT / "docs" / "api.md"


def _example() -> str:
    (code,) = re.findall(r"```python\n(.*?)```", API_DOC.read_text(encoding="utf-8"), re.S)
    return code


def test_the_documented_example_runs_and_checks_itself(tmp_path):
    script = tmp_path / "example.py"
    script.write_text(_example(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Invoices by Country 2012-01-01"
    pages, _, stages = lines[1].partition(" pages; stages: ")
    assert int(pages) >= 1
    assert stages.split(" → ")[0] == "query" and stages.endswith("done")
    assert lines[-1] == "cancelled"
    # the PDF it wrote has those pages and every invoice from 2012 on (asked of SQL here)
    with sqlite3.connect(EXAMPLES / "chinook.sqlite") as db:
        ids = {str(i) for (i,) in db.execute(
            "SELECT InvoiceId FROM Invoice WHERE InvoiceDate >= '2012-01-01'"
        )}  # fmt: skip
    with fitz.open(lines[2]) as doc:
        assert doc.page_count == int(pages)
        words = {w[4] for page in doc for w in page.get_text("words")}
    assert ids <= words


def test_a_prepared_run_renders_the_invoices_the_database_holds():
    prepared = engine.prepare_report(EXAMPLES / "invoices_by_country.ashr", {"start": "2013-06-01"})
    result = engine.render_report(prepared)
    with sqlite3.connect(EXAMPLES / "chinook.sqlite") as db:
        ids = [
            str(i)
            for (i,) in db.execute(
                "SELECT InvoiceId FROM Invoice WHERE InvoiceDate >= '2013-06-01'"
            )
        ]
    with fitz.open(stream=result.pages[0], filetype="pdf") as doc:
        assert doc.page_count == result.page_count
        words = {w[4] for page in doc for w in page.get_text("words")}
    assert set(ids) <= words


def test_prepare_reports_mistakes_before_any_query(tmp_path):
    import pytest

    bad = (EXAMPLES / "invoices_by_country.ashr").read_text(encoding="utf-8")
    bad = bad.replace('"sqlite:///chinook.sqlite"', '"sqlite:///missing.sqlite"')
    path = tmp_path / "bad.ashr"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(engine.ReportError) as caught:
        engine.prepare_report(path, {"start": "not a date"})
    assert "start" in str(caught.value)
    assert not (tmp_path / "missing.sqlite").exists()


def test_engine_exports_the_documented_names():
    documented = set(re.findall(r"`engine\.(\w+)", API_DOC.read_text(encoding="utf-8")))
    missing = {name for name in documented if not hasattr(engine, name)}
    assert missing <= {"access", "fill", "data", "typst"}, missing
    for name in ("load_report", "validate", "prepare_report", "render_report", "export_data"):
        assert callable(getattr(engine, name))
