"""The command line `python -m engine` and `ashr`: argv → actions of the engine → exit status (0 done, 1 failure, 2 bad input)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import NoReturn

from .startup import disable_plugins, exit_now, pause_gc

# before anything builds a validator: the command line uses no pydantic plugin (startup.py)
disable_plugins()

from .main import main  # noqa: E402  (after the setting above)


def run(argv: Sequence[str] | None = None, *, gc_paused: bool = False) -> NoReturn:
    """Run the command line and end the process with its exit status (the `ashr` console
    script; `python -m engine` passes `gc_paused` when it stopped the collector before its
    imports)."""
    if gc_paused:
        pause_gc()
    exit_now(main(sys.argv[1:] if argv is None else argv))


__all__ = ["main", "run"]
