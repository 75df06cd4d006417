"""Chart calculations on a plain dict of states: a calculation name in, add / merge / value / partial functions out.

The fill's accumulators hold one object per value; a chart holds one state per point in
a dict and updates it inline (no object, no method call per row), which keeps a chart's
cost per streamed row small. The results are exactly those of ``engine.fill``'s
accumulators (nulls ignored; a point whose values are all null has a null sum, min, max
and average and a count of 0; the average of integers or Decimals is a Decimal) and the
partials those of SQL (SUM, COUNT, MIN, MAX; (SUM, COUNT) for the average).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

State = dict[Any, Any]


@dataclass(frozen=True)
class Calculation:
    """How one calculation adds a row's value, merges a partial, and reads a point's value and partial."""

    add: Callable[[State, Any, Any], None]
    merge: Callable[[State, Any, Any], None]
    value: Callable[[Any], Any]
    partial: Callable[[Any], Any]


def _same(state: Any) -> Any:
    return state


def _sum_add(s: State, k: Any, v: Any) -> None:
    if v is None:
        s.setdefault(k, None)
    else:
        t = s.get(k)
        s[k] = v if t is None else t + v


def _count_add(s: State, k: Any, v: Any) -> None:
    s[k] = s.get(k, 0) + (v is not None)


def _count_merge(s: State, k: Any, p: Any) -> None:
    s[k] = s.get(k, 0) + (p or 0)


def _min_add(s: State, k: Any, v: Any) -> None:
    t = s.get(k)
    if v is None:
        s.setdefault(k, None)
    elif t is None or v < t:
        s[k] = v


def _max_add(s: State, k: Any, v: Any) -> None:
    t = s.get(k)
    if v is None:
        s.setdefault(k, None)
    elif t is None or v > t:
        s[k] = v


def _average_add(s: State, k: Any, v: Any) -> None:
    t = s.get(k)
    if t is None:
        t = s[k] = [0, 0]
    if v is not None:
        t[0] += v
        t[1] += 1


def _average_merge(s: State, k: Any, p: Any) -> None:
    total, n = p
    t = s.get(k)
    if t is None:
        t = s[k] = [0, 0]
    if n:
        t[0] += total
        t[1] += n


def _average_value(t: list[Any]) -> Any:
    total, n = t
    if not n:
        return None
    if isinstance(total, int) and not isinstance(total, bool):
        total = Decimal(total)  # as the fill's average: int / int is a Decimal
    return total / n


CALCULATIONS: dict[str, Calculation] = {
    "sum": Calculation(_sum_add, _sum_add, _same, _same),
    "count": Calculation(_count_add, _count_merge, _same, _same),
    "min": Calculation(_min_add, _min_add, _same, _same),
    "max": Calculation(_max_add, _max_add, _same, _same),
    "average": Calculation(_average_add, _average_merge, _average_value, tuple),
}
