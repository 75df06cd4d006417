"""Variable calculations: a calculation name in, an accumulator that takes values row by row out.

Nulls are ignored as in SQL: ``count`` counts non-null values and every other
calculation of an empty (or all-null) scope is None, except ``count`` and
``distinct_count`` which are 0. Decimal values stay Decimal (the average of Decimals
is their Decimal sum divided by the count); ``stddev`` and ``variance`` are the sample
statistics (as SQL ``STDDEV_SAMP`` and ``statistics.stdev``), None below two values.
``median`` and ``distinct_count`` keep the values of their scope (memory grows with
the rows of one scope instance); every other calculation keeps a few numbers.

``add_many`` takes a run of values at once (the fill of a report that prints no row reads
columns); it gives exactly what adding them one by one gives, in the same order.

``sum``, ``count``, ``min``, ``max`` and ``average`` also ``merge`` a partial result computed
elsewhere over a run of rows (a database's GROUP BY): the partial of ``sum``, ``min`` and
``max`` is the SQL aggregate of the same name, of ``count`` the SQL COUNT, of ``average``
the pair (SUM, COUNT). Merging the partials of consecutive runs gives what adding their
values one by one gives.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import reduce
from itertools import repeat
from operator import add as _add
from operator import is_
from typing import Any

#: calculation name → accumulator class, filled by @calculation
CALCULATIONS: dict[str, type[Accumulator]] = {}


def calculation(name: str) -> Callable[[type[Accumulator]], type[Accumulator]]:
    """Register an accumulator class under a calculation name."""

    def register(cls: type[Accumulator]) -> type[Accumulator]:
        CALCULATIONS[name] = cls
        return cls

    return register


def make_accumulator(name: str) -> Accumulator:
    """A fresh accumulator for a calculation name (one of the model's ``Calculation``)."""
    return CALCULATIONS[name]()


class Accumulator:
    """Takes values with ``add`` (None is ignored), reports with ``value``, starts over with ``reset``."""

    __slots__ = ()

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        raise NotImplementedError

    def add(self, value: Any) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        """``add`` each of ``values`` in order; ``nulls`` False promises that none is None."""
        add = self.add
        for value in values:
            add(value)

    def merge(self, partial: Any) -> None:
        """Take the partial result of a run of rows (see the module docstring)."""
        raise NotImplementedError(f"{type(self).__name__} cannot merge partial results")


#: calculations whose accumulators merge partial results
MERGEABLE = frozenset({"sum", "count", "min", "max", "average"})


@calculation("sum")
class SumAccumulator(Accumulator):
    __slots__ = ("total",)

    def reset(self) -> None:
        self.total: Any = None

    def add(self, value: Any) -> None:
        if value is not None:
            total = self.total
            self.total = value if total is None else total + value

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        if nulls:
            values = _present(values)
        if values:  # left to right, as add does: the same result for floats too
            total = self.total
            self.total = reduce(_add, values) if total is None else reduce(_add, values, total)

    def value(self) -> Any:
        return self.total

    def merge(self, partial: Any) -> None:
        self.add(partial)  # a sum of sums; SUM of no values is null


@calculation("count")
class CountAccumulator(Accumulator):
    __slots__ = ("n",)

    def reset(self) -> None:
        self.n = 0

    def add(self, value: Any) -> None:
        if value is not None:
            self.n += 1

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        self.n += len(_present(values)) if nulls else len(values)

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
        self.seen.update(_present(values) if nulls else values)

    def value(self) -> Any:
        return len(self.seen)


@calculation("average")
class AverageAccumulator(Accumulator):
    __slots__ = ("n", "total")

    def reset(self) -> None:
        self.total: Any = 0
        self.n = 0

    def add(self, value: Any) -> None:
        if value is not None:
            self.total += value
            self.n += 1

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        if nulls:
            values = _present(values)
        if values:
            self.total = reduce(_add, values, self.total)
            self.n += len(values)

    def merge(self, partial: Any) -> None:
        """Take (SUM, COUNT) of a run of rows."""
        total, n = partial
        if n:
            self.total += total
            self.n += n

    def value(self) -> Any:
        if not self.n:
            return None
        total = self.total
        if isinstance(total, int) and not isinstance(total, bool):
            total = Decimal(total)  # the language's int / int is a Decimal too
        return total / self.n


@calculation("min")
class MinAccumulator(Accumulator):
    __slots__ = ("best",)

    def reset(self) -> None:
        self.best: Any = None

    def add(self, value: Any) -> None:
        if value is not None and (self.best is None or value < self.best):
            self.best = value

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        if nulls:
            values = _present(values)
        if values:  # min keeps the first of equal values, as add does
            self.add(min(values))

    def merge(self, partial: Any) -> None:
        self.add(partial)

    def value(self) -> Any:
        return self.best


@calculation("max")
class MaxAccumulator(Accumulator):
    __slots__ = ("best",)

    def reset(self) -> None:
        self.best: Any = None

    def add(self, value: Any) -> None:
        if value is not None and (self.best is None or value > self.best):
            self.best = value

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        if nulls:
            values = _present(values)
        if values:  # max keeps the first of equal values, as add does
            self.add(max(values))

    def merge(self, partial: Any) -> None:
        self.add(partial)

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


@calculation("variance")
class VarianceAccumulator(Accumulator):
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

    def value(self) -> Any:
        if self.n < 2:
            return None
        return self.m2 / (self.n - 1)


@calculation("stddev")
class StddevAccumulator(VarianceAccumulator):
    __slots__ = ()

    def value(self) -> Any:
        variance = super().value()
        if variance is None:
            return None
        return variance.sqrt() if isinstance(variance, Decimal) else math.sqrt(variance)


@calculation("median")
class MedianAccumulator(Accumulator):
    __slots__ = ("values",)

    def reset(self) -> None:
        self.values: list[Any] = []

    def add(self, value: Any) -> None:
        if value is not None:
            self.values.append(value)

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        self.values.extend(_present(values) if nulls else values)

    def value(self) -> Any:
        return statistics.median(self.values) if self.values else None


def has_null(values: Sequence[Any]) -> bool:
    """True when one of ``values`` is None (by identity: ``None in values`` asks each Decimal's __eq__, 50× slower)."""
    return any(map(is_, values, repeat(None)))


def _present(values: Sequence[Any]) -> Sequence[Any]:
    """The values that are not None (the sequence itself when there is none)."""
    if not has_null(values):
        return values
    return [value for value in values if value is not None]


class PageTotals:
    """Totals of page keys over the band instances the layout placed on one page.

    ``calculations`` maps page keys to calculation names (``CompiledReport.page_keys``);
    feed each instance's ``page_values`` with ``add`` and read ``values()`` for
    ``PageRef.render``; ``reset()`` at every new page.
    """

    def __init__(self, calculations: Mapping[str, str]) -> None:
        self._accumulators = {key: make_accumulator(calc) for key, calc in calculations.items()}

    def add(self, page_values: Mapping[str, list[Any]]) -> None:
        """Add the contributions one band instance carries."""
        for key, values in page_values.items():
            accumulator = self._accumulators[key]
            for value in values:
                accumulator.add(value)

    def values(self) -> dict[str, Any]:
        """The current total of every page key."""
        return {key: acc.value() for key, acc in self._accumulators.items()}

    def reset(self) -> None:
        """Start a new page."""
        for accumulator in self._accumulators.values():
            accumulator.reset()
