"""engine.data.aggregate: group fields and partial aggregates → one row per group from the database, exact."""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.calc import CALCULATIONS, make_accumulator
from engine.data import OrderKey, open_rows
from engine.data.aggregate import AggregationUnavailable, open_grouped
from engine.model import SqlSource

# every test groups SQLite through both connections (Python's sqlite3 and SQLAlchemy), and
# with sqlite3 also as rowid ranges grouped at once (engine.data.split) on tables of any size
pytestmark = pytest.mark.usefixtures("sqlite_driver", "split_tables")


@pytest.fixture(params=[False, True], ids=["one-statement", "split"])
def split_tables(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    from engine.data import split

    monkeypatch.setattr(split, "MIN_ROWS", 2 if request.param else 10**12)
    monkeypatch.setattr(split, "worker_count", lambda: 3)
    return bool(request.param)


def _sql(url: str, **keys: Any) -> SqlSource:
    return SqlSource.model_validate({"kind": "sql", "url": url, **keys})


@pytest.fixture
def sales(tmp_path: Path) -> Path:
    """5,000 sales with NULLs in a group field and in the amount; amounts with up to 3 decimals."""
    path = tmp_path / "sales.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT, product TEXT, "
        "qty INTEGER, amount NUMERIC(12,3), ratio REAL)"
    )
    rnd = random.Random(3)
    rows = []
    for i in range(5000):
        cents = rnd.randrange(-5000, 1_000_000)
        amount = None if i % 41 == 0 else f"{cents / 1000:.3f}".rstrip("0")
        rows.append(
            (i, rnd.choice(["N", "S", None]), rnd.choice(["a", "b", "c"]),
             rnd.randrange(0, 9) if i % 7 else None, amount, rnd.random())
        )  # fmt: skip
    conn.executemany("INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return path


def _python_groups(path: Path, keys: list[str]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Per-group totals computed in Python from the rows engine.data reads (the fill's view)."""
    out: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(
        lambda: {"sum": None, "n": 0, "rows": 0, "qty": None, "min": None, "max": None}
    )
    with open_rows(_sql(f"sqlite:///{path}", table="sales")) as rows:
        for row in rows:
            group = out[tuple(row[k] for k in keys)]
            group["rows"] += 1
            amount = row["amount"]
            if amount is not None:
                group["sum"] = amount if group["sum"] is None else group["sum"] + amount
                group["n"] += 1
                group["min"] = amount if group["min"] is None else min(group["min"], amount)
                group["max"] = amount if group["max"] is None else max(group["max"], amount)
            if row["qty"] is not None:
                group["qty"] = row["qty"] + (group["qty"] or 0)
    return out


AGGREGATES = [
    ("s", "SUM", "amount"),
    ("n", "COUNT", "amount"),
    ("lo", "MIN", "amount"),
    ("hi", "MAX", "amount"),
    ("q", "SUM", "qty"),
]


def test_groups_match_python_totals_exactly(sales: Path) -> None:
    expected = _python_groups(sales, ["region", "product"])
    with open_grouped(
        _sql(f"sqlite:///{sales}", table="sales"), params={}, base_dir=None, url=None,
        groups=[OrderKey("region"), OrderKey("product", descending=True)],
        aggregates=AGGREGATES, rows_alias="rows",
    ) as stream:  # fmt: skip
        got = list(stream)
        assert [f.name for f in stream.source_fields][:3] == ["id", "region", "product"]
    keys = [(row["region"], row["product"]) for row in got]
    # nulls first, then ascending regions; products descending inside each region
    assert keys == [(r, p) for r in (None, "N", "S") for p in ("c", "b", "a")]
    assert set(keys) == set(expected)
    for row in got:
        want = expected[(row["region"], row["product"])]
        assert row["s"] == want["sum"] and str(row["s"]) == str(want["sum"])  # exponent too
        assert isinstance(row["s"], Decimal)
        assert (row["n"], row["rows"], row["q"]) == (want["n"], want["rows"], want["qty"])
        assert (row["lo"], row["hi"]) == (want["min"], want["max"])


def test_decimal_sum_is_exact_to_the_cent(sales: Path) -> None:
    conn = sqlite3.connect(sales)
    texts = [t for (t,) in conn.execute("SELECT CAST(amount AS TEXT) FROM sales") if t]
    conn.close()
    independent = sum(Decimal(t) for t in texts)
    with open_grouped(
        _sql(f"sqlite:///{sales}", table="sales"), params={}, base_dir=None, url=None,
        groups=[], aggregates=[("s", "SUM", "amount")],
    ) as stream:  # fmt: skip
        (row,) = list(stream)
    assert row["s"] == independent
    (float_sum,) = sqlite3.connect(sales).execute("SELECT SUM(amount) FROM sales").fetchone()
    assert isinstance(float_sum, float)  # SQLite's own SUM: a float, which we do not use


def test_no_groups_and_no_rows_gives_no_row(sales: Path) -> None:
    source = _sql(f"sqlite:///{sales}", query="SELECT * FROM sales WHERE id < 0")
    with open_grouped(
        source, params={}, base_dir=None, url=None, groups=[], aggregates=AGGREGATES
    ) as stream:
        assert list(stream) == []


def test_query_parameters_are_bound(sales: Path) -> None:
    source = _sql(f"sqlite:///{sales}", query="SELECT * FROM sales WHERE id < :last")
    with open_grouped(
        source, params={"last": 100}, base_dir=None, url=None, groups=[OrderKey("region")],
        aggregates=[("n", "COUNT", "id")], rows_alias="rows",
    ) as stream:  # fmt: skip
        assert sum(row["rows"] for row in stream) == 100


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (1.0000001, "seven decimals"),
        (2e9, "too large"),
        ("abc", "text in a numeric column"),
    ],
)
def test_a_value_that_cannot_be_summed_exactly_is_refused(
    tmp_path: Path, value: Any, why: str
) -> None:
    path = tmp_path / "odd.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (g TEXT, amount DECIMAL(20,8))")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [("a", 1.5), ("b", value), ("c", 2)])
    conn.commit()
    conn.close()
    with pytest.raises(AggregationUnavailable):
        open_grouped(
            _sql(f"sqlite:///{path}", table="t"), params={}, base_dir=None, url=None,
            groups=[OrderKey("g")], aggregates=[("s", "SUM", "amount")],
        )  # fmt: skip


