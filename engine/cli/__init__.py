"""The command line `python -m engine`: argv → actions of the engine → exit status (0 done, 1 failure, 2 bad input)."""

from __future__ import annotations

import sys

from .main import main


def run() -> None:
    """Entry point of the `ashr` console script."""
    sys.exit(main(sys.argv[1:]))


__all__ = ["main", "run"]
