"""Streaming chart feeds: the rows the fill streams in, each chart's points per scope instance out, in one pass for all charts.

The fill calls one ``RowBatch.add`` per row for all the charts that read fields (and
parameters) only: it keeps the row, and every 2,048 rows — and whenever a chart's scope
instance closes — each chart runs a tight loop over the batch (plain fields read with one
``itemgetter``, date buckets from a memo of the dates seen, the point's accumulator of
``engine.calc`` found in a dict). A chart whose expressions read variables or row numbers is
evaluated row by row, when the fill is at that row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import Any

from engine.calc import CALCULATIONS
from engine.errors import EvaluationError
from engine.expr import CompiledExpression, Env, compile_expression
from engine.fill import plain_field

from .buckets import bucket_start
from .feeds import ChartJob, ChartStat
from .points import ChartData, ChartPoints, State, finish

BATCH_ROWS = 2048
_MEMO_LIMIT = 100_000


class RowBatch:
    """Rows kept for the batched charts until the next flush."""

    def __init__(self) -> None:
        self.rows: list[Mapping[str, Any]] = []
        self.feeds: list[StreamFeed] = []

    def add(self, env: Env) -> None:
        rows = self.rows
        rows.append(env.row)
        if len(rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Every batched chart takes the rows kept so far."""
        if self.rows:
            rows, self.rows = self.rows, []
            for feed in self.feeds:
                feed.consume(rows)


class StreamFeed:
    """Aggregates a chart while the fill streams the rows: one ChartPoints per scope instance."""

    streams = True

    def __init__(self, job: ChartJob, batch: RowBatch, params: Mapping[str, Any]) -> None:
        self.job = job
        self.scope = job.scope
        job.stat = ChartStat(job.path, job.chart.kind, "rows")
        chart = job.chart
        self._state: State = {}
        self._make = CALCULATIONS[chart.calculation]
        self._bucket = chart.bucket
        self._memo: dict[Any, Any] = {}
        self._series = chart.series is not None
        texts = [chart.category, chart.value, *([chart.series] if chart.series else [])]
        exprs = [compile_expression(t, locale=job.locale) for t in texts]
        self._values = _reader(exprs, params)
        self._batch: RowBatch | None = None
        if any(e.vars or e.uses_row_number for e in exprs):
            self.add: Callable[[Env], None] = self._add_now  # needs the fill's state at the row
        else:
            self._batch = batch
            batch.feeds.append(self)
            self.add = batch.add  # the same bound method for every batched chart: one call per row

    def _add_now(self, env: Env) -> None:
        self.consume([env.row], env)

    def consume(self, rows: Iterable[Mapping[str, Any]], env: Env | None = None) -> None:
        """Add rows to the current scope instance's points (the hot loop)."""
        state, make, memo, bucket = self._state, self._make, self._memo, self._bucket
        series, get = self._series, self._state.get
        mark = time.perf_counter()
        try:
            for found in self._values(rows, env):
                category = found[0]
                if bucket is not None:
                    start = memo.get(category)
                    if start is None:
                        if len(memo) > _MEMO_LIMIT:
                            memo.clear()
                        start = memo[category] = bucket_start(bucket, category)
                    category = start
                key = (found[2] if series else None, category)
                point = get(key)
                if point is None:
                    point = state[key] = make()
                point.add(found[1])
        except EvaluationError as exc:
            raise EvaluationError(f"{self.job.path}.chart: {exc.message}") from exc
        except (TypeError, ArithmeticError) as exc:
            raise EvaluationError(f"{self.job.path}.chart.value: {exc}") from exc
        self.job.stat.seconds += time.perf_counter() - mark

    def close(self, group_keys: tuple[Any, ...]) -> ChartPoints:
        """The points of the scope instance that ended; the next starts with none."""
        if self._batch is not None:
            self._batch.flush()
        points = ChartPoints(self.job.chart.calculation, self._state)
        self._state = {}
        return points

    def request(self) -> None:
        """Nothing to start: the rows come through ``add``."""

    def finish(self, data: ChartPoints | None) -> ChartData:
        """The final points of one printed instance."""
        mark = time.perf_counter()
        found = finish(data, self.job.chart, self.job.locale)
        self.job.stat.seconds += time.perf_counter() - mark
        return found


Reader = Callable[[Iterable[Mapping[str, Any]], Env | None], Iterable[Any]]


def _reader(exprs: list[CompiledExpression], params: Mapping[str, Any]) -> Reader:
    """(category, value[, series]) of each row: one itemgetter for plain fields, else the expressions."""
    names = [plain_field(e) for e in exprs]
    if None not in names:
        get = itemgetter(*names)

        def plain(rows: Iterable[Mapping[str, Any]], env: Env | None) -> Iterable[Any]:
            return map(get, rows)

        return plain
    scratch = Env(params=params)

    def evaluate(rows: Iterable[Mapping[str, Any]], env: Env | None) -> Iterable[Any]:
        use = env if env is not None else scratch
        for row in rows:
            use.row = row
            yield tuple(e(use) for e in exprs)

    return evaluate
