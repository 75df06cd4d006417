"""Pages and raster output: page sizes, margins and element geometry within PDF's 14400 pt, --ppi in range, PNG pages under a pixel cap — refused before Typst could abort the process."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from engine.model import load_report
from engine.render import render_report
from engine.render.raster import RasterError
from tests.security.conftest import engine, files_under


def refused_lines(done: subprocess.CompletedProcess[str], status: int) -> list[str]:
    """The lines on stderr of a run that exited `status` (never by a signal), without a traceback."""
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "panicked" not in done.stderr
    return done.stderr.strip().splitlines()


LABEL = {"type": "label", "x": 0, "y": 0, "width": 100, "height": 14, "text": "Hello"}


def page_report(
    write_report: Any,
    page: dict[str, Any],
    element: dict[str, Any] | None = None,
    height: float = 40,
) -> Path:
    band = {"type": "title", "height": height, "elements": [element or LABEL]}
    return write_report(page=page, bands=[band])


def custom(width: float, height: float, **keys: Any) -> dict[str, Any]:
    return {"size": "custom", "width": width, "height": height, **keys}


# -- page and geometry caps: refused on load ------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "png", "svg"])
def test_a_100000_pt_page_is_refused_on_load(victim, write_report, fmt):
    report = page_report(write_report, custom(100000, 100000))
    before = files_under(victim)
    out = victim / f"out.{fmt}"
    lines = refused_lines(engine("render", report, "-o", out), 2)
    assert [line.split(": ", 1)[1].split(":")[0] for line in lines] == ["page.width", "page.height"]
    assert all("14400" in line for line in lines)
    assert not out.exists() and files_under(victim) == before


def test_the_largest_pdf_page_still_renders(victim, write_report):
    report = page_report(write_report, custom(14400, 14400))
    out = victim / "out.pdf"
    done = engine("render", report, "-o", out)
    assert done.returncode == 0, done.stderr
    with pymupdf.open(out) as doc:
        assert (doc[0].rect.width, doc[0].rect.height) == (14400, 14400)


@pytest.mark.parametrize(
    ("page", "element", "height", "path"),
    [
        (custom(600, 800, margins={"top": 1e9}), None, 40, "page.margins.top"),
        (custom(600, 800, column_gap=20000), None, 40, "page.column_gap"),
        ({}, dict(LABEL, x=1e300), 40, "bands[0].elements[0].x"),
        ({}, dict(LABEL, y=-20000), 40, "bands[0].elements[0].y"),
        ({}, dict(LABEL, width=1e15), 40, "bands[0].elements[0].width"),
        ({}, dict(LABEL, height=14401), 40, "bands[0].elements[0].height"),
        ({}, {"type": "line", "x": 0, "y": 0, "x2": 1e300, "y2": 0}, 40, "bands[0].elements[0].x2"),
        ({}, {"type": "box", "x": 0, "y": 0, "width": 9, "height": 9, "radius": 1e300}, 40, "bands[0].elements[0].radius"),
        ({}, None, 1e12, "bands[0].height"),
    ],
)  # fmt: skip
def test_geometry_beyond_the_largest_page_is_refused(
    victim, write_report, page, element, height, path
):
    report = page_report(write_report, page, element, height)
    out = victim / "out.pdf"
    [line] = refused_lines(engine("render", report, "-o", out), 2)
    assert line.startswith(f"{report}: {path}: ") and "14400" in line
    assert not out.exists()


# -- --ppi and the pixel cap of PNG pages -------------------------------------------------------


@pytest.mark.parametrize("ppi", ["inf", "nan", "0", "-5", "100000", "2400.5", "lots"])
def test_ppi_out_of_range_is_refused(victim, write_report, ppi):
    report = page_report(write_report, {})
    out = victim / "out.png"
    *_usage, line = refused_lines(engine("render", report, "-o", out, f"--ppi={ppi}"), 2)
    assert "--ppi" in line and ppi in line and "1 to 2400" in line
    assert not list(victim.glob("out.*")) and not list(victim.glob("out-*"))


def test_a_png_page_over_the_pixel_cap_is_refused_with_the_ppi_that_fits(victim, write_report):
    report = page_report(write_report, custom(14400, 14400))
    out = victim / "out.png"
    [line] = refused_lines(engine("render", report, "-o", out), 2)
    # 14400 pt at 144 ppi is 28800 pixels a side; 100 megapixels is 10000 a side: 50 ppi
    assert "28800 × 28800 pixels" in line and "100,000,000" in line
    assert "lower --ppi to 50 or less" in line and "render a PDF" in line
    assert not list(victim.glob("out.*")) and not list(victim.glob("out-*"))


def test_a4_at_2400_ppi_is_refused(victim, write_report):
    report = page_report(write_report, {})
    [line] = refused_lines(engine("render", report, "-o", victim / "o.png", "--ppi", "2400"), 2)
    # A4 is 595.28 × 841.89 pt: 72 × sqrt(1e8 / (595.28 × 841.89)) = 1017.2, and at 1017 ppi
    # a page is 8408 × 11892 = 99,987,936 pixels
    assert "19843 × 28063 pixels" in line and "lower --ppi to 1017 or less" in line


def test_png_pages_within_the_cap_have_the_size_asked_for(victim, write_report):
    report = page_report(write_report, {})
    out = victim / "out.png"
    done = engine("render", report, "-o", out, "--ppi", "72")
    assert done.returncode == 0, done.stderr
    pix = pymupdf.Pixmap(str(out))
    # A4 is 595.28 × 841.89 pt; at 72 ppi Typst draws one pixel per point, rounded
    assert (pix.width, pix.height) == (595, 842)


@pytest.mark.parametrize("ppi", [math.inf, math.nan, 0.0, -5.0, 1e5])
def test_the_pipeline_refuses_a_bad_ppi_for_every_caller(victim, write_report, ppi):
    # the designer's render process and the server call render_report without the CLI
    report = load_report(page_report(write_report, {}))
    with pytest.raises(RasterError, match="from 1 to 2400"):
        render_report(report, fmt="png", ppi=ppi)


def test_the_pipeline_refuses_a_page_over_the_pixel_cap(victim, write_report):
    report = load_report(page_report(write_report, custom(14400, 14400)))
    with pytest.raises(RasterError, match="over the limit of 100,000,000 pixels"):
        render_report(report, fmt="png", ppi=144)
