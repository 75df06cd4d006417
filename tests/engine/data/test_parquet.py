"""Parquet files → typed rows: every Arrow type, nulls, row groups, columns read, order, declared fields, errors naming file, row and field."""

from __future__ import annotations

import datetime as dt
import random
import tracemalloc
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from engine.access import MB, raise_limits
from engine.data import FieldInfo, OrderKey, introspect_fields, open_rows
from engine.errors import DataSourceError
from engine.model import FieldDef, ParquetSource

UTC = dt.UTC
PARIS_WINTER = dt.timezone(dt.timedelta(hours=1))


def source(path, fields=None) -> ParquetSource:
    declared = None if fields is None else tuple(FieldDef(name=n, type=t) for n, t in fields)
    return ParquetSource(kind="parquet", path=str(path), fields=declared)


def every_type() -> pa.Table:
    """One column of every kind a report prints, each with a null in row 2."""
    return pa.table(
        {
            "i8": pa.array([-5, None, 7], pa.int8()),
            "u64": pa.array([2**64 - 1, None, 0], pa.uint64()),
            "f32": pa.array([0.5, None, -2.25], pa.float32()),
            "f64": pa.array([1.1, None, 1e300], pa.float64()),
            "f16": pa.array([1.5, None, 2.0], pa.float16()),
            "dec": pa.array([Decimal("12.50"), None, Decimal("-0.01")], pa.decimal128(9, 2)),
            "big": pa.array([Decimal("1" * 70), None, Decimal(0)], pa.decimal256(76, 0)),
            "text": pa.array(["Zoë", None, ""], pa.string()),
            "large": pa.array(["a", None, "b"], pa.large_string()),
            "flag": pa.array([True, None, False]),
            "day": pa.array([dt.date(2024, 1, 31), None, dt.date(1, 1, 1)], pa.date32()),
            "day64": pa.array([dt.date(2024, 2, 29), None, dt.date(9999, 12, 31)], pa.date64()),
            "naive": pa.array(
                [dt.datetime(2024, 1, 31, 14, 30, 5, 123456), None, dt.datetime(1970, 1, 1)],
                pa.timestamp("us"),
            ),
            "paris": pa.array(
                [
                    dt.datetime(2024, 1, 31, 9, 0, tzinfo=UTC),
                    None,
                    dt.datetime(2024, 7, 1, tzinfo=UTC),
                ],
                pa.timestamp("ms", tz="Europe/Paris"),
            ),
            "nanos": pa.array([1_700_000_000_123_456_789, None, 0], pa.timestamp("ns")),
            "blob": pa.array([b"\x00\xff", None, b""], pa.binary()),
            "fixed": pa.array([b"ab", None, b"cd"], pa.binary(2)),
            "clock": pa.array([dt.time(9, 30), None, dt.time(23, 59, 59, 500000)], pa.time64("us")),
            "category": pa.array(["x", None, "x"]).dictionary_encode(),
            "nothing": pa.array([None, None, None], pa.null()),
        }
    )


EVERY_TYPE_FIELDS = {
    "i8": "integer", "u64": "integer", "f32": "float", "f64": "float", "f16": "float",
    "dec": "decimal", "big": "decimal", "text": "string", "large": "string", "flag": "boolean",
    "day": "date", "day64": "date", "naive": "datetime", "paris": "datetime", "nanos": "datetime",
    "blob": "bytes", "fixed": "bytes", "clock": "string", "category": "string", "nothing": "string",
}  # fmt: skip


