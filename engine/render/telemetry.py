"""Render telemetry: per-stage time and peak memory of each render → logging and registered listeners."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderStats:
    """What one render cost: seconds and peak MB per stage, pages, chunks, rows."""

    report: str
    fmt: str
    pages: int
    chunks: int
    rows: int
    seconds: dict[str, float] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)
    #: one `engine.charts.ChartStat` per chart element: path, kind, source, seconds, points,
    #: drawn, cache hits and misses
    charts: tuple[Any, ...] = ()

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


Listener = Callable[[RenderStats], None]

_listeners: list[Listener] = []
_lock = threading.Lock()


def add_listener(listener: Listener) -> None:
    """Call `listener(stats)` after every render in this process (from the rendering thread)."""
    with _lock:
        _listeners.append(listener)


def remove_listener(listener: Listener) -> None:
    """Stop calling a listener added with add_listener."""
    with _lock:
        if listener in _listeners:
            _listeners.remove(listener)


def publish(stats: RenderStats) -> None:
    """Log the stats (INFO on `engine.render.telemetry`) and hand them to every listener."""
    log.info(
        "rendered %s: %d pages, %d chunks, %d rows in %.3f s (%s); peak MB %s",
        stats.report, stats.pages, stats.chunks, stats.rows, stats.total_seconds,
        ", ".join(f"{k} {v:.3f}" for k, v in stats.seconds.items()),
        ", ".join(f"{k} {v:.0f}" for k, v in stats.peak_mb.items()),
    )  # fmt: skip
    for chart in stats.charts:
        log.info(
            "chart %s (%s, %s): %.4f s, %d points, cache %d hit / %d miss",
            chart.path, chart.kind, chart.source, chart.seconds, chart.points, chart.hits,
            chart.misses,
        )  # fmt: skip
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(stats)
        except Exception:  # a faulty listener must not break rendering
            log.exception("a telemetry listener failed")
