"""Frozen `ashr`: argv → the engine's command line (or a `-m` worker) → exit status."""

from __future__ import annotations

import sys

from frozen import run_module_argv

if __name__ == "__main__":
    if not run_module_argv(sys.argv):
        from engine.cli import main

        sys.exit(main(sys.argv[1:]))
