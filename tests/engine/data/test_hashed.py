"""engine.data.hashed: several groupings from one hashed scan of an SQLite file — the same rows as the database's GROUP BY, or None."""

from __future__ import annotations

import shutil
import sqlite3
import sysconfig
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.data import OrderKey, hashed
from engine.data.aggregate import AggregationUnavailable, open_grouped
from engine.model import SqlSource

AGGREGATES = [
    ("s", "SUM", "amount"), ("n", "COUNT", "amount"), ("lo", "MIN", "amount"),
    ("hi", "MAX", "amount"), ("q", "SUM", "qty"), ("qmax", "MAX", "qty"), ("r", "SUM", "ratio"),
]  # fmt: skip
GRAINS = [("region",), ("region", "qty"), ("qty",), ()]


def test_the_extension_is_built_where_there_is_a_compiler():
    if not (shutil.which(sysconfig.get_config_var("CC").split()[0] or "cc") or shutil.which("gcc")):
        pytest.skip("no C compiler on this machine: the extension is optional")
    assert hashed.available(), "setup.py builds engine.data._hashscan with the machine's compiler"


pytestmark = pytest.mark.skipif(not hashed.available(), reason="engine.data._hashscan not built")


def _source(path: Path, **keys: Any) -> SqlSource:
    return SqlSource.model_validate({"kind": "sql", "url": f"sqlite:///{path}", **keys})


