"""engine.calc: every calculation adds one by one, adds runs and merges partials to the same value; the registry is the model's list."""

from __future__ import annotations

import math
from decimal import Decimal
from itertools import pairwise
from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.calc import CALCULATIONS, OVER_ROWS, Totals, make_accumulator
from engine.model import Chart
from engine.model.elements import Calculation

#: values of one type, with nulls among them
VALUES = st.one_of(
    st.lists(st.none() | st.integers(-(10**6), 10**6), max_size=30),
    st.lists(st.none() | st.decimals(-(10**6), 10**6, places=3), max_size=30),
    st.lists(st.none() | st.floats(-1e3, 1e3), max_size=30),
)
#: merges of floats, and the variance's pairwise merge, equal adding up to rounding
ROUNDED = frozenset({"stddev", "variance"})


def _same(got: Any, want: Any, exact: bool) -> None:
    if exact:
        assert (got, str(got)) == (want, str(want))  # a Decimal's exponent too
    elif want is None:
        assert got is None
    else:
        assert math.isclose(float(got), float(want), rel_tol=1e-9, abs_tol=1e-9)


def test_the_registry_is_the_models_list() -> None:
    assert list(CALCULATIONS) == list(get_args(Calculation))
    assert set(get_args(Chart.model_fields["calculation"].annotation)) <= set(CALCULATIONS)


def test_sql_partials_and_the_calculations_computing_them() -> None:
    pushed = {name: cls.sql for name, cls in CALCULATIONS.items() if cls.sql}
    assert pushed == {
        "sum": ("SUM",), "count": ("COUNT",), "average": ("SUM", "COUNT"),
        "min": ("MIN",), "max": ("MAX",),
    }  # fmt: skip
    assert OVER_ROWS == {"SUM": "sum", "COUNT": "count", "MIN": "min", "MAX": "max"}


@settings(max_examples=150, deadline=None)
@given(VALUES, st.lists(st.integers(0, 30), max_size=4))
def test_runs_and_merged_partials_equal_adding_one_by_one(
    values: list[Any], cuts: list[int]
) -> None:
    bounds = [0, *sorted(min(cut, len(values)) for cut in cuts), len(values)]
    runs = [values[a:b] for a, b in pairwise(bounds)]
    floats = any(isinstance(v, float) for v in values)
    for name in CALCULATIONS:
        added, many, merged = (make_accumulator(name) for _ in range(3))
        for value in values:
            added.add(value)
        for run in runs:
            many.add_many(run)
            part = make_accumulator(name)
            part.add_many([v for v in run if v is not None], nulls=False)
            merged.merge(part.partial())
        _same(many.value(), added.value(), exact=True)
        _same(merged.value(), added.value(), exact=not floats and name not in ROUNDED)
        again = make_accumulator(name)
        again.merge(added.partial())
        _same(again.value(), added.value(), exact=True)


@pytest.mark.parametrize(
    ("name", "empty"), [(n, 0 if n in ("count", "distinct_count") else None) for n in CALCULATIONS]
)
def test_empty_and_null_scopes(name: str, empty: Any) -> None:
    acc = make_accumulator(name)
    assert acc.value() == empty
    acc.add_many([None, None])
    acc.merge(make_accumulator(name).partial())
    assert acc.value() == empty


def test_average_stddev_and_median_of_decimals() -> None:
    values = [Decimal("1.10"), Decimal("2.20"), None, Decimal("4.40")]
    got = {}
    for name in ("average", "stddev", "median"):
        acc = make_accumulator(name)
        acc.add_many(values)
        got[name] = acc.value()
    assert got["average"] == Decimal("2.566666666666666666666666667")
    assert got["median"] == Decimal("2.20")
    assert isinstance(got["stddev"], Decimal)
    average = make_accumulator("average")
    average.add_many([1, 2])
    assert average.value() == Decimal("1.5")  # int / int is a Decimal, as in expressions


def test_totals_add_read_and_reset_together() -> None:
    totals = Totals({"a": "sum", "b": "count"})
    totals.add({"a": [Decimal("1.5"), None], "b": [None, "x"]})
    totals.add({"a": [2]})
    assert totals.values() == {"a": Decimal("3.5"), "b": 1}
    totals.reset()
    assert totals.values() == {"a": None, "b": 0}
