"""`python -m engine`'s start and end: the garbage collector paused during start-up (then resumed with the start-up objects frozen), and an exit without tearing the interpreter down.

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
import logging
import os
import sys

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


def exit_now(status: int) -> None:
    """End the process with `status` once the output is flushed, skipping the interpreter's
    teardown (freeing every module and object one by one: ~15 ms for a process that is about
    to end). The command line writes its files completely before it returns, holds no atexit
    work of its own, and its compile workers end when their pipes close."""
    try:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # e.g. a closed pipe: let the normal exit report it
        sys.exit(status)
    os._exit(status)
