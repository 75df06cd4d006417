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
from operator import itemgetter
from pathlib import Path
from typing import Any

from engine.data import OrderKey, open_rows
from engine.data.aggregate import AggregationUnavailable, open_grouped
from engine.fill import make_accumulator
from engine.model import DataSource

log = logging.getLogger(__name__)

#: SQL aggregate function → the accumulator computing the same over rows (the fallback)
_FALLBACK = {"SUM": "sum", "COUNT": "count", "MIN": "min", "MAX": "max"}

#: one result row: every grouped field and aggregate alias by name
ResultRow = dict[str, Any]


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
    """One GROUP BY over some fields, shared by the charts whose fields it covers."""

    def __init__(self, link: SourceLink, fields: tuple[str, ...]) -> None:
        self.link = link
        self.fields = fields
        self.aliases: dict[tuple[str, str], str] = {}
        self._future: Future[list[ResultRow]] | None = None
        self._lock = threading.Lock()
        self._indexes: dict[tuple[str, ...], dict[tuple[Any, ...], list[ResultRow]]] = {}

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

    def rows(
        self, pool: ThreadPoolExecutor, groups: tuple[str, ...], group_keys: tuple[Any, ...]
    ) -> list[ResultRow]:
        """The result rows whose ``groups`` fields hold ``group_keys`` (every row for none)."""
        self.start(pool)
        assert self._future is not None
        rows = self._future.result()
        if not groups:
            return rows
        with self._lock:
            index = self._indexes.get(groups)
            if index is None:
                index = self._indexes[groups] = {}
                get = itemgetter(*groups, groups[0])
                for row in rows:
                    index.setdefault(get(row)[: len(groups)], []).append(row)
        return index.get(group_keys, [])

    def _run(self) -> list[ResultRow]:
        link = self.link
        aggregates = [(alias, fn, field) for (fn, field), alias in self.aliases.items()]
        try:
            stream = open_grouped(
                link.source, params=link.params, base_dir=link.base_dir, url=link.url,
                groups=[OrderKey(name) for name in self.fields], aggregates=aggregates,
            )  # fmt: skip
        except AggregationUnavailable as exc:
            log.info("chart data read row by row: %s", exc.message)
            return self._fallback(aggregates)
        with stream:
            return [dict(row) for row in stream]

    def _fallback(self, aggregates: list[tuple[str, str, str]]) -> list[ResultRow]:
        """The same result computed in Python over the source's rows."""
        link = self.link
        accs: dict[tuple[Any, ...], dict[str, Any]] = {}
        fields = self.fields
        get = itemgetter(*fields, fields[0])
        with open_rows(
            link.source, params=link.params, base_dir=link.base_dir, url=link.url
        ) as rows:
            for row in rows:
                key = get(row)[: len(fields)]
                per = accs.get(key)
                if per is None:
                    per = accs[key] = {
                        alias: make_accumulator(_FALLBACK[fn]) for alias, fn, _ in aggregates
                    }
                for alias, _, field in aggregates:
                    per[alias].add(row[field])
        found = []
        for key, per in accs.items():
            row = dict(zip(fields, key, strict=True))
            row.update({alias: acc.value() for alias, acc in per.items()})
            found.append(row)
        return found


class QueryPool:
    """The GROUP BY queries of one render and the threads running them.

    ``plan`` is given every chart's fields first; a chart whose fields are a subset of
    another's reads that chart's query (merging its partials: a sum of sums, ...), so
    charts over the same data cost one scan of the source.
    """

    def __init__(self, link: SourceLink, workers: int = 2) -> None:
        self.link = link
        self.queries: dict[frozenset[str], GroupedQuery] = {}
        self._wanted: list[tuple[str, ...]] = []
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None

    def want(self, fields: tuple[str, ...]) -> None:
        """Announce the fields a chart groups by (before any ``query``)."""
        self._wanted.append(tuple(dict.fromkeys(fields)))

    def query(self, fields: tuple[str, ...]) -> GroupedQuery:
        """The query covering these fields: the widest announced field set that holds them."""
        need = frozenset(fields)
        covers = [w for w in self._wanted if need <= frozenset(w)] or [tuple(dict.fromkeys(fields))]
        widest = max(covers, key=len)
        key = frozenset(widest)
        found = self.queries.get(key)
        if found is None:
            found = self.queries[key] = GroupedQuery(self.link, widest)
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