def test_every_type_reads_as_its_field_type_with_nulls_across_row_groups(tmp_path):
    path = tmp_path / "types.parquet"
    pq.write_table(every_type(), path, row_group_size=1)  # three row groups
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    with open_rows(source(path)) as rows:
        assert {f.name: f.type for f in rows.fields} == EVERY_TYPE_FIELDS
        assert rows.rows_total == 3 and rows.ordered
        first, second, third = rows
    assert first == {
        "i8": -5, "u64": 2**64 - 1, "f32": 0.5, "f64": 1.1, "f16": 1.5, "dec": Decimal("12.50"),
        "big": Decimal("1" * 70), "text": "Zoë", "large": "a", "flag": True,
        "day": dt.date(2024, 1, 31), "day64": dt.date(2024, 2, 29),
        "naive": dt.datetime(2024, 1, 31, 14, 30, 5, 123456),
        "paris": dt.datetime(2024, 1, 31, 10, 0, tzinfo=PARIS_WINTER),
        "nanos": dt.datetime(2023, 11, 14, 22, 13, 20, 123456),  # nanoseconds cut to micro
        "blob": b"\x00\xff", "fixed": b"ab", "clock": "09:30:00", "category": "x", "nothing": None,
    }  # fmt: skip
    assert set(second.values()) == {None}
    assert third["paris"] == dt.datetime(
        2024, 7, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )
    assert third["paris"].tzinfo == dt.timezone(dt.timedelta(hours=2))  # a fixed offset, as CSV
    assert (third["day"], third["day64"], third["clock"]) == (
        dt.date(1, 1, 1), dt.date(9999, 12, 31), "23:59:59.500000",
    )  # fmt: skip
    assert type(first["big"]) is Decimal and type(first["u64"]) is int


def test_fields_come_from_the_schema_without_reading_a_row(tmp_path):
    path = tmp_path / "types.parquet"
    pq.write_table(every_type(), path)
    assert introspect_fields(source(path)) == [
        FieldInfo(n, t) for n, t in EVERY_TYPE_FIELDS.items()
    ]


def numbers(count: int, seed: int = 7) -> pa.Table:
    rng = random.Random(seed)
    return pa.table(
        {
            "id": pa.array(range(count), pa.int64()),
            "region": pa.array(
                [rng.choice(["north", "south", None, "east"]) for _ in range(count)]
            ),
            "amount": pa.array(
                [Decimal(rng.randrange(-10_000, 100_000)) / 100 for _ in range(count)],
                pa.decimal128(12, 2),
            ),
            "code": pa.array([str(rng.randrange(1, 40)) for _ in range(count)]),
            "note": pa.array([f"row {n} " + "x" * (n % 50) for n in range(count)]),
        }
    )


def test_only_the_columns_asked_for_are_read(tmp_path):
    path = tmp_path / "n.parquet"
    pq.write_table(numbers(50), path)
    with open_rows(source(path), columns={"amount", "id"}) as rows:
        assert [f.name for f in rows.fields] == ["id", "amount"]  # in the file's order
        assert set(next(iter(rows))) == {"id", "amount"}
    with open_rows(
        source(path), columns={"amount", "missing"}
    ) as rows:  # not all there: every field
        assert [f.name for f in rows.fields] == ["id", "region", "amount", "code", "note"]


def test_order_by_sorts_stably_with_null_first_both_ways(tmp_path):
    table = numbers(3000)
    path = tmp_path / "n.parquet"
    pq.write_table(table, path, row_group_size=700)
    expected = table.to_pylist()
    # the spec's order, computed here: region descending (null first), then amount ascending
    expected.sort(key=lambda r: (r["amount"] is not None, r["amount"]))
    expected.sort(key=lambda r: (r["region"] is None, r["region"] or ""), reverse=True)
    keys = [OrderKey("region", descending=True), OrderKey("amount")]
    with open_rows(source(path), order_by=keys, chunk_size=256) as rows:
        assert rows.ordered
        got = list(rows)
    assert got == expected
    assert got[0]["region"] is None and got[-1]["region"] == "east"


def test_a_sort_key_of_a_declared_type_is_left_to_python(tmp_path):
    path = tmp_path / "n.parquet"
    pq.write_table(numbers(40), path)
    declared = source(path, fields=[("code", "integer")])
    with open_rows(declared, order_by=[OrderKey("code")]) as rows:
        # "10" < "9" as stored text: the file's order cannot be the typed one
        assert not rows.ordered
        assert all(type(row["code"]) is int for row in rows)
    with pytest.raises(DataSourceError, match="cannot sort by 'nope': no such field in"):
        open_rows(source(path), order_by=[OrderKey("nope")])


