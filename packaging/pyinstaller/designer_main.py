"""Frozen `ashr-designer`: argv → the designer (or a `-m` worker) → exit status."""

from __future__ import annotations

import sys

from frozen import run_module_argv

if __name__ == "__main__":
    if not run_module_argv(sys.argv):
        from designer.app import run

        sys.exit(run())
