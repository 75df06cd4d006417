"""What a `python -m engine render` process loads: an SQLite report never imports SQLAlchemy (about 0.25 s)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pymupdf

EXAMPLES = Path(__file__).resolve().parents[3] / "resources" / "examples"

_SCRIPT = """
import sys
from engine.cli.main import main
code = main(sys.argv[1:])
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "sqlalchemy")
print("sqlalchemy modules:", len(loaded))
sys.exit(code)
"""


def test_rendering_an_sqlite_report_does_not_import_sqlalchemy(tmp_path):
    output = tmp_path / "customers.pdf"
    report = EXAMPLES / "customers_by_country_city.ashr"
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, "render", str(report), "-o", str(output)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "sqlalchemy modules: 0" in done.stdout
    with pymupdf.open(output) as pdf:
        assert pdf.page_count >= 1 and "Customers" in pdf[0].get_text()