def test_integer_overflow_is_unavailable_not_wrong(tmp_path: Path) -> None:
    path = tmp_path / "big.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (amount INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(2**62,), (2**62,), (2**62,)])
    conn.commit()
    conn.close()
    with pytest.raises(AggregationUnavailable, match="overflow"):
        open_grouped(
            _sql(f"sqlite:///{path}", table="t"), params={}, base_dir=None, url=None,
            groups=[], aggregates=[("s", "SUM", "amount")],
        )  # fmt: skip


def test_sum_of_text_and_missing_fields_are_unavailable(sales: Path) -> None:
    source = _sql(f"sqlite:///{sales}", table="sales")
    for aggregates in ([("s", "SUM", "region")], [("s", "SUM", "nope")]):
        with pytest.raises(AggregationUnavailable):
            open_grouped(
                source, params={}, base_dir=None, url=None, groups=[], aggregates=aggregates
            )


def test_aliases_must_be_generated_identifiers(sales: Path) -> None:
    source = _sql(f"sqlite:///{sales}", table="sales")
    with pytest.raises(ValueError, match="alias"):
        open_grouped(
            source, params={}, base_dir=None, url=None, groups=[],
            aggregates=[('x" FROM sales; --', "SUM", "qty")],
        )  # fmt: skip


def test_quoted_field_names(tmp_path: Path) -> None:
    path = tmp_path / "odd_names.sqlite"
    conn = sqlite3.connect(path)
    conn.execute('CREATE TABLE t ("Bill: Country" TEXT, "Unit ""Price""" NUMERIC(9,2))')
    conn.executemany("INSERT INTO t VALUES (?, ?)", [("x", 1.25), ("x", 2.5), ("y", None)])
    conn.commit()
    conn.close()
    with open_grouped(
        _sql(f"sqlite:///{path}", table="t"), params={}, base_dir=None, url=None,
        groups=[OrderKey("Bill: Country")], aggregates=[("s", "SUM", 'Unit "Price"')],
    ) as stream:  # fmt: skip
        assert list(stream) == [
            {"Bill: Country": "x", "s": Decimal("3.75")},
            {"Bill: Country": "y", "s": None},
        ]


def test_csv_sources_are_unavailable(tmp_path: Path) -> None:
    from engine.model import CsvSource

    with pytest.raises(AggregationUnavailable):
        open_grouped(
            CsvSource(kind="csv", path="x.csv"), params={}, base_dir=tmp_path, url=None,
            groups=[], aggregates=[],
        )  # fmt: skip


