"""`python -m designer [FILE]` starts the designer."""

from __future__ import annotations

from .app import run

raise SystemExit(run())
