"""Python's cyclic garbage collector paused while `python -m engine` starts up, then resumed with the start-up objects frozen.

Start-up (imports, the model classes, the first report) allocates a few hundred thousand
objects that stay alive and hold no garbage cycles, yet the collector walks them again
and again as they pile up: about 6 % of a small report's whole run. `pause_gc` is called
by `engine.__main__` before anything heavy is imported; `resume_gc` (after the report is
loaded) moves every object alive then into the permanent generation (`gc.freeze`), which
later collections skip, and turns collection back on. In a process that did not pause
it (tests, the designer calling `main`), `resume_gc` does nothing.
"""

from __future__ import annotations

import gc

_paused = False


def pause_gc() -> None:
    """Stop automatic collection until `resume_gc`."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Freeze the objects made so far and collect automatically again (if `pause_gc` stopped it)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
