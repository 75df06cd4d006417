"""A page size in points and a resolution in ppi → the pixel size of a PNG page, or a RasterError.

Typst allocates a page's whole pixmap before drawing it and aborts the process (SIGABRT,
no exception) when it cannot: a 100000 pt page at 144 ppi, or `ppi=100000` on A4. It also
writes a 1 × 1 pixel PNG for a ppi of 0, -5 or NaN and panics on infinity. So the
resolution and the pixel count are checked here, before anything is compiled.
Measured with typst-py 0.15 on one core: a 10000 × 10000 pixel page (100 megapixels)
takes 5 s and 0.8 GB; the cap sits there.
"""

from __future__ import annotations

import math

from ..errors import ReportInputError

#: the resolutions a user may ask for (pixels per inch)
MIN_PPI = 1.0
MAX_PPI = 2400.0

#: the most pixels one PNG page may have
MAX_PAGE_PIXELS = 100_000_000


class RasterError(ReportInputError):
    """A PNG resolution that is not a number in range, or pages that would be too many pixels."""


def check_ppi(ppi: float) -> float:
    """The resolution, if it is a finite number from MIN_PPI to MAX_PPI.

    Raises:
        RasterError: NaN, infinite, zero, negative or above MAX_PPI.
    """
    if not (math.isfinite(ppi) and MIN_PPI <= ppi <= MAX_PPI):
        raise RasterError(
            f"--ppi {ppi:g}: the resolution of PNG pages must be a number from "
            f"{MIN_PPI:g} to {MAX_PPI:g} pixels per inch (144 is the default)"
        )
    return ppi


def page_pixels(width: float, height: float, ppi: float) -> tuple[int, int]:
    """The (width, height) in pixels of a page of `width` × `height` points at `ppi` (as Typst rounds)."""
    scale = ppi / 72.0
    return max(1, round(width * scale)), max(1, round(height * scale))


def check_raster(width: float, height: float, ppi: float) -> tuple[int, int]:
    """The pixel size of PNG pages of `width` × `height` points at `ppi`, if within the caps.

    Raises:
        RasterError: the resolution is out of range (see check_ppi), or a page would have
            more than MAX_PAGE_PIXELS pixels; the message says which resolution fits.
    """
    check_ppi(ppi)
    w, h = page_pixels(width, height, ppi)
    if w * h > MAX_PAGE_PIXELS:
        fits = math.floor(72.0 * math.sqrt(MAX_PAGE_PIXELS / (width * height)))
        while fits >= MIN_PPI and math.prod(page_pixels(width, height, fits)) > MAX_PAGE_PIXELS:
            fits -= 1  # pixels are rounded: the square root can be a pixel row too generous
        lower = f"lower --ppi to {fits} or less" if fits >= MIN_PPI else "make the page smaller"
        raise RasterError(
            f"a PNG page of {width:g} × {height:g} pt at {ppi:g} ppi would be {w} × {h} pixels, "
            f"over the limit of {MAX_PAGE_PIXELS:,} pixels per page; {lower}, or render a PDF"
        )
    return w, h
