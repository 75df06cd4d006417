"""`python -m engine ARGS` → the command line's exit status."""

from __future__ import annotations

from .cli import run

run()