def test_declared_fields_convert_and_a_bad_value_names_row_and_field(tmp_path):
    path = tmp_path / "t.parquet"
    table = pa.table({"qty": ["1", "2", "three", "4"], "price": [1.25, 2.5, None, 4.0]})
    pq.write_table(table, path, row_group_size=2)
    ok = source(path, fields=[("price", "decimal")])
    with open_rows(ok) as rows:
        assert [r["price"] for r in rows] == [Decimal("1.25"), Decimal("2.5"), None, Decimal("4.0")]
    bad = source(path, fields=[("qty", "integer")])
    with pytest.raises(DataSourceError) as caught, open_rows(bad, chunk_size=2) as rows:
        list(rows)
    assert str(caught.value) == (
        f"{path} row 3, field 'qty' (integer): 'three' is not a whole number such as 42"
    )
    missing = source(path, fields=[("total", "decimal")])
    with pytest.raises(DataSourceError, match=r"field 'total' is declared .* columns: qty, price"):
        open_rows(missing)


def test_column_chunks_on_chunk_and_close(tmp_path):
    path = tmp_path / "n.parquet"
    table = numbers(12_000)
    pq.write_table(table, path, row_group_size=5000)
    seen: list[int] = []
    with open_rows(source(path), chunk_size=4000) as rows:
        rows.on_chunk = seen.append
        chunks = list(rows.column_chunks())
    assert sum(len(c) for c in chunks) == 12_000 and seen[-1] == 12_000
    assert chunks[0].names == ("id", "region", "amount", "code", "note")
    assert [v for c in chunks for v in c.columns[2]] == table.column("amount").to_pylist()
    rows = open_rows(source(path), chunk_size=1000)
    first = next(iter(rows))
    rows.close()  # stopped early: the file is let go
    assert first["id"] == 0 and rows.closed and rows.rows_read == 1000


def test_lists_structs_and_maps_read_as_json_text(tmp_path):
    path = tmp_path / "nested.parquet"
    table = pa.table(
        {
            "tags": [["a", "b"], [], None],
            "at": [{"x": 1, "day": dt.date(2024, 1, 2)}, {"x": None, "day": None}, None],
            "prices": pa.array([[("eur", 1)], [], None], pa.map_(pa.string(), pa.int64())),
        }
    )
    pq.write_table(table, path)
    with open_rows(source(path)) as rows:
        assert {f.name: f.type for f in rows.fields} == {"tags": "string", "at": "string", "prices": "string"}  # fmt: skip
        assert list(rows) == [
            {"tags": '["a", "b"]', "at": '{"day": "2024-01-02", "x": 1}', "prices": '[["eur", 1]]'},
            {"tags": "[]", "at": '{"day": null, "x": null}', "prices": "[]"},
            {"tags": None, "at": None, "prices": None},
        ]
    with open_rows(source(path), order_by=[OrderKey("tags")]) as rows:
        assert not rows.ordered  # Arrow cannot sort lists: Python sorts the text


def test_a_column_a_report_cannot_print_is_refused_only_when_it_is_read(tmp_path):
    path = tmp_path / "durations.parquet"
    table = pa.table({"id": [1, 2], "took": pa.array([1, 2], pa.duration("s"))})
    pq.write_table(table, path)
    with pytest.raises(DataSourceError) as caught:
        open_rows(source(path))
    assert str(caught.value).startswith(
        f"{path}: column 'took' holds duration[s] values, which a report cannot print"
    )
    with open_rows(source(path), columns={"id"}) as rows:
        assert list(rows) == [{"id": 1}, {"id": 2}]


