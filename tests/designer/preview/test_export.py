"""File ▸ Export… to every format and File ▸ Print…: valid files, written whole, the same pages as the preview."""

from __future__ import annotations

import csv
import json
import sqlite3
import xml.etree.ElementTree as ET

import pymupdf
import pytest
from PySide6.QtPrintSupport import QPrinter

from ..conftest import EXAMPLES
from .conftest import wait_until

CUSTOMERS = EXAMPLES / "customers_by_country_city.ashr"


def customer_count() -> int:
    with sqlite3.connect(EXAMPLES / "chinook.sqlite") as conn:
        return conn.execute("SELECT count(*) FROM Customer").fetchone()[0]


@pytest.fixture
def exporting(preview_window, qtbot, monkeypatch):
    """A window with the customers example; `export(path)` runs File ▸ Export… to that file."""
    window = preview_window(CUSTOMERS)
    feature = window.preview

    def export(target, fmt):
        monkeypatch.setattr(feature, "ask_export_target", lambda: (target, fmt))
        with qtbot.waitSignal(feature.controller.exported, timeout=60_000) as done:
            feature.export_action.trigger()
        return done.args[0]

    return window, export


@pytest.mark.parametrize("fmt", ["pdf", "png", "svg", "csv", "json"])
def test_export_writes_a_valid_file(exporting, tmp_path, fmt):
    window, export = exporting
    pages = window.preview.controller.last_result.page_count
    result = export(tmp_path / f"customers.{fmt}", fmt)
    written = sorted(tmp_path.iterdir())
    assert written == sorted(result.files)
    assert not [p for p in written if p.name.endswith(".part")]
    customers = customer_count()
    if fmt == "pdf":
        with pymupdf.open(written[0]) as doc:
            assert doc.page_count == pages
            text = "".join(page.get_text() for page in doc)
        with sqlite3.connect(EXAMPLES / "chinook.sqlite") as conn:
            names = [r[0] for r in conn.execute("SELECT LastName FROM Customer")]
        assert all(name in text for name in names)
    elif fmt == "png":
        assert len(written) == pages
        for path in written:
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    elif fmt == "svg":
        assert len(written) == pages
        for path in written:
            assert ET.parse(path).getroot().tag.endswith("svg")
    elif fmt == "csv":
        with written[0].open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert len(rows) == customers + 1 and "Country" in rows[0]
    else:
        data = json.loads(written[0].read_text(encoding="utf-8"))
        assert data["report"] == "customers_by_country_city"
        details = [b for b in data["bands"] if b["type"] == "detail"]
        assert len(details) == customers


def test_export_failure_is_reported_and_leaves_no_file(exporting, qtbot, tmp_path, monkeypatch):
    window, _ = exporting
    feature = window.preview
    target = tmp_path / "missing-folder" / "out.pdf"
    monkeypatch.setattr(feature, "ask_export_target", lambda: (target, "pdf"))
    shown = []
    monkeypatch.setattr(feature.controller, "export_failed", lambda job, error: shown.append(error))
    with qtbot.waitSignal(feature.controller.failed, timeout=60_000) as failed:
        feature.export_action.trigger()
    assert shown and "missing-folder" in str(failed.args[0])
    assert not target.parent.exists()


def test_print_renders_every_page_at_the_printers_resolution(
    exporting, qtbot, tmp_path, monkeypatch
):
    window, _ = exporting
    feature = window.preview
    out = tmp_path / "printed.pdf"
    asked = []

    def ask_printer(printer, pages):
        asked.append(pages)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(150)
        return True

    monkeypatch.setattr(feature, "ask_printer", ask_printer)
    feature.print_action.trigger()
    wait_until(qtbot, lambda: feature._printing is None and out.exists(), 60)
    pages = window.preview.controller.last_result.page_count
    assert asked == [pages]
    with pymupdf.open(out) as doc:
        assert doc.page_count == pages
        images = doc[0].get_images(full=True)
        assert images, "the page is painted as an image"
        info = doc.extract_image(images[0][0])
        # an A4 page (8.27 in wide) at 150 dpi
        assert abs(info["width"] - 8.27 * 150) < 40


def test_print_after_an_edit_prints_the_edited_report(exporting, qtbot, tmp_path, monkeypatch):
    from designer.commands import SetPropertyCommand

    from ..helpers import element_ref

    window, _ = exporting
    feature = window.preview
    document = window.document
    out = tmp_path / "printed.pdf"

    def ask_printer(printer, pages):
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(72)
        return True

    monkeypatch.setattr(feature, "ask_printer", ask_printer)
    title = element_ref(document, "title", 0)
    document.push(SetPropertyCommand(document, title, "text", "Printed Customers"))
    feature.print_action.trigger()  # the preview is not up to date: it renders first
    wait_until(qtbot, lambda: out.exists() and feature._printing is None, 60)
    with pymupdf.open(stream=feature.controller.last_result.pdf, filetype="pdf") as doc:
        assert "Printed Customers" in doc[0].get_text()
    with pymupdf.open(out) as doc:
        assert doc.page_count == feature.controller.last_result.page_count
