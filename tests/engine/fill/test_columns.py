"""The fill of a report that prints no row, from column chunks: the same band instances as row by row."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.calc import CALCULATIONS
from engine.data import FieldInfo, OrderKey, RowStream, open_rows
from engine.data.stream import Columns
from engine.errors import EvaluationError
from engine.fill import compile_report, element_text, fill_report, used_fields
from engine.fill.filler import ReportFiller
from engine.model import Report, SqlSource

NAMES = ("region", "product", "amount", "qty", "ratio")


def _box(expression: str, x: int = 0) -> dict[str, Any]:
    return {
        "type": "expression",
        "x": x,
        "y": 0,
        "width": 40,
        "height": 10,
        "expression": expression,
    }


def _report() -> Report:
    """Two group levels; every calculation, reset and running flag, printed before and after its scope ends."""
    variables = []
    for calc in CALCULATIONS:
        for field in ("amount", "qty", "ratio"):
            if calc in ("sum", "average", "stddev", "variance", "median") or field == "amount":
                variables.append(
                    {"name": f"{calc}_{field}", "expression": field, "calculation": calc}
                )
        variables.append(
            {
                "name": f"{calc}_g",
                "expression": "amount",
                "calculation": calc,
                "reset": "group",
                "reset_group": "product",
            }
        )
        variables.append(
            {"name": f"{calc}_run", "expression": "qty", "calculation": calc, "running": True}
        )
    shown = [_box(f"vars.{v['name']}", 40 * i) for i, v in enumerate(variables)]
    count = {
        "type": "expression",
        "x": 0,
        "y": 0,
        "width": 40,
        "height": 10,
        "expression": "str(row_number) + '/' + str(group_row_number)",
    }
    data = {
        "format": "ashr", "version": 1, "name": "columns",
        "groups": [{"name": "region", "expression": "region"}, {"name": "product", "expression": "product"}],
        "variables": variables,
        "bands": [
            {"type": "title", "height": 10, "elements": [_box("coalesce(region, '-')"), *shown]},
            {"type": "group_header", "group": "region", "height": 10, "elements": [_box("region"), count, *shown]},
            {"type": "group_header", "group": "product", "height": 10, "elements": [_box("product"), *shown]},
            {"type": "group_footer", "group": "product", "height": 10, "elements": [_box("product"), count, *shown]},
            {"type": "group_footer", "group": "region", "height": 10, "print_when": "vars.count_g >= 0", "elements": [
                _box("region"), {"type": "aggregate", "x": 0, "y": 0, "width": 60, "height": 10, "calculation": "max", "expression": "amount", "scope": "group:region"}]},
            {"type": "summary", "height": 10, "elements": [count, *shown]},
        ],
    }  # fmt: skip
    return Report.model_validate(data)


REPORT = _report()


def _texts(instances: Any) -> list[tuple[Any, ...]]:
    return [
        (b.band_type, b.group, b.row_number, b.group_keys, [(v.element_index, element_text(v)) for v in b.elements])
        for b in list(instances)
    ]  # fmt: skip


def _stream(rows: list[dict[str, Any]], size: int) -> RowStream:
    """A RowStream handing `rows` on as Columns chunks of `size` rows."""
    fields = [FieldInfo(name, "string") for name in NAMES]
    chunks = (Columns.from_rows(NAMES, rows[i : i + size]) for i in range(0, len(rows), size))
    return RowStream(fields, chunks)


def _by_rows(report: Report, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return _texts(fill_report(report, iter(rows)))  # a plain iterator: the row-by-row fill


ROW = st.fixed_dictionaries(
    {
        "region": st.sampled_from([None, "N", "S"]),
        "product": st.sampled_from([None, "a", "b"]),
        "amount": st.one_of(st.none(), st.decimals(-1000, 1000, places=2)),
        "qty": st.one_of(st.none(), st.integers(-50, 50)),
        "ratio": st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
    }
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=1, max_size=40), st.integers(1, 9), st.booleans())
def test_column_chunks_print_exactly_what_the_rows_print(rows, size, ordered) -> None:
    if ordered:  # as the source sorts them (null first); unordered rows give more group instances
        rows = sorted(
            rows, key=lambda r: [(r[k] is not None, r[k] or "") for k in ("region", "product")]
        )
    compiled = compile_report(REPORT)
    assert ReportFiller(compiled, {})._by_columns()
    assert _texts(fill_report(compiled, _stream(rows, size))) == _by_rows(REPORT, rows)


def test_an_empty_source_prints_no_data_from_columns_too() -> None:
    data = REPORT.model_dump(mode="json", exclude_none=True)
    data["bands"].append({"type": "no_data", "height": 10, "elements": [_box("'nothing'")]})
    report = Report.model_validate(data)
    got = _texts(fill_report(report, _stream([], 3)))
    assert got == _by_rows(report, []) == [("no_data", None, None, (), [(0, "nothing")])]


def test_reports_that_print_rows_or_filter_fill_row_by_row() -> None:
    data = REPORT.model_dump(mode="json", exclude_none=True)
    assert ReportFiller(compile_report(REPORT), {})._by_columns()
    with_detail = {
        **data,
        "bands": [*data["bands"], {"type": "detail", "height": 10, "elements": [_box("amount")]}],
    }
    filtered = {**data, "filter": "amount > 0"}
    computed = {
        **data,
        "variables": [
            *data["variables"],
            {"name": "double", "expression": "amount * 2", "calculation": "sum"},
        ],
    }
    for variant in (with_detail, filtered, computed):
        assert not ReportFiller(compile_report(Report.model_validate(variant)), {})._by_columns()
    rows = [
        {"region": "N", "product": "a", "amount": Decimal(i), "qty": i, "ratio": None}
        for i in range(7)
    ]
    report = Report.model_validate(with_detail)
    assert _texts(fill_report(report, _stream(rows, 3))) == _by_rows(report, rows)


def test_a_value_a_variable_cannot_take_is_named_as_row_by_row() -> None:
    # a JSON source can mix kinds in one field: max cannot compare a number with text
    rows = [
        {"region": "N", "product": "a", "amount": v, "qty": 1, "ratio": None}
        for v in (1, 2, "x", 3)
    ]
    with pytest.raises(EvaluationError) as by_rows:
        _by_rows(REPORT, rows)
    with pytest.raises(EvaluationError) as by_columns:
        list(fill_report(REPORT, _stream(rows, 10)))
    assert str(by_columns.value) == str(by_rows.value)
    assert "amount" in str(by_columns.value)


@pytest.fixture(scope="module")
def sales(tmp_path_factory) -> Path:
    """An SQLite table of 30,000 sales with NULLs in a group field and in the amount (decimal text)."""
    path = tmp_path_factory.mktemp("columns") / "sales.sqlite"
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT, product TEXT, amount TEXT, note TEXT)"
    )
    con.executemany(
        "INSERT INTO sales VALUES (?, ?, ?, ?, ?)",
        (
            (i, None if i % 97 == 0 else f"R{i % 5}", f"P{i % 13}", None if i % 31 == 0 else f"{(i * 37) % 1000}.{i % 100:02d}", "n" * (i % 7))
            for i in range(1, 30_001)
        ),
    )  # fmt: skip
    con.commit()
    con.close()
    return path


def _summary(path: Path) -> Report:
    return Report.model_validate({
        "format": "ashr", "version": 1, "name": "summary",
        "data_source": {"kind": "sql", "url": f"sqlite:///{path}", "table": "sales", "fields": [
            {"name": "amount", "type": "decimal"}, {"name": "note", "type": "string"}]},
        "groups": [{"name": "region", "expression": "region"}, {"name": "product", "expression": "product"}],
        "variables": [
            {"name": "total", "expression": "amount", "calculation": "sum", "reset": "group", "reset_group": "region"},
            {"name": "n", "expression": "amount", "calculation": "count", "reset": "group", "reset_group": "region"},
            {"name": "mean", "expression": "amount", "calculation": "average"},
        ],
        "bands": [
            {"type": "group_footer", "group": "region", "height": 10, "elements": [
                _box("coalesce(region, '-')"), _box("str(vars.total)", 40), _box("str(vars.n)", 80)]},
            {"type": "summary", "height": 10, "elements": [_box("str(vars.mean)")]},
        ],
    })  # fmt: skip


def test_sqlite_columns_read_only_the_used_fields_and_give_the_sql_totals(sales: Path) -> None:
    report = _summary(sales)
    assert used_fields(report) == {"region", "product", "amount"}
    keys = (OrderKey("region"), OrderKey("product"))
    source = report.data_source
    assert isinstance(source, SqlSource)
    with open_rows(
        source, order_by=keys, columns=used_fields(report), base_dir=sales.parent
    ) as stream:
        assert [f.name for f in stream.fields] == ["region", "product", "amount"]
        printed = [[element_text(v) for v in b.elements] for b in fill_report(report, stream)]
    # the truth: SQL picks the rows, Python adds the decimal text exactly
    con = sqlite3.connect(sales)
    regions = [
        r
        for (r,) in con.execute(
            "SELECT DISTINCT coalesce(region, '-') FROM sales ORDER BY region IS NOT NULL, region"
        )
    ]
    amounts = con.execute(
        "SELECT coalesce(region, '-'), amount FROM sales WHERE amount IS NOT NULL"
    ).fetchall()
    con.close()
    by_region: dict[str, list[Decimal]] = {r: [] for r in regions}
    for region, amount in amounts:
        by_region[region].append(Decimal(amount))
    expected = [[r, str(sum(by_region[r], Decimal(0))), str(len(by_region[r]))] for r in regions]
    everything = [a for r in regions for a in by_region[r]]
    assert printed[:-1] == expected
    assert len(printed[:-1]) == 6
    assert Decimal(printed[-1][0]) == sum(everything, Decimal(0)) / len(everything)


def test_unknown_or_all_columns_read_every_field(sales: Path) -> None:
    source = _summary(sales).data_source
    assert isinstance(source, SqlSource)
    every = ["id", "region", "product", "amount", "note"]
    for columns in (None, {"region", "missing"}, set(every)):
        with open_rows(source, columns=columns, base_dir=sales.parent) as stream:
            assert [f.name for f in stream.fields] == every
