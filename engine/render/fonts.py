"""One shared `typst.Fonts` collection (bundled fonts first, then the system's) and the families it offers."""

from __future__ import annotations

import functools
import threading

import typst

from ..paths import FONT_DIR

_lock = threading.Lock()


@functools.cache
def shared_fonts() -> typst.Fonts:
    """The font collection every compile reuses: a system-font scan costs ~28 ms, reuse ~0.3 ms."""
    with _lock:
        dirs = [str(FONT_DIR)] if FONT_DIR.is_dir() else []
        return typst.Fonts(include_system_fonts=True, font_paths=dirs)


@functools.cache
def installed_families() -> frozenset[str]:
    """Lower-case names of the font families the compiler can use."""
    return frozenset(f.lower() for f in shared_fonts().families())
