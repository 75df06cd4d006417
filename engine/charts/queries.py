"""Chart push-down: the charts that group by the same fields in, one database GROUP BY per field set out, run concurrently.

A chart whose category, value and series are plain fields of an SQL source (and whose
group scope, if any, groups by plain fields) never sees the rows: its data is
``SELECT groups, category, series, SUM(value)... GROUP BY ...`` computed by the database
through ``engine.data.aggregate.open_grouped`` (exact, as the fill's accumulators).
Charts grouping by the same fields share one statement with all their aggregates. A
query starts when a band first prints one of its charts (``start``; so a chart that
never prints costs nothing) on a small thread pool, so several queries run at once and
alongside the fill; the drawing waits for its result. When the database cannot compute
the aggregates exactly (``AggregationUnavailable``) the query reads the source's rows
and aggregates them in Python instead: the same numbers, slower.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from engine.data import OrderKey, open_rows
from engine.data.aggregate import AggregationUnavailable, open_grouped
from engine.fill import make_accumulator
from engine.model import DataSource

log = logging.getLogger(__name__)

#: calculation → the SQL aggregate functions its partial needs, in the order ``merge`` takes them
PARTIALS: dict[str, tuple[str, ...]] = {
    "sum": ("SUM",),
    "count": ("COUNT",),
    "min": ("MIN",),
    "max": ("MAX",),
    "average": ("SUM", "COUNT"),
}
#: SQL aggregate function → the accumulator computing the same over rows (the fallback)
_FALLBACK = {"SUM": "sum", "COUNT": "count", "MIN": "min", "MAX": "max"}

#: one result row: (group keys, series, category, {alias: value})
ResultRow = tuple[tuple[Any, ...], Any, Any, dict[str, Any]]


class SourceLink:
    """How to reach the report's data source: the source, parameter values, folder and URL override."""

    def __init__(
        self,
        source: DataSource,
        params: Mapping[str, Any],
        base_dir: Path | None,
        url: str | None,
    ) -> None:
        self.source = source
        self.params = dict(params)
        self.base_dir = base_dir
        self.url = url


class GroupedQuery:
    """One GROUP BY over (group fields, category, series) shared by the charts that need it."""

    def __init__(
        self, link: SourceLink, groups: tuple[str, ...], category: str, series: str | None
    ) -> None:
        self.link = link
        self.groups = groups
        self.category = category
        self.series = series
        self.aliases: dict[tuple[str, str], str] = {}
        self._future: Future[dict[tuple[Any, ...], list[ResultRow]]] | None = None
        self._lock = threading.Lock()

    def aggregate(self, function: str, field: str) -> str:
        """The alias of ``function(field)`` in the statement (added before the query starts)."""
        key = (function, field)
        alias = self.aliases.get(key)
        if alias is None:
            if self._future is not None:
                raise RuntimeError("the query has started")
            alias = self.aliases[key] = f"_c{len(self.aliases)}"
        return alias

    def start(self, pool: ThreadPoolExecutor) -> None:
        """Run the query on the pool unless it already runs."""
        with self._lock:
            if self._future is None:
                self._future = pool.submit(self._run)

    def rows(self, pool: ThreadPoolExecutor, group_keys: tuple[Any, ...]) -> list[ResultRow]:
        """The result rows of one group instance (every row for a report-scope chart)."""
        self.start(pool)
        assert self._future is not None
        return self._future.result().get(group_keys, [])

    @property
    def _fields(self) -> list[str]:
        return [*self.groups, self.category, *([self.series] if self.series else [])]

    def _run(self) -> dict[tuple[Any, ...], list[ResultRow]]:
        link = self.link
        aggregates = [(alias, fn, field) for (fn, field), alias in self.aliases.items()]
        try:
            stream = open_grouped(
                link.source, params=link.params, base_dir=link.base_dir, url=link.url,
                groups=[OrderKey(name) for name in dict.fromkeys(self._fields)],
                aggregates=aggregates,
            )  # fmt: skip
        except AggregationUnavailable as exc:
            log.info("chart data read row by row: %s", exc.message)
            return self._fallback(aggregates)
        found: dict[tuple[Any, ...], list[ResultRow]] = {}
        levels = len(self.groups)
        with stream:
            for row in stream:
                keys = tuple(row[g] for g in self.groups)
                found.setdefault(keys[:levels], []).append(self._result(keys, row))
        return found

    def _result(self, keys: tuple[Any, ...], row: Mapping[str, Any]) -> ResultRow:
        series = row[self.series] if self.series else None
        return (keys, series, row[self.category], {a: row[a] for a in self.aliases.values()})

    def _fallback(
        self, aggregates: list[tuple[str, str, str]]
    ) -> dict[tuple[Any, ...], list[ResultRow]]:
        """The same result computed in Python over the source's rows."""
        link = self.link
        accs: dict[tuple[Any, ...], dict[str, Any]] = {}
        fields = self._fields
        with open_rows(
            link.source, params=link.params, base_dir=link.base_dir, url=link.url
        ) as rows:
            for row in rows:
                key = tuple(row[f] for f in fields)
                per = accs.get(key)
                if per is None:
                    per = accs[key] = {
                        alias: make_accumulator(_FALLBACK[fn]) for alias, fn, _ in aggregates
                    }
                for alias, _, field in aggregates:
                    per[alias].add(row[field])
        found: dict[tuple[Any, ...], list[ResultRow]] = {}
        levels = len(self.groups)
        for key, per in accs.items():
            row = dict(zip(fields, key, strict=True))
            row.update({alias: acc.value() for alias, acc in per.items()})
            found.setdefault(key[:levels], []).append(self._result(key[:levels], row))
        return found


class QueryPool:
    """The GROUP BY queries of one render and the threads running them."""

    def __init__(self, link: SourceLink, workers: int = 2) -> None:
        self.link = link
        self.queries: dict[tuple[Any, ...], GroupedQuery] = {}
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None

    def query(self, groups: tuple[str, ...], category: str, series: str | None) -> GroupedQuery:
        """The shared query grouping by these fields."""
        key = (groups, category, series)
        found = self.queries.get(key)
        if found is None:
            found = self.queries[key] = GroupedQuery(self.link, groups, category, series)
        return found

    @property
    def pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="ashr-chart")
        return self._pool

    def close(self) -> None:
        """Wait for running queries and stop the threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
