"""Chart feeds: a chart element in, the ``engine.fill.ChartFeed`` that gathers its data (from the rows or the database) out."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from engine.errors import EvaluationError
from engine.expr import CompiledExpression, Env, compile_expression
from engine.fill import plain_field
from engine.model import ChartElement

from .buckets import bucket_start
from .points import ChartData, ChartPoints, finish
from .queries import PARTIALS, GroupedQuery, QueryPool


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


class StreamFeed:
    """Aggregates a chart while the fill streams the rows: one ChartPoints per scope instance."""

    streams = True

    def __init__(self, job: ChartJob) -> None:
        self.job = job
        self.scope = job.scope
        job.stat = ChartStat(job.path, job.chart.kind, "rows")
        chart = job.chart
        self._category = _getter(chart.category, job.locale)
        self._value = _getter(chart.value, job.locale)
        self._series = _getter(chart.series, job.locale) if chart.series else None
        self._bucket = chart.bucket
        self._points = ChartPoints(chart.calculation, chart.bucket)

    def add(self, env: Env) -> None:
        """One row: its category (bucketed), series and value join the current instance's points."""
        try:
            category = self._category(env)
            if self._bucket is not None:
                category = bucket_start(self._bucket, category)
            series = self._series(env) if self._series is not None else None
            self._points.add(series, category, self._value(env))
        except EvaluationError as exc:
            raise EvaluationError(f"{self.job.path}.chart: {exc.message}") from exc
        except (TypeError, ArithmeticError) as exc:
            raise EvaluationError(f"{self.job.path}.chart.value: {exc}") from exc

    def close(self, group_keys: tuple[Any, ...]) -> ChartPoints:
        points, self._points = self._points, ChartPoints(self.job.chart.calculation, self._bucket)
        return points

    def request(self) -> None:
        """Nothing to start: the rows come through ``add``."""

    def finish(self, data: ChartPoints | None) -> ChartData:
        """The final points of one printed instance."""
        mark = time.perf_counter()
        result = finish(data, self.job.chart, self.job.locale)
        self.job.stat.seconds += time.perf_counter() - mark
        return result


class QueryFeed:
    """A chart whose data comes from a database GROUP BY (``queries``); it never sees the rows."""

    streams = False

    def __init__(self, job: ChartJob, queries: QueryPool, groups: tuple[str, ...]) -> None:
        self.job = job
        self.scope = job.scope
        job.stat = ChartStat(job.path, job.chart.kind, "database")
        chart = job.chart
        self._queries = queries
        self._query: GroupedQuery = queries.query(
            groups, _field(chart.category), _field(chart.series) if chart.series else None
        )
        value = _field(chart.value)
        self._aliases = [self._query.aggregate(fn, value) for fn in PARTIALS[chart.calculation]]

    def add(self, env: Env) -> None:  # pragma: no cover - never called: streams is False
        raise AssertionError("a QueryFeed takes no rows")

    def close(self, group_keys: tuple[Any, ...]) -> tuple[Any, ...]:
        return group_keys

    def request(self) -> None:
        """The chart prints: start its query (shared with the charts grouping alike)."""
        self._query.start(self._queries.pool)

    def finish(self, group_keys: tuple[Any, ...] | None) -> ChartData:
        """The final points of one printed instance, from the query's rows of its group instance."""
        mark = time.perf_counter()
        chart = self.job.chart
        points = ChartPoints(chart.calculation, chart.bucket)
        get = itemgetter(*self._aliases) if len(self._aliases) > 1 else None
        alias = self._aliases[0]
        for _, series, category, values in self._query.rows(self._queries.pool, group_keys or ()):
            points.merge(series, category, get(values) if get else values[alias])
        result = finish(points, chart, self.job.locale)
        self.job.stat.seconds += time.perf_counter() - mark
        return result


def _getter(text: str, locale: str) -> Any:
    """A fast value function of an expression: a row read for a plain field."""
    expr: CompiledExpression = compile_expression(text, locale=locale)
    name = plain_field(expr)
    if name is not None:

        def read(env: Env) -> Any:
            return env.row[name]

        return read
    return expr


def _field(text: str) -> str:
    name = plain_field(compile_expression(text))
    assert name is not None, text  # checked by plan_charts
    return name
