"""Date functions of the library: dates and datetimes in, parts, truncations and shifted dates out.

A datetime stays a datetime (``date_trunc`` sets it to midnight of the period's first day);
a date stays a date. ``today()`` and ``now()`` read the clock the compiler binds
(``datetime.now`` unless ``compile_expression(..., clock=...)`` pins it).
"""

from __future__ import annotations

import calendar
import datetime as _dt
from collections.abc import Callable
from typing import Any

from engine.errors import EvaluationError
from engine.expr.names import shown_name
from engine.expr.registry import integer_argument, library_function, need

_DATE_UNITS = ("day", "week", "month", "quarter", "year")


@library_function("date")
def date(value: Any, month: Any = None, day: Any = None) -> _dt.date:
    """A date from ISO text (``date('2024-01-31')``), a datetime, or year, month and day."""
    if month is not None or day is not None:
        if month is None or day is None:
            raise EvaluationError("date() needs a year, a month and a day")
        parts = [integer_argument("date", v) for v in (value, month, day)]
        try:
            return _dt.date(*parts)
        except (ValueError, OverflowError):
            raise EvaluationError(f"no such date: {parts[0]}-{parts[1]}-{parts[2]}") from None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    need(str, "date", value, "ISO text such as '2024-01-31'")
    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        raise EvaluationError(f"invalid date '{shown_name(value)}' (expected YYYY-MM-DD)") from None


@library_function("year")
def year(value: Any) -> int:
    """The year of a date."""
    need(_dt.date, "year", value, "a date")
    return int(value.year)


@library_function("month")
def month(value: Any) -> int:
    """The month of a date, 1 to 12."""
    need(_dt.date, "month", value, "a date")
    return int(value.month)


@library_function("day")
def day(value: Any) -> int:
    """The day of the month, 1 to 31."""
    need(_dt.date, "day", value, "a date")
    return int(value.day)


@library_function("quarter")
def quarter(value: Any) -> int:
    """The quarter of the year, 1 to 4."""
    need(_dt.date, "quarter", value, "a date")
    return (int(value.month) - 1) // 3 + 1


@library_function("weekday")
def weekday(value: Any) -> int:
    """The ISO weekday: 1 Monday to 7 Sunday."""
    need(_dt.date, "weekday", value, "a date")
    return int(value.isoweekday())


def _unit(function: str, unit: Any) -> str:
    need(str, function, unit, "a unit")
    if unit not in _DATE_UNITS:
        raise EvaluationError(
            f"{function}() unit must be one of {', '.join(_DATE_UNITS)}; not '{unit[:30]}'"
        )
    return str(unit)


@library_function("date_trunc")
def date_trunc(unit: Any, value: Any) -> _dt.date:
    """The first day of the day/week (Monday)/month/quarter/year holding ``value``."""
    name = _unit("date_trunc", unit)
    need(_dt.date, "date_trunc", value, "a date")
    start = _dt.date(value.year, value.month, value.day)
    if name == "week":
        start -= _dt.timedelta(days=start.weekday())
    elif name == "month":
        start = start.replace(day=1)
    elif name == "quarter":
        start = start.replace(month=(start.month - 1) // 3 * 3 + 1, day=1)
    elif name == "year":
        start = start.replace(month=1, day=1)
    if isinstance(value, _dt.datetime):
        return _dt.datetime.combine(start, _dt.time(), tzinfo=value.tzinfo)
    return start


def _add_months(value: _dt.date, months: int) -> _dt.date:
    index = value.year * 12 + value.month - 1 + months
    new_year, new_month = divmod(index, 12)
    if not 1 <= new_year <= 9999:
        raise OverflowError
    last = calendar.monthrange(new_year, new_month + 1)[1]
    return value.replace(year=new_year, month=new_month + 1, day=min(value.day, last))


@library_function("date_add")
def date_add(value: Any, amount: Any, unit: Any = "day") -> _dt.date:
    """``value`` moved by ``amount`` days/weeks/months/quarters/years (negative: back).

    Months and years keep the day of month where they can and otherwise clamp to the
    month's last day: ``date_add(date('2024-01-31'), 1, 'month')`` is 2024-02-29.
    """
    need(_dt.date, "date_add", value, "a date")
    count = integer_argument("date_add", amount)
    name = _unit("date_add", unit)
    try:
        if name == "day":
            return value + _dt.timedelta(days=count)
        if name == "week":
            return value + _dt.timedelta(weeks=count)
        months = {"month": 1, "quarter": 3, "year": 12}[name]
        return _add_months(value, count * months)
    except (OverflowError, ValueError):
        raise EvaluationError("date_add() result is out of the range of dates") from None


@library_function("days_between")
def days_between(start: Any, end: Any) -> int:
    """Whole days from ``start`` to ``end`` (``(end - start).days``); negative if end is earlier."""
    need(_dt.date, "days_between", start, "a date")
    need(_dt.date, "days_between", end, "a date")
    if type(start) is not type(end) and not (
        isinstance(start, _dt.datetime) and isinstance(end, _dt.datetime)
    ):
        start = _dt.date(start.year, start.month, start.day)
        end = _dt.date(end.year, end.month, end.day)
    try:
        return int((end - start).days)
    except TypeError:
        raise EvaluationError("days_between() cannot mix naive and aware datetimes") from None


@library_function("today", volatile=True)
def today(*, clock: Callable[[], _dt.datetime] = _dt.datetime.now) -> _dt.date:
    """Today's date (makes a report's output depend on when it runs)."""
    return clock().date()


@library_function("now", volatile=True)
def now(*, clock: Callable[[], _dt.datetime] = _dt.datetime.now) -> _dt.datetime:
    """The current date and time (makes a report's output depend on when it runs)."""
    return clock()
