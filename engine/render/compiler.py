"""Typst source → PDF bytes, or PNG/SVG pages, with warnings; Typst errors mapped back to bands and elements."""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import typst

from ..errors import RenderError
from .fonts import shared_fonts
from .raster import check_ppi

if TYPE_CHECKING:  # the compiler stays light to import in worker processes
    from ..typst import Origins

log = logging.getLogger(__name__)

Format = Literal["pdf", "png", "svg"]

#: PDF standards a user may ask for
PDF_STANDARDS: frozenset[str] = frozenset({"a-2b", "a-2u", "a-3b", "ua-1", "1.7", "2.0"})

_LINE_RE = re.compile(r"(?:main\.typ|<[^>]*>|\S+\.typ)?:(\d+):(\d+)")


@dataclass
class Compiled:
    """The outputs of one compile: one PDF, or one image per page, and the warnings."""

    pages: list[bytes]
    warnings: list[str]


def _where(diagnostic: str, origins: Origins | None) -> str:
    if origins is None:
        return ""
    match = _LINE_RE.search(diagnostic or "")
    if not match:
        return ""
    label = origins.label_of(int(match.group(1)))
    return f" (in {label})" if label else ""


def _warning_text(w: object, origins: Origins | None) -> str:
    message = getattr(w, "message", str(w))
    return f"{message}{_where(getattr(w, 'diagnostic', ''), origins)}"


#: the most Typst source a page may take on average (a listing page is ~4 KB, a dense crosstab
#: page ~100 KB). Typst lays out all of an element's text even where its box or the page cuts
#: it off, so a report printing megabytes per row would make a compile take gigabytes
MAX_SOURCE_PER_PAGE = 128 * 1024
#: ... and at least this much per compile, whatever its page count
MIN_SOURCE_BUDGET = 2 * 1024 * 1024


def check_source_size(text: str, pages: int) -> None:
    """Refuse a document holding far more text than its pages can show, before Typst sees it.

    Raises:
        RenderError: over the budget for that many pages; the message says what to change.
    """
    budget = max(MIN_SOURCE_BUDGET, pages * MAX_SOURCE_PER_PAGE)
    if len(text) > budget:
        raise RenderError(
            f"too much text to typeset: {pages} page(s) hold {len(text) / 2**20:.1f} MB of text "
            f"and layout (at most {MAX_SOURCE_PER_PAGE // 1024} KB a page); an element prints "
            "far more text than its box or the page shows — shorten it in the report, e.g. "
            "with substr()"
        )


#: decoded pixels of the distinct raster pictures one compile may hold: Typst keeps every
#: picture of a document decoded while it compiles (~3 bytes a pixel: 150 MB for a 49-megapixel
#: photo), so a few dozen pictures at the 50-megapixel cap of each would need gigabytes
MAX_COMPILE_PIXELS = 2_000_000_000

#: a picture's path in the compile folder, as engine.typst's ValueWriter.image_path names it
_PICTURE_RE = re.compile(rb'"/([0-9a-f]{24})"')


def check_picture_budget(data: bytes, root: Path) -> None:
    """Refuse a document whose distinct raster pictures hold more pixels than one compile may.

    Raises:
        RenderError: over MAX_COMPILE_PIXELS; the message says what to change.
    """
    names = {m.decode() for m in _PICTURE_RE.findall(data)}
    if not names:
        return
    from PIL import Image  # only a document with pictures pays for the import

    total = 0
    for name in names:
        try:
            with Image.open(root / name) as picture:  # the header only: checked on the way in
                width, height = picture.size
        except (OSError, ValueError, SyntaxError):
            continue  # an SVG: its embedded pictures were checked on the way in
        total += width * height
    if total > MAX_COMPILE_PIXELS:
        raise RenderError(
            f"too many picture pixels to typeset: these pages show {len(names)} different "
            f"pictures of {total / 1e6:,.0f} megapixels in all (at most "
            f"{MAX_COMPILE_PIXELS / 1e6:,.0f} megapixels in one compile); scale the pictures down"
        )


#: a thread's compiler is replaced after this many compiles (its caches only grow)
COMPILES_PER_COMPILER = 40

_local = threading.local()


def _compiler() -> typst.Compiler:
    """This thread's Typst compiler: reused, its caches make recompiling a similar document
    ~10× faster (measured 150 ms fresh, 15 ms again for a 12-page report)."""
    compiler = getattr(_local, "compiler", None)
    uses = getattr(_local, "uses", 0)
    if compiler is None or uses >= COMPILES_PER_COMPILER:
        compiler = _local.compiler = typst.Compiler(font_paths=shared_fonts())
        uses = 0
    _local.uses = uses + 1
    return compiler


def compile_document(
    source: str | bytes,
    *,
    fmt: Format = "pdf",
    ppi: float = 144.0,
    timestamp: dt.datetime | None = None,
    pdf_standards: Sequence[str] = (),
    tagged: bool = False,
    origins: Origins | None = None,
    root: Path | None = None,
) -> Compiled:
    """Compile Typst source with the bundled and system fonts.

    Args:
        source: the whole document.
        fmt: `pdf` gives one item; `png` and `svg` give one item per page.
        ppi: pixels per inch of PNG pages (see `raster.check_raster` for the page pixel cap,
            which the caller checks: the page size is in the source).
        timestamp: the PDF creation date; pin it for byte-reproducible output.
        pdf_standards: e.g. `("a-2b",)` for PDF/A-2b, `("ua-1",)` for PDF/UA.
        tagged: write a tagged PDF (accessible, but many times larger).
        origins: line → report object table used to name the element in errors.
        root: the folder Typst may read files from (images); nothing else is readable.

    Raises:
        RenderError: when Typst refuses the source; names the band and element.
        RasterError: `ppi` is not a finite number from 1 to 2400 (PNG only).
    """
    data = source.encode("utf-8") if isinstance(source, str) else source
    unknown = [s for s in pdf_standards if s not in PDF_STANDARDS]
    if unknown:
        raise RenderError(
            f"unknown PDF standard {unknown[0]!r}; choose from {', '.join(sorted(PDF_STANDARDS))}"
        )
    kwargs: dict[str, Any] = {"format": fmt}
    if root is not None:
        check_picture_budget(data, root)
        kwargs["root"] = str(root)
    if fmt == "png":
        # Typst aborts the process on a huge ppi and panics on inf: never hand it one
        kwargs["ppi"] = check_ppi(ppi)
    if fmt == "pdf":
        kwargs["pdf_tags"] = tagged or any(
            s.startswith(("ua", "a-2a", "a-3a")) for s in pdf_standards
        )
        if pdf_standards:
            kwargs["pdf_standards"] = list(pdf_standards)
        if timestamp is not None:
            kwargs["timestamp"] = timestamp
    try:
        result, warnings = _compiler().compile_with_warnings(data, **kwargs)
    except typst.TypstError as exc:
        raise RenderError(
            f"typesetting failed: {exc.message}{_where(exc.diagnostic, origins)}"
        ) from exc
    except RuntimeError as exc:
        raise RenderError(f"typesetting failed: {exc}") from exc
    texts = [_warning_text(w, origins) for w in warnings or []]
    for text in texts:
        log.info("typst: %s", text)  # returned to the caller, who shows them
    pages = result if isinstance(result, list) else [result]
    return Compiled([bytes(p) for p in pages if p is not None], texts)
