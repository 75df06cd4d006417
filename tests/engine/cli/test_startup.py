"""A `python -m engine` process's start and end: it loads only what the report needs, pauses the collector until the report is loaded, and exits without teardown yet with its output whole.

An SQLite report never imports SQLAlchemy (about 0.25 s); a report without charts never
imports the charts stage; pydantic's plugin search (importlib.metadata) and PyMuPDF are
never loaded to render a PDF.
"""

from __future__ import annotations

import gc
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pymupdf

from engine.cli import main
from engine.cli.startup import pause_gc, resume_gc

EXAMPLES = Path(__file__).resolve().parents[3] / "resources" / "examples"

_SCRIPT = """
import sys
from engine.cli.main import main
code = main(sys.argv[1:])
for family in ("sqlalchemy", "engine.charts", "importlib.metadata", "pymupdf", "fitz"):
    loaded = [n for n in sys.modules if n == family or n.startswith(family + ".")]
    print(f"{family} modules:", len(loaded))
print("plugin loader:", type(sys.modules.get("pydantic.plugin._loader")).__name__)
sys.exit(code)
"""


def _render(report: Path, output: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, "render", str(report), "-o", str(output)],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_rendering_an_sqlite_report_does_not_import_sqlalchemy(tmp_path):
    output = tmp_path / "customers.pdf"
    stdout = _render(EXAMPLES / "customers_by_country_city.ashr", output)
    assert "sqlalchemy modules: 0" in stdout
    with pymupdf.open(output) as pdf:
        assert pdf.page_count >= 1 and "Customers" in pdf[0].get_text()


def test_a_report_without_charts_loads_neither_charts_nor_plugin_search_nor_pymupdf(tmp_path):
    output = tmp_path / "invoices.pdf"
    stdout = _render(EXAMPLES / "invoices_by_country.ashr", output)
    for family in ("sqlalchemy", "engine.charts", "importlib.metadata", "pymupdf", "fitz"):
        assert f"{family} modules: 0" in stdout
    assert "plugin loader: _NoPlugins" in stdout
    with sqlite3.connect(EXAMPLES / "chinook.sqlite") as db:
        (total,) = db.execute("SELECT SUM(Total) FROM Invoice").fetchone()
    with pymupdf.open(output) as pdf:
        text = "".join(page.get_text() for page in pdf)
    assert "Grand total" in text and f"${total:,.2f}" in text


def test_a_report_with_charts_loads_the_charts_stage(tmp_path):
    output = tmp_path / "charts.pdf"
    stdout = _render(EXAMPLES / "sales_charts.ashr", output)
    assert "engine.charts modules: 0" not in stdout
    with pymupdf.open(output) as pdf:
        assert pdf.page_count >= 1


def test_plugins_the_user_enables_are_searched_by_pydantic_itself(tmp_path):
    # set, disabling none; no schema cache, so pydantic builds a validator (and looks for plugins)
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "", "ASHR_SCHEMA_CACHE": "0"}
    stdout = _render(EXAMPLES / "invoices_by_country.ashr", tmp_path / "x.pdf", env)
    assert "plugin loader: module" in stdout


def test_the_collector_paused_at_start_up_is_back_on_with_the_start_up_objects_frozen() -> None:
    assert gc.isenabled()
    gc.unfreeze()  # an earlier test in this process (the designer's preview) may have frozen some
    resume_gc()  # nothing paused it: nothing changes
    assert gc.isenabled() and gc.get_freeze_count() == 0
    pause_gc()
    try:
        assert not gc.isenabled()
        resume_gc()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_python_m_engine_exits_with_its_output_whole_and_its_status() -> None:
    report = EXAMPLES / "invoices_by_country.ashr"
    out = io.StringIO()
    assert main(["fields", str(report)], stdout=out) == 0
    done = subprocess.run(
        [sys.executable, "-m", "engine", "fields", str(report)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout == out.getvalue()
    assert "InvoiceId" in done.stdout and "Total" in done.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "engine", "fields", str(report.with_name("no-such.ashr"))],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert missing.returncode == 2 and "no such file" in missing.stderr