@pytest.mark.parametrize(
    "column",
    [
        pa.array(["b", None, "a", "b"]).dictionary_encode(),
        pa.array([1.5, None, 0.5, 1.5], pa.float16()),
        pa.array(["b", None, "a", "b"], pa.string_view()),
    ],
    ids=["categories", "half floats", "string views"],
)
def test_a_key_arrow_cannot_sort_is_left_to_python(tmp_path, column):
    path = tmp_path / "keys.parquet"
    pq.write_table(pa.table({"key": column, "n": [1, 2, 3, 4]}), path)
    with open_rows(source(path), order_by=[OrderKey("key")]) as rows:
        assert not rows.ordered
        assert [r["n"] for r in rows] == [1, 2, 3, 4]  # in the file's order, for the fill to sort


def test_a_date_python_cannot_hold_names_row_and_field(tmp_path):
    path = tmp_path / "far.parquet"
    table = pa.table({"day": pa.array([0, 1, 3_000_000], pa.date32())})
    pq.write_table(table, path)
    with pytest.raises(DataSourceError) as caught, open_rows(source(path)) as rows:
        list(rows)
    message = str(caught.value)
    assert message.startswith(f"{path} row 3, field 'day' (date): ")


def test_a_row_group_over_the_cap_is_refused_before_reading(tmp_path, monkeypatch):
    from engine import access

    path = tmp_path / "wide.parquet"
    table = pa.table({"id": range(3000), "wide.text": ["y" * 1000] * 3000})  # a dot in a name
    pq.write_table(table, path, use_dictionary=False)
    monkeypatch.setitem(access._limits, "parquet-row-group", 1 * MB)
    with pytest.raises(DataSourceError) as caught:
        open_rows(source(path))
    assert str(caught.value).startswith(f"{path}: row group 0 declares 2.9 MB of values")
    assert "over the 1 MB limit of one Parquet row group" in str(caught.value)
    assert "--max-input-mb" in str(caught.value)
    with open_rows(source(path), columns={"id"}) as rows:  # only what is read counts
        assert len(list(rows)) == 3000
    raise_limits(4)
    with open_rows(source(path)) as rows:
        assert rows.rows_total == 3000


def test_100k_rows_stream_in_bounded_memory(tmp_path):
    count = 100_000
    path = tmp_path / "big.parquet"
    table = numbers(count)
    pq.write_table(table, path, row_group_size=20_000)
    expected_total = sum(v for v in table.column("amount").to_pylist() if v is not None)
    decoded = table.nbytes
    del table
    before = pa.total_allocated_bytes()  # what earlier tests' tables still hold
    arrow_peak = 0
    total = Decimal(0)
    tracemalloc.start()
    try:
        with open_rows(source(path), chunk_size=2000) as rows:
            for chunk in rows.column_chunks():
                arrow_peak = max(arrow_peak, pa.total_allocated_bytes() - before)
                total += sum(v for v in chunk.columns[2] if v is not None)
        _, python_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == expected_total
    # a row group at a time (pyarrow decodes one whole, then hands it out in batches): far
    # below the whole file decoded, in Arrow and in Python objects
    assert arrow_peak < decoded / 2, (arrow_peak, decoded)
    assert python_peak < 8 * MB, python_peak


def test_a_column_named_twice_is_refused(tmp_path):
    path = tmp_path / "twice.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["x", "x"]), path)
    with pytest.raises(DataSourceError, match=r"the file names column 'x' more than once"):
        open_rows(source(path))


def _open_files(path) -> int:
    import psutil

    return sum(1 for f in psutil.Process().open_files() if f.path == str(path))


def test_the_file_is_let_go_when_read_closed_or_cancelled_from_another_thread(tmp_path):
    import threading

    path = tmp_path / "n.parquet"
    pq.write_table(numbers(20_000), path, row_group_size=2000)
    with open_rows(source(path)) as rows:
        assert _open_files(path) == 1
        list(rows)
    assert _open_files(path) == 0
    rows = open_rows(source(path), chunk_size=1000)
    seen = []

    def cancel(read: int) -> None:
        if read >= 3000:
            stopper = threading.Thread(target=rows.close)  # the designer's cancel button
            stopper.start()
            stopper.join()

    rows.on_chunk = cancel
    for chunk in rows.column_chunks():
        seen.append(len(chunk))
    assert sum(seen) <= 4000 and rows.closed and _open_files(path) == 0
