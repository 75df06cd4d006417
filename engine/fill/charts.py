"""Chart hooks of the fill loop: the ChartFeed protocol charts implement, and ChartRef, the printed value of a chart.

The fill does not aggregate chart data itself (``engine.charts`` does, one layer up): it
is handed a ``ChartFeed`` per chart element (keyed by element path), calls ``add`` with
every row of the report that passes the filter, ``close`` at the end of every instance
of the chart's scope, and ``request`` when a band prints the chart. A chart printed
before its scope instance has seen all its rows (a report-scope chart in the title, a
group chart in the group header) prints a pending ``ChartRef`` settled when the scope
instance closes — the same forward reference that totals printed early use. The fill
also ``finish``es a closed instance's data when a band prints it (or a pending reference
settles), so a ``ChartRef`` reaches the layout with its final data: code generation only
draws, and a chart that never prints is never finished.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import count
from typing import Any, Protocol

from engine.expr import Env


class ChartFeed(Protocol):
    """What the fill calls for one chart element; ``engine.charts`` implements it."""

    #: the scope id whose instances the chart covers: 0 the report, level + 1 a group
    scope: int
    #: True when the chart takes the rows one by one (``add``); False when it reads its own data
    streams: bool

    def add(self, env: Env) -> None:
        """One row of the current scope instance (``env.row``)."""

    def close(self, group_keys: tuple[Any, ...]) -> Any:
        """The current scope instance ended (its group values given): what finishing its data needs; start the next."""

    def request(self) -> None:
        """A band printed the chart: start any work its data needs that has not started."""

    def finish(self, closed: Any) -> Any:
        """The final chart data of a closed scope instance (what ``close`` gave); it may wait for a query."""


ChartFeeds = Mapping[str, ChartFeed]

_ref_ids = count(1)


class ChartRef:
    """The printed value of a chart element: its feed and, once its scope instance closed, its data."""

    __slots__ = ("data", "feed", "id", "resolved")

    def __init__(self, feed: ChartFeed, data: Any = None, *, resolved: bool = False) -> None:
        self.id = next(_ref_ids)
        self.feed = feed
        self.data = data
        self.resolved = resolved

    def settle(self, data: Any) -> None:
        """The scope instance the chart covers has closed with this data."""
        self.data = data
        self.resolved = True

    def __repr__(self) -> str:
        return f"ChartRef(id={self.id}, resolved={self.resolved})"


class ChartState:
    """The charts of one fill: feeds by scope, the last closed data, the pending references."""

    def __init__(self, feeds: ChartFeeds | None) -> None:
        self.feeds = dict(feeds or {})
        # feeds may share one adder (engine.charts batches rows for all its charts): call it once
        self.adders = list(dict.fromkeys(feed.add for feed in self.feeds.values() if feed.streams))
        self.by_scope: dict[int, list[str]] = {}
        for path, feed in self.feeds.items():
            self.by_scope.setdefault(feed.scope, []).append(path)
        self.last: dict[str, Any] = {}
        #: the final data of the last closed instance, finished when first printed
        self.finished: dict[str, Any] = {}
        self.pending: dict[str, ChartRef] = {}

    def value(self, path: str, closed: list[bool]) -> ChartRef | None:
        """The value a chart element prints now (None: no feed, the chart draws empty)."""
        feed = self.feeds.get(path)
        if feed is None:
            return None
        feed.request()
        if closed[feed.scope]:
            data = self.finished.get(path)
            if data is None:
                data = self.finished[path] = feed.finish(self.last.get(path))
            return ChartRef(feed, data, resolved=True)
        ref = self.pending.get(path)
        if ref is None:  # one reference per scope instance, however often it prints
            ref = self.pending[path] = ChartRef(feed)
        return ref

    def settle(self, scope: int, group_keys: tuple[Any, ...]) -> None:
        """A scope instance ended: close its charts' feeds and settle the references waiting for them."""
        for path in self.by_scope.get(scope, ()):
            feed = self.feeds[path]
            self.last[path] = feed.close(group_keys[: max(scope, 0)])
            self.finished.pop(path, None)
            ref = self.pending.pop(path, None)
            if ref is not None:  # printed before its rows were all seen: finished now
                ref.settle(self.finished.setdefault(path, feed.finish(self.last[path])))
