"""Chart planning: a compiled report in, a feed per chart that can print (database GROUP BY or row stream) out."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from engine.data.grouping import QueryPool, SourceLink
from engine.errors import EvaluationError
from engine.expr import CompiledExpression, Env, compile_expression
from engine.fill import CompiledReport, plain_field
from engine.fill.compiled import REPORT_SCOPE
from engine.model import ChartElement

from .feeds import ChartJob, ChartStat, QueryFeed, chart_fields
from .stream import RowBatch, StreamFeed

log = logging.getLogger(__name__)

Feed = StreamFeed | QueryFeed


class ChartPlan:
    """The charts of one render: their feeds (give ``feeds`` to the fill), stats and query threads."""

    def __init__(self, feeds: dict[str, Feed], queries: QueryPool | None) -> None:
        self.feeds = feeds
        self.queries = queries

    @property
    def streams(self) -> bool:
        """True when some chart needs the rows one by one (no summary push-down then)."""
        return any(feed.streams for feed in self.feeds.values())

    def stats(self) -> list[ChartStat]:
        """What each chart cost so far, in element order."""
        return [feed.job.stat for feed in self.feeds.values()]

    def close(self) -> None:
        """Stop the query threads (waiting for running queries)."""
        if self.queries is not None:
            self.queries.close()


def plan_charts(
    compiled: CompiledReport,
    params: Mapping[str, Any],
    *,
    link: SourceLink | None = None,
    pushdown: bool = True,
) -> ChartPlan:
    """A feed per chart element whose band and element can print with these parameters.

    A chart whose band or element ``print_when`` reads only parameters and is false gets no
    feed: it is never computed. A chart of an SQL source (``link``) whose category, value,
    series and scope's group expressions are plain fields, in a report without a filter,
    reads its data from a database GROUP BY (with ``pushdown``), started here so it runs
    while the fill does; any other streams the rows.
    """
    report = compiled.report
    levels = {g.name: i for i, g in enumerate(report.groups)}
    group_fields = [plain_field(expr) for expr in compiled.group_exprs]
    sql = link is not None and link.source.kind == "sql" and report.filter is None and pushdown
    queries = QueryPool(link) if sql and link is not None else None
    feeds: dict[str, Feed] = {}
    batch = RowBatch()
    queried: list[tuple[ChartJob, tuple[str, ...]]] = []
    for band in compiled.bands:
        if _never(band.print_when, params):
            continue
        for element in band.elements:
            if element.type != "chart" or _never(element.print_when, params):
                continue
            model = report.bands[band.index].elements[element.index]
            assert isinstance(model, ChartElement)
            chart = model.chart
            scope = REPORT_SCOPE
            if chart.scope.startswith("group:"):
                scope = levels[chart.scope[6:]] + 1
            job = ChartJob(element.path, model, report.locale, report.theme, scope)
            groups = group_fields[:scope]
            if queries is not None and None not in groups and _plain(chart):
                names = tuple(str(g) for g in groups)
                queries.want(chart_fields(chart, names))
                queried.append((job, names))
                feeds[element.path] = None  # type: ignore[assignment]  # keeps element order
            else:
                feeds[element.path] = StreamFeed(job, batch, params)
    for job, names in queried:  # every chart's fields announced: shared queries are known
        assert queries is not None
        feeds[job.path] = QueryFeed(job, queries, names)
    for feed in feeds.values():  # every aggregate added: the database groups while the fill runs
        if isinstance(feed, QueryFeed):
            feed.request()
    return ChartPlan(feeds, queries)


def _plain(chart: Any) -> bool:

    texts = [chart.category, chart.value, *([chart.series] if chart.series else [])]
    return all(plain_field(compile_expression(t)) is not None for t in texts)


def _never(condition: CompiledExpression | None, params: Mapping[str, Any]) -> bool:
    """True for a print condition that reads only parameters (or nothing) and is false."""
    if condition is None or condition.fields or condition.vars or condition.uses_row_number:
        return False
    if condition.is_volatile:
        return False
    try:
        return not condition(Env(params=params))
    except EvaluationError:
        return False
