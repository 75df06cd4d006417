"""Chart jobs and database feeds: a chart element in, its stats and the ``engine.fill.ChartFeed`` reading a GROUP BY out."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from engine.calc import CALCULATIONS
from engine.data.grouping import GroupedQuery, QueryPool
from engine.expr import Env, compile_expression
from engine.fill import plain_field
from engine.model import ChartElement

from .buckets import bucket_start
from .points import ChartData, ChartPoints, finish


@dataclass
class ChartStat:
    """What one chart cost in a render: seconds to aggregate and draw, points, cache hit or miss."""

    path: str
    kind: str
    source: str  # "rows" (aggregated while the fill streams) or "database" (GROUP BY)
    seconds: float = 0.0
    points: int = 0
    drawn: int = 0
    hits: int = 0
    misses: int = 0


@dataclass
class ChartJob:
    """One chart element of a render: where it is, what it draws, the report's locale and theme."""

    path: str
    element: ChartElement
    locale: str
    theme: str
    scope: int
    stat: ChartStat = field(init=False)

    @property
    def chart(self) -> Any:
        return self.element.chart


class QueryFeed:
    """A chart whose data comes from a database GROUP BY (``queries``); it never sees the rows."""

    streams = False

    def __init__(self, job: ChartJob, queries: QueryPool, groups: tuple[str, ...]) -> None:
        self.job = job
        self.scope = job.scope
        job.stat = ChartStat(job.path, job.chart.kind, "database")
        chart = job.chart
        self._queries = queries
        self._groups = groups
        self._category = chart_field(chart.category)
        self._series = chart_field(chart.series) if chart.series else None
        self._fields = chart_fields(chart, groups)
        self._query: GroupedQuery = queries.query(self._fields)
        value = chart_field(chart.value)
        sql = CALCULATIONS[chart.calculation].sql
        self._aliases = [self._query.aggregate(fn, value) for fn in sql]

    def add(self, env: Env) -> None:  # pragma: no cover - never called: streams is False
        raise AssertionError("a QueryFeed takes no rows")

    def close(self, group_keys: tuple[Any, ...]) -> tuple[Any, ...]:
        return group_keys

    def request(self) -> None:
        """Start the query (shared with the charts grouping alike) unless it runs."""
        self._query.start(self._queries.pool)

    def finish(self, group_keys: tuple[Any, ...] | None) -> ChartData:
        """The final points of one printed instance, from the query's rows of its group instance."""
        mark = time.perf_counter()
        chart = self.job.chart
        points = ChartPoints(chart.calculation)
        partial = (
            itemgetter(*self._aliases) if len(self._aliases) > 1 else itemgetter(self._aliases[0])
        )
        category, series = self._category, self._series
        rows = self._query.rows(self._queries.pool, self._groups, group_keys or (), self._fields)
        point, bucket = points.point, chart.bucket
        starts: dict[Any, Any] = {}  # a merged query repeats each date once per other field
        for row in rows:
            key = row[category]
            if bucket is not None:
                start = starts.get(key, starts)
                if start is starts:
                    start = starts[key] = bucket_start(bucket, key)
                key = start
            point(row[series] if series else None, key).merge(partial(row))
        data = finish(points, chart, self.job.locale)
        self.job.stat.seconds += time.perf_counter() - mark
        return data


def chart_field(text: str) -> str:
    """The field a plain-field chart expression reads."""
    name = plain_field(compile_expression(text))
    assert name is not None, text  # checked by plan_charts
    return name


def chart_fields(chart: Any, groups: tuple[str, ...]) -> tuple[str, ...]:
    """Every field a chart's GROUP BY needs: its scope's group fields, category and series."""
    fields = [*groups, chart_field(chart.category)]
    if chart.series:
        fields.append(chart_field(chart.series))
    return tuple(dict.fromkeys(fields))
