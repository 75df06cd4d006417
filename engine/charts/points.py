"""Chart aggregation: (series, category, value) triples or database partials in, the chart's final points out.

``ChartPoints`` keeps one accumulator of ``engine.calc`` per (series, category) — memory
grows with the points, never with the rows. ``finish`` turns them into ``ChartData``: date
buckets with the empty ones between the first and the last filled in, categories sorted,
and past ``max_points`` the rest folded into one "Other" category (its value is the
calculation over the folded rows, from the points' merged partials).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.calc import CALCULATIONS, Accumulator
from engine.expr.formatting import default_text
from engine.model import Chart

from .buckets import bucket_label, every_bucket

#: the label of the folded categories past max_points
OTHER = "Other"
#: the label of a null category or series
NULL_LABEL = "(empty)"

Number = Decimal | int | float
#: (series, category) → the accumulator of that point
State = dict[tuple[Any, Any], Accumulator]


class ChartPoints:
    """The running aggregation of one chart's scope instance: an accumulator per (series, category)."""

    __slots__ = ("make", "state")

    def __init__(self, calculation: str, state: State | None = None) -> None:
        self.make = CALCULATIONS[calculation]
        self.state: State = {} if state is None else state

    def point(self, series: Any, category: Any) -> Accumulator:
        """The accumulator of one point (category already bucketed), made at its first value."""
        accumulator = self.state.get((series, category))
        if accumulator is None:
            accumulator = self.state[(series, category)] = self.make()
        return accumulator

    def __len__(self) -> int:
        return len(self.state)


@dataclass(frozen=True)
class ChartData:
    """The points a chart draws: category labels, series names and one value per (series, category).

    ``values[s][c]`` is the value of series ``s`` at category ``c`` (None: no rows).
    ``keys`` are the category values (bucket starts for a bucketed chart, None for
    "Other"). A chart without a series has one series named "".
    """

    categories: tuple[str, ...]
    keys: tuple[Any, ...]
    series: tuple[str, ...]
    values: tuple[tuple[Number | None, ...], ...]
    folded: int = 0  # how many categories "Other" holds

    @property
    def empty(self) -> bool:
        return not self.categories

    @property
    def point_count(self) -> int:
        return len(self.categories) * len(self.series)

    def fingerprint(self) -> str:
        """A digest of every label and value (the chart cache's key part for the data)."""
        text = repr((self.categories, self.series, self.values, self.keys))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def value(self, category: str, series: str = "") -> Number | None:
        """The value at a category label (and series name)."""
        return self.values[self.series.index(series)][self.categories.index(category)]


EMPTY = ChartData((), (), ("",), ((),))


def _label(value: Any, bucket: str | None, locale: str) -> str:
    if value is None:
        return NULL_LABEL
    if bucket is not None and isinstance(value, dt.date):
        return bucket_label(bucket, value, locale)
    return default_text(value)


def _order_key(value: Any) -> tuple[int, Any]:
    """A total order over mixed category values: nulls first, then by type, then by value."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float | Decimal):
        return (2, value)
    if isinstance(value, dt.datetime):
        return (3, value.isoformat())
    if isinstance(value, dt.date):
        return (3, value.isoformat())
    return (4, str(value))


def keeps_order(chart: Chart) -> bool:
    """True when the categories keep their own order (a time axis, a line) rather than ``sort``.

    A bucketed chart and a line, area or scatter chart read left to right in category
    order unless the file sets ``sort`` explicitly (the default, value_desc, would
    scramble a time axis).
    """
    if "sort" in chart.model_fields_set:
        return False
    return chart.bucket is not None or chart.kind in ("line", "area", "scatter")


def _sum(values: list[Number | None]) -> Number:
    return sum((v for v in values if v is not None), start=0)


def finish(points: ChartPoints | None, chart: Chart, locale: str) -> ChartData:
    """The final points of a chart: buckets filled, sorted, folded past ``max_points``."""
    if points is None or not points.state:
        return EMPTY
    accs = points.state
    series_keys = sorted({s for s, _ in accs}, key=_order_key)
    category_keys = sorted({c for _, c in accs}, key=_order_key)
    if chart.bucket is not None:
        dates = [c for c in category_keys if isinstance(c, dt.date)]
        if dates:
            filled = every_bucket(chart.bucket, dates[0], dates[-1])
            category_keys = [c for c in category_keys if c is None] + filled
    value_of = {key: acc.value() for key, acc in accs.items()}

    def row_total(category: Any) -> Number:
        return _sum([value_of.get((s, category)) for s in series_keys])

    sort = chart.sort
    if not keeps_order(chart) and sort in ("value_desc", "value_asc"):
        # stable: equal totals keep category order
        category_keys.sort(key=row_total, reverse=sort == "value_desc")
    elif not keeps_order(chart) and sort == "none":
        category_keys = _first_seen(points, category_keys)
    folded = 0
    limit = chart.max_points
    if chart.kind != "scatter" and len(category_keys) > limit:
        kept, rest = category_keys[: limit - 1], category_keys[limit - 1 :]
        folded = len(rest)
        other = [_fold(points, s, rest) for s in series_keys]
        values = tuple(
            (*tuple(value_of.get((s, c)) for c in kept), other[i])
            for i, s in enumerate(series_keys)
        )
        labels = (*tuple(_label(c, chart.bucket, locale) for c in kept), OTHER)
        keys = (*kept, None)
    else:
        values = tuple(tuple(value_of.get((s, c)) for c in category_keys) for s in series_keys)
        labels = tuple(_label(c, chart.bucket, locale) for c in category_keys)
        keys = tuple(category_keys)
    if chart.series is None:
        names: tuple[str, ...] = ("",)
    else:
        names = tuple(_label(s, None, locale) for s in series_keys)
    return ChartData(labels, keys, names, values, folded)


def _first_seen(points: ChartPoints, category_keys: list[Any]) -> list[Any]:
    """Categories in the order the rows first showed them (``sort: none``); filled buckets in time order."""
    seen = list(dict.fromkeys(c for _, c in points.state))
    extra = [c for c in category_keys if c not in set(seen)]
    return seen + extra


def _fold(points: ChartPoints, series: Any, rest: list[Any]) -> Number | None:
    """The calculation over every row of the folded categories of one series."""
    total = points.make()
    for category in rest:
        point = points.state.get((series, category))
        if point is not None:
            total.merge(point.partial())
    return total.value()
