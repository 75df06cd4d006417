"""Frozen `ashr`: argv → the engine's command line (or a `-m` worker) → exit status."""

from __future__ import annotations

import gc
import sys

from frozen import run_module_argv

if __name__ == "__main__" and not run_module_argv(sys.argv):
    gc.disable()  # as `python -m engine` does: start-up makes no garbage (engine.cli.startup)
    from engine.cli import run

    run(gc_paused=True)
