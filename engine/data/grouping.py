"""Grouped chart data: the field sets charts group by in, one database GROUP BY per merged field set out, run concurrently.

A chart whose category, value and series are plain fields of an SQL source (and whose
group scope, if any, groups by plain fields) never sees the rows: its data is
``SELECT groups, category, series, SUM(value)... GROUP BY ...`` computed by the database
through ``engine.data.aggregate.open_grouped`` (exact, as ``engine.calc``'s calculations).
Charts grouping by the same fields share one statement with all their aggregates, and
charts grouping by different fields share one over the union of their fields while that
gives few groups (``engine.data.grain``; past ``GRAIN_CAP`` groups one query per field
set runs instead). The queries start when the charts are planned (``start``), before the
fill, on a small thread pool, so several run at once and alongside the fill; a chart's
feed waits for its result when its scope instance closes. The charts stage never opens
the data itself: it takes these aggregates. When the database cannot compute
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

from engine.calc import OVER_ROWS, make_accumulator
from engine.errors import ReportError
from engine.model import DataSource

from . import hashed, open_rows
from .aggregate import AggregationUnavailable, open_grouped
from .grain import merge_grains, widest
from .sample import sample_values
from .stream import OrderKey

log = logging.getLogger(__name__)

#: a query merged from several charts' field sets gives up past this many groups
GRAIN_CAP = 50_000
#: rows sampled to estimate the groups of a merged query
SAMPLE_ROWS = 5_000

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
    """One GROUP BY over some fields, shared by the charts whose fields it covers.

    A query merged from several charts' field sets (``parts``) gives up past
    ``GRAIN_CAP`` groups and runs one query per part instead (the same aggregates). With
    ``scan`` every part comes from one hashed scan of an SQLite file, or, where that cannot
    serve, from one query per part.
    """

    def __init__(
        self,
        link: SourceLink,
        fields: tuple[str, ...],
        parts: tuple[tuple[str, ...], ...] = (),
        *,
        scan: bool = False,
    ) -> None:
        self.link = link
        self.fields = fields
        self.parts = parts
        self.scan = scan
        self.aliases: dict[tuple[str, str], str] = {}
        self._future: Future[dict[tuple[str, ...], list[ResultRow]]] | None = None
        self._lock = threading.Lock()
        self._indexes: dict[tuple[Any, ...], dict[tuple[Any, ...], list[ResultRow]]] = {}

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

    def result(self) -> dict[tuple[str, ...], list[ResultRow]]:
        """The result rows by the fields they are grouped by (waits for the query)."""
        assert self._future is not None
        return self._future.result()

    def rows(
        self,
        pool: ThreadPoolExecutor,
        groups: tuple[str, ...],
        group_keys: tuple[Any, ...],
        fields: tuple[str, ...] = (),
    ) -> list[ResultRow]:
        """The result rows (grouped by at least ``fields``) whose ``groups`` fields hold ``group_keys``."""
        self.start(pool)
        results = self.result()
        need = frozenset(fields)
        grain = next(key for key in results if need <= frozenset(key))
        rows = results[grain]
        if not groups:
            return rows
        with self._lock:
            index = self._indexes.get((grain, groups))
            if index is None:
                index = self._indexes[(grain, groups)] = {}
                get = itemgetter(*groups, groups[0])
                for row in rows:
                    index.setdefault(get(row)[: len(groups)], []).append(row)
        return index.get(group_keys, [])

    def _run(self) -> dict[tuple[str, ...], list[ResultRow]]:
        aggregates = [(alias, fn, field) for (fn, field), alias in self.aliases.items()]
        cap = GRAIN_CAP if self.parts else None
        try:
            if self.scan:
                # one hashed scan for every part, else one database query per part
                found = self._scanned(aggregates)
                if found is not None:
                    return found
                return {part: self._grouped(part, aggregates, None) or [] for part in self.parts}
            rows = self._grouped(self.fields, aggregates, cap)
            if rows is not None:
                return {self.fields: rows}
            log.info(
                "chart data: more than %d groups by %s; one query per chart field set",
                cap, ", ".join(self.fields),
            )  # fmt: skip
            found: dict[tuple[str, ...], list[ResultRow]] = {}
            for part in self.parts:
                found[part] = self._grouped(part, aggregates, None) or []
            return found
        except AggregationUnavailable as exc:
            log.info("chart data read row by row: %s", exc.message)
            return self._fallback(aggregates, self.parts or (self.fields,))

    def _scanned(
        self, aggregates: list[tuple[str, str, str]]
    ) -> dict[tuple[str, ...], list[ResultRow]] | None:
        """Every part from one hashed scan, or None when it cannot."""
        link = self.link
        found = hashed.grouped_many(
            link.source, params=link.params, base_dir=link.base_dir, url=link.url,
            grains=self.parts, aggregates=aggregates,
        )  # fmt: skip
        return None if found is None else dict(zip(self.parts, found, strict=True))

    def _grouped(
        self, fields: tuple[str, ...], aggregates: list[tuple[str, str, str]], cap: int | None
    ) -> list[ResultRow] | None:
        """The database's rows grouped by ``fields``; None past ``cap`` groups."""
        link = self.link
        stream = open_grouped(
            link.source, params=link.params, base_dir=link.base_dir, url=link.url,
            groups=[OrderKey(name) for name in fields], aggregates=aggregates,
        )  # fmt: skip
        found: list[ResultRow] = []
        with stream:
            for row in stream:
                if cap is not None and len(found) >= cap:
                    return None
                found.append(dict(row))
        return found

    def _fallback(
        self, aggregates: list[tuple[str, str, str]], grains: tuple[tuple[str, ...], ...]
    ) -> dict[tuple[str, ...], list[ResultRow]]:
        """The same results computed in Python over the source's rows: one read for every grain."""
        link = self.link
        accs: list[dict[tuple[Any, ...], dict[str, Any]]] = [{} for _ in grains]
        getters = [itemgetter(*fields, fields[0]) for fields in grains]
        with open_rows(
            link.source, params=link.params, base_dir=link.base_dir, url=link.url
        ) as rows:
            for row in rows:
                for fields, get, per_key in zip(grains, getters, accs, strict=True):
                    key = get(row)[: len(fields)]
                    per = per_key.get(key)
                    if per is None:
                        per = per_key[key] = {
                            alias: make_accumulator(OVER_ROWS[fn]) for alias, fn, _ in aggregates
                        }
                    for alias, _, field in aggregates:
                        per[alias].add(row[field])
        found: dict[tuple[str, ...], list[ResultRow]] = {}
        for fields, per_key in zip(grains, accs, strict=True):
            found[fields] = []
            for key, per in per_key.items():
                row = dict(zip(fields, key, strict=True))
                row.update({alias: acc.value() for alias, acc in per.items()})
                found[fields].append(row)
        return found