def _write(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sales (region TEXT, qty INTEGER, amount NUMERIC(12,3), ratio REAL)")
    conn.executemany("INSERT INTO sales VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return path


def _database(source: SqlSource, grain: tuple[str, ...]) -> list[dict[str, Any]]:
    """The same grouping by the database's GROUP BY (engine.data.aggregate), the reference."""
    with open_grouped(
        source, params={}, base_dir=None, url=None,
        groups=[OrderKey(name) for name in grain], aggregates=AGGREGATES,
    ) as stream:  # fmt: skip
        return [dict(row) for row in stream]


def _same(found: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    # float sums (r) are added in another order than the database's sort leaves the rows in
    exact = [{k: v for k, v in row.items() if k != "r"} for row in found]
    assert exact == [{k: v for k, v in row.items() if k != "r"} for row in expected]
    assert [row["r"] for row in found] == pytest.approx([row["r"] for row in expected])
    # a decimal sum has the exponent the database path (and Python's sum) gives it
    assert [str(row["s"]) for row in found] == [str(row["s"]) for row in expected]


amounts = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.integers(-(10**7), 10**7).map(
        lambda c: f"{Decimal(c) / 1000}"
    ),  # up to 3 decimals, stored REAL
)
rows = st.lists(
    st.tuples(
        st.sampled_from(["N", "S", "É", None]),
        st.one_of(st.none(), st.integers(0, 4)),
        amounts,
        st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
    ),
    max_size=60,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=rows)
def test_every_grouping_equals_the_databases_group_by(tmp_path_factory, data):
    path = _write(tmp_path_factory.mktemp("h") / "s.sqlite", data)
    source = _source(path, table="sales")
    found = hashed.grouped_many(
        source, params={}, base_dir=None, url=None, grains=GRAINS, aggregates=AGGREGATES
    )
    assert found is not None
    for grain, rows_found in zip(GRAINS, found, strict=True):
        expected = _database(source, grain)
        if grain == ():  # the database gives no row for no rows; the scan, no group either
            expected = [row for row in expected if data]
        _same(rows_found, expected)


def test_a_big_table_is_scanned_in_rowid_ranges_on_threads_and_merged(tmp_path, monkeypatch):
    from engine.data import split

    monkeypatch.setattr(split, "MIN_ROWS", 10)
    monkeypatch.setattr(hashed, "worker_count", lambda: 3)  # three ranges, three threads
    data = [
        (["N", "S", None][i % 3], i % 5, f"{i % 997}.{i % 100:02d}", i / 7) for i in range(3000)
    ]
    source = _source(_write(tmp_path / "s.sqlite", data), table="sales")
    found = hashed.grouped_many(
        source, params={}, base_dir=None, url=None, grains=GRAINS, aggregates=AGGREGATES
    )
    assert found is not None
    for grain, rows_found in zip(GRAINS, found, strict=True):
        expected = _database(source, grain)
        assert [r["n"] for r in rows_found] == [r["n"] for r in expected]
        assert [r["s"] for r in rows_found] == [r["s"] for r in expected]
        assert [r["hi"] for r in rows_found] == [r["hi"] for r in expected]
        assert [r["r"] for r in rows_found] == pytest.approx([r["r"] for r in expected])
    # the truth once more, summed by SQLite in cents
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    cents = dict(
        conn.execute(
            "SELECT region, SUM(CAST(round(amount * 100) AS INTEGER)) FROM sales GROUP BY region"
        )
    )
    conn.close()
    assert {r["region"]: int(r["s"] * 100) for r in found[0]} == cents


def test_a_query_source_with_parameters(tmp_path):
    path = _write(
        tmp_path / "s.sqlite", [("N", 1, 2.5, 0.0), ("N", 2, 1.25, 0.0), ("S", 3, 4, 0.0)]
    )
    source = _source(path, query="SELECT * FROM sales WHERE qty >= :least")
    found = hashed.grouped_many(
        source, params={"least": 2}, base_dir=None, url=None, grains=[("region",)],
        aggregates=[("s", "SUM", "amount"), ("n", "COUNT", "qty")],
    )  # fmt: skip
    assert found == [
        [{"region": "N", "s": Decimal("1.25"), "n": 1}, {"region": "S", "s": Decimal("4"), "n": 1}]
    ]


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(("N", 1, "12x", 0.0), id="text among decimals"),
        pytest.param(("N", 1, 0.1234567, 0.0), id="more than 6 decimals"),
        pytest.param(("N", 1, 2e9, 0.0), id="too big to sum in millionths"),
    ],
)
def test_values_it_cannot_sum_exactly_are_refused_as_the_database_path_refuses_them(tmp_path, bad):
    source = _source(_write(tmp_path / "s.sqlite", [("N", 1, 1.5, 0.0), bad]), table="sales")
    with pytest.raises(AggregationUnavailable):
        hashed.grouped_many(
            source, params={}, base_dir=None, url=None, grains=[("region",)],
            aggregates=[("s", "SUM", "amount")],
        )  # fmt: skip
    with pytest.raises(AggregationUnavailable):
        _database(source, ("region",))


def test_an_integer_sum_that_overflows_is_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    conn.execute("CREATE TABLE t (k TEXT, v INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [("a", 2**62), ("a", 2**62), ("a", 2**62)])
    conn.commit()
    conn.close()
    source = _source(tmp_path / "s.sqlite", table="t")
    with pytest.raises(AggregationUnavailable):
        hashed.grouped_many(
            source, params={}, base_dir=None, url=None, grains=[("k",)],
            aggregates=[("s", "SUM", "v")],
        )  # fmt: skip


def test_what_it_does_not_compute_is_left_to_the_database(tmp_path):
    source = _source(_write(tmp_path / "s.sqlite", [("N", 1, 1.5, 0.0)]), table="sales")

    def grouped(aggregates: list[tuple[str, str, str]], max_groups: int = 10) -> Any:
        return hashed.grouped_many(
            source, params={}, base_dir=None, url=None, grains=[("qty",)],
            aggregates=aggregates, max_groups=max_groups,
        )  # fmt: skip

    assert grouped([("m", "MIN", "region")]) is None  # MIN of text follows a collation
    assert grouped([("n", "COUNT", "qty")], max_groups=0) is None  # more groups than allowed
    assert grouped([("n", "COUNT", "qty")]) == [[{"qty": 1, "n": 1}]]
