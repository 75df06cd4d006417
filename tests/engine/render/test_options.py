"""Render options a user sets and sees: images of every source and kind, PDF/A, tagged PDF, font warnings."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path

import pymupdf
import pytest

from engine.model import load_report
from engine.render import render_report

from .helpers import cli


def _png(color: tuple[int, int, int], size: int = 20) -> bytes:
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, size, size), False)
    pix.set_rect(pix.irect, color)
    return bytes(pix.tobytes("png"))


def _jpeg(color: tuple[int, int, int]) -> bytes:
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 16, 16), False)
    pix.set_rect(pix.irect, color)
    return bytes(pix.tobytes("jpg"))


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#00f"/></svg>'


def _report(tmp_path: Path, elements: list[dict], **extra) -> Path:
    data = {
        "format": "ashr",
        "version": 1,
        "name": "r",
        "bands": [{"type": "title", "height": 120, "elements": elements}],
        **extra,
    }
    path = tmp_path / "r.ashr"
    path.write_text(json.dumps(data))
    return path


def _image_count(pdf: bytes) -> int:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return sum(len(page.get_images()) for page in doc)


def _colour_at(pdf: bytes, x: float, y: float) -> tuple[int, int, int]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        pix = doc[0].get_pixmap(dpi=72, clip=pymupdf.Rect(x, y, x + 1, y + 1))
        return tuple(pix.pixel(0, 0))  # type: ignore[return-value]


def test_images_from_a_file_inline_data_and_svg(tmp_path):
    (tmp_path / "red.png").write_bytes(_png((255, 0, 0)))
    (tmp_path / "logo.svg").write_bytes(SVG)
    green = base64.b64encode(_jpeg((0, 255, 0))).decode()
    path = _report(tmp_path, [
        {"type": "image", "x": 0, "y": 0, "width": 40, "height": 40, "source": {"file": "red.png"}},
        {"type": "image", "x": 60, "y": 0, "width": 40, "height": 40, "source": {"data": green}, "fit": "stretch"},
        {"type": "image", "x": 120, "y": 0, "width": 40, "height": 40, "source": {"file": "logo.svg"}},
    ])  # fmt: skip
    pdf = render_report(load_report(path), base_dir=tmp_path).pages[0]
    # 36 pt margins: the images sit at x = 36, 96, 156
    r, g, b = _colour_at(pdf, 36 + 20, 36 + 20)
    assert r > 200 and g < 60 and b < 60
    r, g, b = _colour_at(pdf, 96 + 20, 36 + 20)
    assert g > 200 and r < 80 and b < 80
    r, g, b = _colour_at(pdf, 156 + 20, 36 + 20)
    assert b > 200 and r < 60 and g < 60


def test_image_from_a_database_blob_field(tmp_path):
    con = sqlite3.connect(tmp_path / "pics.sqlite")
    con.execute("CREATE TABLE pics (id INTEGER, picture BLOB)")
    con.executemany(
        "INSERT INTO pics VALUES (?, ?)", [(1, _png((255, 0, 0))), (2, _png((0, 0, 255)))]
    )
    con.commit()
    con.close()
    data = {
        "format": "ashr", "version": 1, "name": "pics",
        "data_source": {"kind": "sql", "url": "sqlite:///pics.sqlite", "table": "pics"},
        "sort": [{"expression": "id"}],
        "bands": [{"type": "detail", "height": 50, "elements": [
            {"type": "image", "x": 0, "y": 0, "width": 40, "height": 40, "source": {"field": "picture"}}]}],
    }  # fmt: skip
    path = tmp_path / "pics.ashr"
    path.write_text(json.dumps(data))
    pdf = render_report(load_report(path), base_dir=tmp_path).pages[0]
    r, _, b = _colour_at(pdf, 36 + 20, 36 + 20)
    assert r > 200 and b < 60  # row 1: red
    r, _, b = _colour_at(pdf, 36 + 20, 36 + 50 + 20)
    assert b > 200 and r < 60  # row 2: blue


def test_missing_image_file_is_a_clear_error(tmp_path):
    path = _report(
        tmp_path,
        [
            {
                "type": "image",
                "x": 0,
                "y": 0,
                "width": 40,
                "height": 40,
                "source": {"file": "gone.png"},
            }
        ],
    )
    proc = cli("render", path, "-o", tmp_path / "out.pdf")
    assert proc.returncode == 1
    assert "bands[0].elements[0].source.file: cannot read image" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_unknown_font_warning_reaches_the_user(tmp_path):
    path = _report(
        tmp_path,
        [
            {
                "type": "label",
                "x": 0,
                "y": 0,
                "width": 200,
                "height": 20,
                "text": "Hi",
                "font": "No Such Font Family",
            }
        ],
    )
    proc = cli("render", path, "-o", tmp_path / "out.pdf")
    assert proc.returncode == 0
    assert proc.stderr.splitlines() == [
        f"warning: {path}: bands[0].elements[0].font: font 'No Such Font Family' is not installed; "
        "Liberation Sans is used instead"
    ]
    with pymupdf.open(tmp_path / "out.pdf") as doc:
        assert doc[0].get_text().strip() == "Hi"  # the fallback font drew it


def test_pdf_a_and_tagged_pdf(tmp_path):
    path = _report(
        tmp_path,
        [{"type": "label", "x": 0, "y": 0, "width": 200, "height": 20, "text": "Archived"}],
        title="Archive",
    )
    plain = tmp_path / "plain.pdf"
    archived = tmp_path / "a2b.pdf"
    tagged = tmp_path / "tagged.pdf"
    assert cli("render", path, "-o", plain).returncode == 0
    proc = cli("render", path, "-o", archived, "--pdf-standard", "a-2b")
    assert proc.returncode == 0, proc.stderr
    assert cli("render", path, "-o", tagged, "--tagged").returncode == 0
    assert b"pdfaid:part" in archived.read_bytes() and b"pdfaid:part" not in plain.read_bytes()
    with pymupdf.open(tagged) as doc:
        assert doc.pdf_catalog() and "StructTreeRoot" in doc.xref_object(doc.pdf_catalog())
    with pymupdf.open(plain) as doc:
        assert "StructTreeRoot" not in doc.xref_object(doc.pdf_catalog())


@pytest.mark.parametrize("standard", ["a-9z"])
def test_unknown_pdf_standard_is_refused(tmp_path, standard):
    path = _report(tmp_path, [])
    proc = cli("render", path, "-o", tmp_path / "x.pdf", "--pdf-standard", standard)
    assert proc.returncode == 1
    assert "unknown PDF standard 'a-9z'" in proc.stderr
