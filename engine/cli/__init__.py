"""The command line `python -m engine`: argv → actions of the engine → exit status (0 done, 1 failure, 2 bad input)."""

from __future__ import annotations

import os
import sys

# pydantic looks for plugins in every installed distribution's entry points on import
# (~45 ms, most of it importlib.metadata); the command line uses none
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from .main import main  # after the setting above


def run() -> None:
    """Entry point of the `ashr` console script."""
    sys.exit(main(sys.argv[1:]))


__all__ = ["main", "run"]
