"""The charts stage: chart elements in, their data (aggregated while the fill streams or by the database) and drawings out.

``plan_charts`` gives a feed per chart for ``engine.fill.fill_report(charts=...)``; the
fill prints a ``ChartRef`` per chart printing; ``drawn_chart`` finishes its points
(``points``: buckets, sort, "Other"), lays it out as a ``Scene`` of shapes (``draw``,
``cartesian``, ``pies``) and caches the code ``engine.typst`` writes for it (``cache``).
"""

from __future__ import annotations

from .cache import CHART_CACHE, ChartCache, chart_key
from .draw import Look, draw_chart
from .drawing import drawn_chart, look_of
from .feeds import ChartJob, ChartStat, QueryFeed
from .plan import ChartPlan, plan_charts
from .points import EMPTY, OTHER, ChartData, ChartPoints, finish
from .queries import SourceLink
from .scene import Scene
from .stream import RowBatch, StreamFeed

__all__ = [
    "CHART_CACHE", "EMPTY", "OTHER", "ChartCache", "ChartData", "ChartJob", "ChartPlan",
    "ChartPoints", "ChartStat", "Look", "QueryFeed", "RowBatch", "Scene", "SourceLink", "StreamFeed",
    "chart_key", "draw_chart", "drawn_chart", "finish", "look_of", "plan_charts",
]  # fmt: skip
