"""The charts stage: chart elements in, their data (aggregated while the fill streams or by the database) and drawings out.

``plan_charts`` gives a feed per chart for ``engine.fill.fill_report(charts=...)``; the
fill prints a ``ChartRef`` per chart printing; ``drawn_chart`` finishes its points
(``points``: buckets, sort, "Other"), lays it out as a ``Scene`` of shapes (``draw``,
``cartesian``, ``pies``) and caches the code ``engine.typst`` writes for it (``cache``).
Names are imported on first use: a report without charts loads none of this.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cache import CHART_CACHE, ChartCache, chart_key
    from .draw import Look, draw_chart
    from .drawing import drawn_chart, look_of
    from .feeds import ChartJob, ChartStat, QueryFeed
    from .plan import ChartPlan, plan_charts
    from .points import EMPTY, OTHER, ChartData, ChartPoints, finish
    from .scene import Scene
    from .stream import RowBatch, StreamFeed

#: exported name -> its module; imported on first use, so a report without charts never loads them
_EXPORTS = {
    "CHART_CACHE": "cache", "ChartCache": "cache", "chart_key": "cache",
    "Look": "draw", "draw_chart": "draw",
    "drawn_chart": "drawing", "look_of": "drawing",
    "ChartJob": "feeds", "ChartStat": "feeds", "QueryFeed": "feeds",
    "ChartPlan": "plan", "plan_charts": "plan",
    "EMPTY": "points", "OTHER": "points", "ChartData": "points", "ChartPoints": "points",
    "finish": "points",
    "Scene": "scene",
    "RowBatch": "stream", "StreamFeed": "stream",
}  # fmt: skip

__all__ = [
    "CHART_CACHE", "EMPTY", "OTHER", "ChartCache", "ChartData", "ChartJob", "ChartPlan",
    "ChartPoints", "ChartStat", "Look", "QueryFeed", "RowBatch", "Scene", "StreamFeed",
    "chart_key", "draw_chart", "drawn_chart", "finish", "look_of", "plan_charts",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'engine.charts' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
