"""Frozen start-up shared by both programs: argv `-m MODULE ...` → run that bundled module, as `python -m` would.

The engine's process pool starts its workers (compile workers, the designer's render
process) as `sys.executable -m engine.render.pool`; in a frozen bundle `sys.executable` is
the program itself, so the program must answer `-m`. Only the modules listed here are accepted.
"""

from __future__ import annotations

import runpy
import sys

#: the modules a frozen program runs for `-m` (the process pool's workers)
RUNNABLE = frozenset({"engine.render.pool"})


def run_module_argv(argv: list[str]) -> bool:
    """Run `argv[2]` as `__main__` if argv is `PROGRAM -m MODULE ...`; False if it is not."""
    if len(argv) < 3 or argv[1] != "-m" or argv[2] not in RUNNABLE:
        return False
    sys.argv = [argv[0], *argv[3:]]
    runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
    return True
