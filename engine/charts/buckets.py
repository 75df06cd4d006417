"""Date buckets of chart categories: a date and a bucket name in, the bucket's first day, the next bucket and its label out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from engine.errors import EvaluationError
from engine.expr.formatting import format_date

BUCKETS = ("day", "week", "month", "quarter", "year")


def bucket_start(bucket: str, value: Any) -> dt.date | None:
    """The first day of the bucket holding a date or datetime (None stays None)."""
    if value is None:
        return None
    if not isinstance(value, dt.date):
        raise EvaluationError(
            f"a {bucket} bucket needs a date category, not {type(value).__name__} {value!r:.40}"
        )
    day = dt.date(value.year, value.month, value.day)
    if bucket == "week":
        return day - dt.timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    if bucket == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if bucket == "year":
        return day.replace(month=1, day=1)
    return day


def next_bucket(bucket: str, start: dt.date) -> dt.date:
    """The first day of the bucket after the one starting on ``start``."""
    if bucket == "day":
        return start + dt.timedelta(days=1)
    if bucket == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[bucket]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def every_bucket(bucket: str, first: dt.date, last: dt.date) -> list[dt.date]:
    """Every bucket start from ``first`` to ``last`` included: the gaps between buckets with data filled."""
    found = [first]
    while found[-1] < last:
        found.append(next_bucket(bucket, found[-1]))
    return found


def _week(start: dt.date, locale: str) -> str:
    year, week, _ = start.isocalendar()
    return f"{year}-W{week:02d}"


#: bucket → label of a bucket start in a locale
_LABELS: dict[str, Callable[[dt.date, str], str]] = {
    "day": lambda d, loc: format_date(d, "yyyy-MM-dd", loc),
    "week": _week,
    "month": lambda d, loc: format_date(d, "MMM yyyy", loc),
    "quarter": lambda d, loc: format_date(d, "QQQ yyyy", loc),
    "year": lambda d, loc: format_date(d, "yyyy", loc),
}


def bucket_label(bucket: str, start: dt.date, locale: str) -> str:
    """How a bucket reads on the axis: 2021-03-05, 2021-W09, Mar 2021, Q1 2021, 2021 (in the locale)."""
    return _LABELS[bucket](start, locale)
