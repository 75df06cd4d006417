"""The calculation registry: a calculation name in, an accumulator class (add, add_many, merge, partial, value, SQL partial) out.

The names are the model's ``Calculation`` literal, each registered by one class in
``engine.calc.calculations``. An accumulator takes values one by one (``add``) or as a run
(``add_many``, the column path; it gives exactly what adding them one by one gives),
reports with ``value`` and starts over with ``reset``. ``partial`` is its result over the
rows it took in a form ``merge`` takes back: merging the partials of consecutive runs of
rows (chunks, workers) gives what adding their values one by one gives (sums of floats,
variance and stddev: up to rounding, as the additions are grouped differently).

``sql`` names the SQL aggregates whose values, in that order, are the calculation's
partial over a group of rows (average: SUM and COUNT). Only a calculation the database
computes exactly as the fill would has one; ``engine.data.aggregate`` says them in a
database's dialect and refuses what a database cannot do identically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from operator import is_
from typing import Any, ClassVar

from engine.model.elements import Calculation

#: calculation name → accumulator class, filled by @calculation
CALCULATIONS: dict[str, type[Accumulator]] = {}


def calculation(name: Calculation) -> Callable[[type[Accumulator]], type[Accumulator]]:
    """Register an accumulator class under a calculation name of the model."""

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

    #: the SQL aggregates of the partial (see the module docstring)
    sql: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        raise NotImplementedError

    def add(self, value: Any) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def partial(self) -> Any:
        """The result so far in the form ``merge`` takes."""
        return self.value()

    def merge(self, partial: Any) -> None:
        """Take the partial result of a run of rows (see the module docstring)."""
        self.add(partial)

    def add_many(self, values: Sequence[Any], nulls: bool = True) -> None:
        """``add`` each of ``values`` in order; ``nulls`` False promises that none is None."""
        add = self.add
        for value in values:
            add(value)


def has_null(values: Sequence[Any]) -> bool:
    """True when one of ``values`` is None (by identity: ``None in values`` asks each Decimal's __eq__, 50× slower)."""
    return any(map(is_, values, repeat(None)))


def present(values: Sequence[Any]) -> Sequence[Any]:
    """The values that are not None (the sequence itself when there is none)."""
    if not has_null(values):
        return values
    return [value for value in values if value is not None]


class Totals:
    """One accumulator per key: values added by key, every key's value read at once, all reset together.

    ``calculations`` maps keys to calculation names (the fill's page keys:
    ``CompiledReport.page_keys``; the layout feeds each band instance's ``page_values``
    and reads the totals of one page).
    """

    def __init__(self, calculations: Mapping[str, str]) -> None:
        self._accumulators = {key: make_accumulator(calc) for key, calc in calculations.items()}

    def add(self, values: Mapping[str, Sequence[Any]]) -> None:
        """Add the values each key takes."""
        for key, run in values.items():
            self._accumulators[key].add_many(run)

    def values(self) -> dict[str, Any]:
        """The current total of every key."""
        return {key: acc.value() for key, acc in self._accumulators.items()}

    def reset(self) -> None:
        """Start over (a new page)."""
        for accumulator in self._accumulators.values():
            accumulator.reset()
