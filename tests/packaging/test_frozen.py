"""The frozen bundle: `ashr render` makes the right PDF from the Chinook examples; `ashr-designer --check` opens one offscreen."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pymupdf
import pytest

from .conftest import CHINOOK, frozen_env

pytestmark = pytest.mark.slow


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _render(bundle: Path, example: str, out: Path, cwd: Path) -> list[str]:
    """Render a bundled example with the frozen `ashr` (from another folder); the pages' text."""
    report = bundle / "_internal" / "resources" / "examples" / example
    proc = subprocess.run(
        [str(bundle / "ashr"), "render", str(report), "-o", str(out)],
        cwd=cwd, env=frozen_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    with pymupdf.open(out) as doc:
        return [page.get_text() for page in doc]


def test_frozen_ashr_renders_invoices_by_country_with_the_sql_totals(bundle, tmp_path):
    pages = _render(bundle, "invoices_by_country.ashr", tmp_path / "invoices.pdf", tmp_path)
    text = "\n".join(pages)
    with sqlite3.connect(CHINOOK) as db:
        countries = db.execute(
            "SELECT BillingCountry, COUNT(*), SUM(Total) FROM Invoice "
            "WHERE InvoiceDate >= '2009-01-01' GROUP BY BillingCountry ORDER BY BillingCountry"
        ).fetchall()
        count, total = db.execute(
            "SELECT COUNT(*), SUM(Total) FROM Invoice WHERE InvoiceDate >= '2009-01-01'"
        ).fetchone()
    for country, n, subtotal in countries:
        assert f"{n} invoices\nSubtotal {country}\n{_money(subtotal)}" in text, country
    assert f"Grand total\n{_money(total)}\nInvoices\n{count}" in text
    assert pages[-1].rstrip().endswith(f"Page {len(pages)} of {len(pages)}")


def test_frozen_ashr_renders_a_big_report_through_its_compile_workers(bundle, tmp_path):
    """112 pages: chunks compile in `ashr -m engine.render.pool` processes (packaging/pyinstaller/frozen.py)."""
    pages = _render(bundle, "track_catalogue.ashr", tmp_path / "tracks.pdf", tmp_path)
    with sqlite3.connect(CHINOOK) as db:
        (tracks,) = db.execute("SELECT COUNT(*) FROM Track").fetchone()
        (albums,) = db.execute("SELECT COUNT(*) FROM Album").fetchone()
    assert f"Tracks\n{tracks}\nAlbums\n{albums}" in pages[-1]
    assert len(pages) > 40  # more than one chunk
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_frozen_ashr_reports_bad_input_without_a_traceback(bundle, tmp_path):
    broken = tmp_path / "broken.ashr"
    broken.write_text("{ not json")
    proc = subprocess.run(
        [str(bundle / "ashr"), "render", str(broken), "-o", str(tmp_path / "x.pdf")],
        env=frozen_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "broken.ashr" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_frozen_designer_opens_an_example_offscreen(bundle, tmp_path):
    report = bundle / "_internal" / "resources" / "examples" / "invoices_by_country.ashr"
    proc = subprocess.run(
        [str(bundle / "ashr-designer"), "--check", str(report)],
        cwd=tmp_path, env=frozen_env(HOME=str(tmp_path)), capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    # the counts of the file itself, and the bundled UI font registered from the bundle
    assert f"ok: {report} (8 bands, 32 elements, font Liberation Sans)" in proc.stdout


def test_frozen_designer_refuses_a_broken_file_with_its_name(bundle, tmp_path):
    broken = tmp_path / "broken.ashr"
    broken.write_text('{"format": "ashr"}')
    proc = subprocess.run(
        [str(bundle / "ashr-designer"), "--check", str(broken)],
        env=frozen_env(HOME=str(tmp_path)), capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 1
    assert "broken.ashr" in proc.stdout


def test_bundle_carries_the_licences_fonts_and_examples(bundle):
    internal = bundle / "_internal"
    for name in ("LICENSE", "THIRD_PARTY_NOTICES.md"):
        assert (internal / name).read_bytes() == (bundle.parents[2] / name).read_bytes()
    assert (internal / "resources" / "fonts" / "LiberationSans-Regular.ttf").is_file()
    assert (internal / "resources" / "fonts" / "LICENSE-Liberation.txt").is_file()
    assert (internal / "resources" / "examples" / "chinook.sqlite").is_file()
    # excluded: PyMuPDF 2's model runtime, Pillow, the PostgreSQL driver, the GTK theme and QML
    names = {p.name for p in internal.iterdir()}
    assert not names & {"onnxruntime", "networkx", "PIL", "psycopg", "psycopg_binary"}
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert (plugins / "platforms" / "libqxcb.so").is_file()
    assert not (plugins / "platformthemes" / "libqgtk3.so").exists()
    assert not list(internal.rglob("libQt6Qml*"))


def test_the_bundle_carries_the_chart_scan_extension_when_it_was_built(bundle):
    """`engine.data._hashscan` (optional, built where there is a C compiler) ships in the bundle."""
    from engine.data import hashed

    if not hashed.available():
        pytest.skip("the extension is not built in this checkout")
    shipped = list((bundle / "_internal" / "engine" / "data").glob("_hashscan*.so"))
    assert len(shipped) == 1, "collect_submodules('engine') takes the extension into the bundle"
