"""A printed chart in, its drawn code out: final points, the look of the report, the cache, and the chart's stats."""

from __future__ import annotations

import time
from collections.abc import Callable

from engine.fill import ChartRef, get_theme

from .cache import CHART_CACHE, ChartCache, chart_key
from .draw import Look, draw_chart
from .points import EMPTY
from .scene import Scene

#: gridline colour of every theme (light enough to stay behind the data)
GRID = "#e5e7eb"


def look_of(theme: str, locale: str, font: str | None = None) -> Look:
    """The palette, colours, locale and font a chart takes from its report (and element)."""
    found = get_theme(theme)
    return Look(found.palette, found.style.color, found.line_color, GRID, locale, font)


def drawn_chart(
    ref: ChartRef, write: Callable[[Scene], str], cache: ChartCache = CHART_CACHE
) -> str:
    """The code of a settled chart reference: from the cache, or drawn (``write`` turns a Scene into code).

    The reference holds the chart's final data (settled by the fill when its scope
    instance closed; nothing is queried here); a chart that never prints is never drawn.
    Time, points, hits and misses are added to the chart's ``ChartStat``.
    """
    feed = ref.feed
    job = feed.job  # type: ignore[attr-defined]
    mark = time.perf_counter()
    data = ref.data if ref.data is not None else EMPTY
    element = job.element
    look = look_of(job.theme, job.locale, element.font)
    key = chart_key(job.chart, element.width, element.height, look, data.fingerprint())
    code = cache.get(key)
    stat = job.stat
    if code is None:
        stat.misses += 1
        code = write(draw_chart(job.chart, data, element.width, element.height, look))
        cache.put(key, code)
    else:
        stat.hits += 1
    stat.points = max(stat.points, data.point_count)
    stat.drawn += 1
    stat.seconds += time.perf_counter() - mark
    return code
