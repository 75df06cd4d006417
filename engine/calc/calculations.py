"""The eleven calculations: one accumulator class per name of the model's ``Calculation``, registered in ``CALCULATIONS``.

Nulls are ignored as in SQL: ``count`` counts non-null values and every other
calculation of an empty (or all-null) scope is None, except ``count`` and
``distinct_count`` which are 0. Decimal values stay Decimal (the average of Decimals
is their Decimal sum divided by the count); ``stddev`` and ``variance`` are the sample
statistics (as SQL ``STDDEV_SAMP`` and ``statistics.stdev``), None below two values.
``median`` and ``distinct_count`` keep the values of their scope (memory grows with
the rows of one scope instance); every other calculation keeps a few numbers.

The partials: ``sum``, ``min``, ``max``, ``first`` and ``last`` their value, ``count`` the
count, ``average`` (SUM, COUNT), ``distinct_count`` the set of values, ``median`` the
values, ``variance`` and ``stddev`` (count, mean, sum of squared deviations).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from functools import reduce
from operator import add as _add
from typing import Any

from .registry import CALCULATIONS, Accumulator, calculation, present


@calculation("sum")
class SumAccumulator(Accumulator):
    __slots__ = ("total",)
    sql = ("SUM",)

    def reset(self) -> None:
        self.total: Any = None

    def add(self, value: Any) -> None:
        if value is not None:
            total = self.total
            self.total = value if total is None else total + value

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        if nulls:
            values = present(values)
        if values:  # left to right, as add does: the same result for floats too
            total = self.total
            self.total = reduce(_add, values) if total is None else reduce(_add, values, total)

    def value(self) -> Any:
        return self.total


@calculation("count")
class CountAccumulator(Accumulator):
    __slots__ = ("n",)
    sql = ("COUNT",)

    def reset(self) -> None:
        self.n = 0

    def add(self, value: Any) -> None:
        if value is not None:
            self.n += 1

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        self.n += len(present(values)) if nulls else len(values)

    def value(self) -> Any:
        return self.n

    def merge(self, partial: Any) -> None:
        if partial:
            self.n += partial


@calculation("distinct_count")
class DistinctCountAccumulator(Accumulator):
    __slots__ = ("seen",)

    def reset(self) -> None:
        self.seen: set[Any] = set()

    def add(self, value: Any) -> None:
        if value is not None:
            self.seen.add(value)

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        self.seen.update(present(values) if nulls else values)

    def value(self) -> Any:
        return len(self.seen)

    def partial(self) -> Any:
        return frozenset(self.seen)

    def merge(self, partial: Any) -> None:
        self.seen.update(partial)


@calculation("average")
class AverageAccumulator(Accumulator):
    __slots__ = ("n", "total")
    sql = ("SUM", "COUNT")

    def reset(self) -> None:
        self.total: Any = 0
        self.n = 0

    def add(self, value: Any) -> None:
        if value is not None:
            self.total += value
            self.n += 1

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        if nulls:
            values = present(values)
        if values:
            self.total = reduce(_add, values, self.total)
            self.n += len(values)

    def value(self) -> Any:
        if not self.n:
            return None
        total = self.total
        if isinstance(total, int) and not isinstance(total, bool):
            total = Decimal(total)  # the language's int / int is a Decimal too
        return total / self.n

    def partial(self) -> Any:
        return (self.total, self.n)

    def merge(self, partial: Any) -> None:
        total, n = partial
        if n:
            self.total += total
            self.n += n


@calculation("min")
class MinAccumulator(Accumulator):
    __slots__ = ("best",)
    sql = ("MIN",)

    def reset(self) -> None:
        self.best: Any = None

    def add(self, value: Any) -> None:
        if value is not None and (self.best is None or value < self.best):
            self.best = value

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        if nulls:
            values = present(values)
        if values:  # min keeps the first of equal values, as add does
            self.add(min(values))

    def value(self) -> Any:
        return self.best


@calculation("max")
class MaxAccumulator(Accumulator):
    __slots__ = ("best",)
    sql = ("MAX",)

    def reset(self) -> None:
        self.best: Any = None

    def add(self, value: Any) -> None:
        if value is not None and (self.best is None or value > self.best):
            self.best = value

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        if nulls:
            values = present(values)
        if values:  # max keeps the first of equal values, as add does
            self.add(max(values))

    def value(self) -> Any:
        return self.best


@calculation("first")
class FirstAccumulator(Accumulator):
    __slots__ = ("seen", "val")

    def reset(self) -> None:
        self.val: Any = None
        self.seen = False

    def add(self, value: Any) -> None:
        if value is not None and not self.seen:
            self.val = value
            self.seen = True

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        if not self.seen:
            for value in values:
                if value is not None:
                    self.val = value
                    self.seen = True
                    return

    def value(self) -> Any:
        return self.val


@calculation("last")
class LastAccumulator(Accumulator):
    __slots__ = ("val",)

    def reset(self) -> None:
        self.val: Any = None

    def add(self, value: Any) -> None:
        if value is not None:
            self.val = value

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        for value in reversed(values):
            if value is not None:
                self.val = value
                return

    def value(self) -> Any:
        return self.val


@calculation("stddev")
class StddevAccumulator(Accumulator):
    """Welford's online algorithm; exact types kept (Decimal in, Decimal out)."""

    __slots__ = ("m2", "mean", "n")

    def reset(self) -> None:
        self.n = 0
        self.mean: Any = 0
        self.m2: Any = 0

    def add(self, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, int):
            value = float(value)
        if self.n == 0 and isinstance(value, Decimal):
            self.mean = self.m2 = Decimal(0)
        self.n += 1
        delta = value - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (value - self.mean)

    def variance(self) -> Any:
        return self.m2 / (self.n - 1) if self.n >= 2 else None

    def value(self) -> Any:
        variance = self.variance()
        if variance is None:
            return None
        return variance.sqrt() if isinstance(variance, Decimal) else math.sqrt(variance)

    def partial(self) -> Any:
        return (self.n, self.mean, self.m2)

    def merge(self, partial: Any) -> None:
        """Chan et al.'s pairwise update: equal to adding the values up to rounding."""
        n, mean, m2 = partial
        if not n:
            return
        if not self.n:
            self.n, self.mean, self.m2 = n, mean, m2
            return
        total = self.n + n
        delta = mean - self.mean
        self.m2 += m2 + delta * delta * self.n * n / total
        self.mean += delta * n / total
        self.n = total


@calculation("variance")
class VarianceAccumulator(StddevAccumulator):
    __slots__ = ()

    def value(self) -> Any:
        return self.variance()


@calculation("median")
class MedianAccumulator(Accumulator):
    __slots__ = ("values",)

    def reset(self) -> None:
        self.values: list[Any] = []

    def add(self, value: Any) -> None:
        if value is not None:
            self.values.append(value)

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        self.values.extend(present(values) if nulls else values)

    def value(self) -> Any:
        import statistics  # only a median needs it

        return statistics.median(self.values) if self.values else None

    def partial(self) -> Any:
        return tuple(self.values)

    def merge(self, partial: Any) -> None:
        self.values.extend(partial)


#: SQL aggregate → the calculation computing it over rows (the calculations whose partial is one aggregate)
OVER_ROWS: dict[str, str] = {
    cls.sql[0]: name for name, cls in CALCULATIONS.items() if len(cls.sql) == 1
}