def test_split_groups_keep_sqlites_order_of_mixed_keys(tmp_path: Path) -> None:
    # a column holding NULL, integers, reals and text groups and sorts as SQLite says (null
    # first, numbers, then text; descending reverses all but null), however the table is cut
    path = tmp_path / "mixed.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (k, v INTEGER)")
    keys = [None, 3, 1.5, "b", "a", 10, "B", None, 3, "a"] * 7
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(k, i) for i, k in enumerate(keys)])
    conn.commit()
    expected = conn.execute(
        "SELECT k, SUM(v), COUNT(*), MIN(v), MAX(v) FROM t GROUP BY k ORDER BY k DESC NULLS FIRST"
    ).fetchall()
    conn.close()
    with open_grouped(
        _sql(f"sqlite:///{path}", table="t"), params={}, base_dir=None, url=None,
        groups=[OrderKey("k", descending=True)],
        aggregates=[("s", "SUM", "v"), ("lo", "MIN", "v"), ("hi", "MAX", "v")], rows_alias="n",
        chunk_size=3,
    ) as stream:  # fmt: skip
        got = [(row["k"], row["s"], row["n"], row["lo"], row["hi"]) for row in stream]
    # the group field is typed as text by the sample (mixed values): compare as text
    assert [(None if k is None else str(k), *rest) for k, *rest in expected] == [
        (None if k is None else str(k), *rest) for k, *rest in got
    ]


PUSHED = [name for name, cls in CALCULATIONS.items() if cls.sql]
#: (group, value) rows of one field type: integers, or decimals of up to 3 places
GROUPED_ROWS = st.one_of(
    st.tuples(
        st.just("integer"),
        st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.none() | st.integers(-(10**6), 10**6)), max_size=25),
    ),
    st.tuples(
        st.just("decimal"),
        st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.none() | st.decimals(-(10**5), 10**5, places=3)), max_size=25),
    ),
)  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(GROUPED_ROWS, st.integers(1, 5))
def test_every_pushed_calculation_equals_adding_and_merging_partials(
    tmp_path_factory: pytest.TempPathFactory, typed_rows: tuple[str, list[Any]], run: int
) -> None:
    """Per group and over all groups: the registry adding the fill's values one by one, merging
    the partials of runs of ``run`` values, and merging the database's partials agree exactly."""
    kind, rows = typed_rows
    path = tmp_path_factory.mktemp("pushed") / "t.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (g TEXT, v NUMERIC(12,3))")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(g, None if v is None else str(v)) for g, v in rows])  # fmt: skip
    conn.commit()
    conn.close()
    source = _sql(f"sqlite:///{path}", table="t", fields=[{"name": "v", "type": kind}])
    with open_rows(source) as stream:
        values = [(row["g"], row["v"]) for row in stream]  # as the fill sees them
    for name in PUSHED:
        by_group: dict[Any, list[Any]] = defaultdict(list)
        for group, value in values:
            by_group[group].append(value)
        aliases = [f"a{i}" for i in range(len(CALCULATIONS[name].sql))]
        with open_grouped(
            source, params={}, base_dir=None, url=None, groups=[OrderKey("g")],
            aggregates=[(a, fn, "v") for a, fn in zip(aliases, CALCULATIONS[name].sql, strict=True)],
        ) as stream:  # fmt: skip
            partials = {row["g"]: itemgetter(*aliases)(row) for row in stream}
        assert set(partials) == set(by_group)
        grand = {way: make_accumulator(name) for way in ("added", "runs", "sql")}
        for group, run_values in by_group.items():
            added, runs, pushed = (make_accumulator(name) for _ in range(3))
            for value in run_values:
                added.add(value)
                grand["added"].add(value)
            for start in range(0, len(run_values), run):
                part = make_accumulator(name)
                part.add_many(run_values[start : start + run])
                runs.merge(part.partial())
                grand["runs"].merge(part.partial())
            pushed.merge(partials[group])
            grand["sql"].merge(partials[group])
            want = added.value()
            for got in (runs.value(), pushed.value()):
                assert (got, str(got)) == (want, str(want)), (name, group)
        want = grand["added"].value()
        for got in (grand["runs"].value(), grand["sql"].value()):
            assert (got, str(got)) == (want, str(want)), name
