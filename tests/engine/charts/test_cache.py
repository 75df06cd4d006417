"""The chart cache: LRU by size, time to live, compression, and reuse across repeated renders."""

from __future__ import annotations

import zlib

from engine.charts import CHART_CACHE, ChartCache
from engine.charts.axes import nice_ticks
from engine.render import render_report

from .helpers import chart, report


def test_repeated_renders_reuse_every_chart() -> None:
    rep = report(
        chart(), chart(kind="pie"), chart(kind="line", category="InvoiceDate", bucket="month")
    )
    CHART_CACHE.clear()
    for _ in range(6):
        result = render_report(rep, fmt="typ")
    assert [(s.hits, s.misses) for s in result.charts] == [(1, 0)] * 3
    assert CHART_CACHE.misses == 3 and CHART_CACHE.hits == 15
    assert CHART_CACHE.hit_rate > 0.8


def test_changed_data_misses() -> None:
    CHART_CACHE.clear()
    render_report(report(chart()), fmt="typ")
    render_report(report(chart(), query="SELECT * FROM Invoice WHERE Total > 5"), fmt="typ")
    assert CHART_CACHE.misses == 2 and CHART_CACHE.hits == 0


def test_least_recently_used_goes_first_past_the_size_cap() -> None:
    cache = ChartCache(max_bytes=250, compress_from=10_000)
    for key in "abc":
        cache.put(key, key * 100)
    assert cache.get("a") is None  # evicted: 300 bytes do not fit in 250
    assert cache.get("b") == "b" * 100 and cache.get("c") == "c" * 100
    assert cache.stored_bytes == 200 and (cache.hits, cache.misses) == (2, 1)


def test_a_hit_makes_an_entry_the_most_recently_used() -> None:
    cache = ChartCache(max_bytes=250, compress_from=10_000)
    cache.put("a", "a" * 100)
    cache.put("b", "b" * 100)
    assert cache.get("a") is not None
    cache.put("c", "c" * 100)  # evicts b, the least recently used, not a
    assert cache.get("b") is None and cache.get("a") == "a" * 100


def test_entries_expire_after_their_time_to_live() -> None:
    now = [0.0]
    cache = ChartCache(ttl=10, clock=lambda: now[0])
    cache.put("k", "code")
    now[0] = 9.0
    assert cache.get("k") == "code"
    now[0] = 20.0
    assert cache.get("k") is None and len(cache) == 0


def test_large_entries_are_stored_compressed() -> None:
    cache = ChartCache(compress_from=100)
    code = "place(rect(width: 10pt))\n" * 200
    cache.put("big", code)
    assert cache.stored_bytes == len(zlib.compress(code.encode(), 6)) < len(code) // 10
    assert cache.get("big") == code


def test_axis_ticks_fall_on_nice_numbers() -> None:
    assert nice_ticks(0, 523.06) == [0, 100, 200, 300, 400, 500, 600]
    assert nice_ticks(0, 0.87, 4) == [0, 0.25, 0.5, 0.75, 1.0]
    assert nice_ticks(-12, 30, 4) == [-20, -10, 0, 10, 20, 30]