class QueryPool:
    """The GROUP BY queries of one render and the threads running them.

    ``want`` is given every chart's fields first. A chart whose fields are a subset of
    another's reads that chart's query (merging its partials: a sum of sums, ...); field
    sets that no other holds share one query over their union while a sample of the
    source says it gives at most ``GRAIN_CAP`` groups (``engine.data.grain``), so charts
    over the same data cost as few scans of the source as their grains allow.
    """

    def __init__(self, link: SourceLink, workers: int = 2) -> None:
        self.link = link
        self.queries: dict[frozenset[str], GroupedQuery] = {}
        self._wanted: list[tuple[str, ...]] = []
        self._planned = False
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None

    def want(self, fields: tuple[str, ...]) -> None:
        """Announce the fields a chart groups by (before any ``query``)."""
        self._wanted.append(tuple(dict.fromkeys(fields)))

    def query(self, fields: tuple[str, ...]) -> GroupedQuery:
        """The query covering these fields: the merged grain holding them."""
        if not self._planned:
            self._planned = True
            self._plan()
        need = frozenset(fields)
        for key, found in self.queries.items():
            if need <= key:
                return found
        own = tuple(dict.fromkeys(fields))  # not announced: a query of its own
        found = self.queries[need] = GroupedQuery(self.link, own)
        return found

    def _plan(self) -> None:
        """One query per merged grain of the announced field sets."""
        sets = widest(self._wanted)
        if sets and hashed.available() and _sqlite_file(self.link):
            # one scan hashes every field set: no union grain to estimate
            union = tuple(dict.fromkeys(name for fields in sets for name in fields))
            self.queries[frozenset(union)] = GroupedQuery(self.link, union, tuple(sets), scan=True)
            log.debug("chart queries: one hashed scan for %s", sets)
            return
        grains = [(fields, (fields,)) for fields in sets]
        if len(sets) > 1:
            columns = list(dict.fromkeys(name for fields in sets for name in fields))
            link = self.link
            sample = sample_values(
                link.source, params=link.params, base_dir=link.base_dir, url=link.url,
                fields=columns, rows=SAMPLE_ROWS,
            )  # fmt: skip
            if sample is not None:
                complete = len(sample) < SAMPLE_ROWS
                grains = merge_grains(sets, sample, columns, GRAIN_CAP, complete=complete)
        for fields, parts in grains:
            merged = parts if len(parts) > 1 else ()
            self.queries[frozenset(fields)] = GroupedQuery(self.link, fields, merged)
        log.debug("chart queries: %s", [q.fields for q in self.queries.values()])

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


def _sqlite_file(link: SourceLink) -> bool:
    """Whether the source is an SQL source on an SQLite file (the hashed scan reads only those)."""
    if link.source.kind != "sql":
        return False
    from engine.data.named import connect_target

    try:  # a named connection may lead to an SQLite file too
        url = connect_target(link.source, link.url).url
    except ReportError:
        return False  # the query itself reports it
    return url.startswith("sqlite:")
