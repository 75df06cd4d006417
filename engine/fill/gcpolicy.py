"""An iterator of band instances → the same iterator, run with Python's cyclic garbage collector made less eager.

The fill allocates a dict per row and many short-lived objects, none of them in cycles;
at the default threshold (700 allocations) the collector runs every few rows' worth of
work and costs about 15 % of a streamed fill. While any fill runs, the first-generation
threshold is raised to GEN0_THRESHOLD; the last fill to end restores the previous
thresholds. Reference counting still frees every object at once, so memory is unchanged.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

GEN0_THRESHOLD = 50_000

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None


def _enter() -> None:
    global _active, _saved
    with _lock:
        if _active == 0:
            _saved = gc.get_threshold()
            gen0, gen1, gen2 = _saved
            gc.set_threshold(max(gen0, GEN0_THRESHOLD), gen1, gen2)
        _active += 1


def _exit() -> None:
    global _active, _saved
    with _lock:
        _active -= 1
        if _active == 0 and _saved is not None:
            gc.set_threshold(*_saved)
            _saved = None


def relaxed_gc(items: Iterator[T]) -> Iterator[T]:
    """Yield what `items` yields, with the collector's first-generation threshold raised until it ends."""
    _enter()
    try:
        yield from items
    finally:
        _exit()
