"""The command line `python -m engine`: argv → actions of the engine → exit status (0 done, 1 failure, 2 bad input)."""

from __future__ import annotations

import sys

from .pydantic_plugins import disable_plugins

# pydantic looks for plugins in every installed distribution's entry points (~45 ms, most of
# it importlib.metadata); the command line uses none
disable_plugins()

from .main import main  # noqa: E402  (after the setting above)


def run() -> None:
    """Entry point of the `ashr` console script."""
    sys.exit(main(sys.argv[1:]))


__all__ = ["main", "run"]
