"""This process → how many cores it may run on (the number of compile processes to use)."""

from __future__ import annotations

import os


def worker_count() -> int:
    """How many compile processes to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
