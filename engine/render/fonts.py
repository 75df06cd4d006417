"""One shared `typst.Fonts` collection (bundled fonts first, then the system's) and the families it offers."""

from __future__ import annotations

import functools
import threading

import typst

from ..paths import FONT_DIR

_lock = threading.Lock()
_fonts: list[typst.Fonts] = []


def shared_fonts() -> typst.Fonts:
    """The font collection every compile reuses: a system-font scan costs ~20 ms, reuse ~0.3 ms."""
    with _lock:  # a second caller waits for the scan under way (see `prefetch_fonts`)
        if not _fonts:
            dirs = [str(FONT_DIR)] if FONT_DIR.is_dir() else []
            _fonts.append(typst.Fonts(include_system_fonts=True, font_paths=dirs))
        return _fonts[0]


def prefetch_fonts() -> None:
    """Start the font scan in a background thread (Typst scans without holding the GIL), so it
    overlaps the imports and the report's loading; `shared_fonts` then waits for it if needed."""
    if not _fonts:
        threading.Thread(target=shared_fonts, name="ashr-fonts", daemon=True).start()


@functools.cache
def installed_families() -> frozenset[str]:
    """Lower-case names of the font families the compiler can use."""
    return frozenset(f.lower() for f in shared_fonts().families())
