"""CSV and JSON files → typed rows: inference, declared fields, options, and errors naming file and line."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from decimal import Decimal

import pytest

from engine.access import AccessError, reset_access
from engine.data import FieldInfo, open_rows
from engine.errors import DataSourceError, ReportInputError

from .helpers import csv_source, json_source

SALES_CSV = """\
id,when,day,amount,price,paid,code,note
1,2024-01-31 14:30,2024-01-31,12.50,3,true,007,hello
2,2024-02-01T09:00:00,2024-02-01,-0.5,4,FALSE,010,
3,,,7,,,123,"with, comma"
"""


def _types(rows) -> dict[str, str]:
    return {field.name: field.type for field in rows.fields}


def test_csv_types_are_inferred(tmp_path):
    (tmp_path / "sales.csv").write_text(SALES_CSV)
    with open_rows(csv_source("sales.csv"), base_dir=tmp_path) as rows:
        assert _types(rows) == {"id": "integer", "when": "datetime", "day": "date", "amount": "decimal",
                                "price": "integer", "paid": "boolean", "code": "string", "note": "string"}  # fmt: skip
        assert rows.rows_total == 3
        first, second, third = rows
    assert first == {"id": 1, "when": dt.datetime(2024, 1, 31, 14, 30), "day": dt.date(2024, 1, 31),
                     "amount": Decimal("12.50"), "price": 3, "paid": True, "code": "007", "note": "hello"}  # fmt: skip
    assert (
        second["paid"] is False and second["note"] is None and second["amount"] == Decimal("-0.5")
    )
    assert (
        third["when"] is None and third["amount"] == Decimal(7) and third["note"] == "with, comma"
    )


def test_csv_options_and_declared_fields(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("name;amount;day\nJosé;1,5;2024-03-01\n".encode("latin-1"))
    fields = [{"name": "amount", "type": "string"}, {"name": "day", "type": "datetime"}]
    source = csv_source(path, csv_options={"delimiter": ";", "encoding": "latin-1"}, fields=fields)
    with open_rows(source, base_dir=tmp_path) as rows:
        assert rows.fields == [FieldInfo("name", "string"), FieldInfo("amount", "string"),
                               FieldInfo("day", "datetime")]  # fmt: skip
        assert list(rows) == [{"name": "José", "amount": "1,5", "day": dt.datetime(2024, 3, 1)}]


def test_csv_with_byte_order_mark(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffa,b\n1,x\n".encode())
    with open_rows(csv_source(path), base_dir=tmp_path) as rows:
        assert list(rows) == [{"a": 1, "b": "x"}]


def test_csv_ragged_row_names_file_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n\n3\n")
    with pytest.raises(DataSourceError, match=r"bad.csv line 4: 1 values, but the header has 2"):
        open_rows(csv_source(path), base_dir=tmp_path)


def test_csv_declared_type_mismatch_names_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a\n1\n2\nN/A\n")
    with pytest.raises(DataSourceError, match=r"bad.csv line 4, field 'a' \(integer\): 'N/A'"):
        open_rows(csv_source(path, fields=[{"name": "a", "type": "integer"}]), base_dir=tmp_path)


def test_csv_late_text_makes_a_column_text(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("a\n1\n2\nN/A\n")
    with open_rows(csv_source(path), base_dir=tmp_path) as rows:
        assert rows.fields == [FieldInfo("a", "string")]
        assert [row["a"] for row in rows] == ["1", "2", "N/A"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b"a,a\n1,2\n", "column 'a' more than once"),
     (b"a\n\xff\n", "line 2: not utf-8 text")],
)  # fmt: skip
def test_csv_bad_files(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(DataSourceError, match=message):
        open_rows(csv_source(path), base_dir=tmp_path)


def test_csv_unknown_encoding_is_input_error(tmp_path):
    (tmp_path / "x.csv").write_text("a\n1\n")
    with pytest.raises(ReportInputError, match="unknown text encoding 'klingon'"):
        open_rows(
            csv_source(tmp_path / "x.csv", csv_options={"encoding": "klingon"}), base_dir=tmp_path
        )


def test_missing_files(tmp_path):
    for source in (csv_source("nope.csv"), json_source("nope.json")):
        with pytest.raises(DataSourceError, match=f"file not found: {tmp_path / 'nope'}"):
            open_rows(source, base_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_url_argument_replaces_the_path(tmp_path):
    (tmp_path / "real.csv").write_text("a\n1\n")
    with open_rows(csv_source("missing.csv"), url="real.csv", base_dir=tmp_path) as rows:
        assert list(rows) == [{"a": 1}]


def test_json_rows_and_types(tmp_path):
    items = [
        {"id": 1, "price": 1.10, "at": "2024-01-02", "tags": ["a"], "ok": True},
        {"id": 2, "price": 3, "extra": "x", "at": "2024-01-03", "ok": False},
    ]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items))
    with open_rows(json_source(path), base_dir=tmp_path, chunk_size=1) as rows:
        assert _types(rows) == {"id": "integer", "price": "decimal", "at": "date", "tags": "string",
                                "ok": "boolean", "extra": "string"}  # fmt: skip
        assert [len(chunk) for chunk in rows.chunks(1)] == [1, 1]
    with open_rows(json_source(path), base_dir=tmp_path) as rows:
        first, second = rows
    assert first["price"] == Decimal("1.1") and type(first["price"]) is Decimal
    assert second["price"] == Decimal(3) and type(second["price"]) is Decimal
    assert first["tags"] == '["a"]' and first["extra"] is None and second["tags"] is None
    assert first["at"] == dt.date(2024, 1, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [('[{"a": 1},\n {"a": }]', r"line 2 column 8: not valid JSON"),
     ('{"a": 1}', "expected an array of objects, found a JSON dict"),
     ('[{"a": 1}, 2]', "item 2 of the array is not an object")],
)  # fmt: skip
def test_json_bad_files(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(DataSourceError, match=message):
        open_rows(json_source(path), base_dir=tmp_path)


def test_json_declared_fields(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('[{"n": "3", "d": "2024-05-06T07:08:09"}]')
    fields = [{"name": "n", "type": "integer"}, {"name": "d", "type": "date"}]
    with open_rows(json_source(path, fields=fields), base_dir=tmp_path) as rows:
        assert list(rows) == [{"n": 3, "d": dt.date(2024, 5, 6)}]
    path.write_text("[]")
    with open_rows(json_source(path, fields=fields), base_dir=tmp_path) as rows:
        assert (
            rows.fields == [FieldInfo("n", "integer"), FieldInfo("d", "date")] and list(rows) == []
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [("[" * 100_000 + "]" * 100_000, "nested too deeply"),
     ('[{"a": ' + "[" * 990 + "]" * 990 + "}]", "nested too deeply|^$"),
     ('[{"a": 1e999999999}]', "the number '1e999999999' has too large an exponent"),
     ('[{"a": ' + "1" * 5000 + "}]", r"\(5,000 characters\) is too long"),
     ('[{"a": Infinity}]', "'Infinity' is not a JSON number")],
)  # fmt: skip
def test_json_nesting_and_numbers_are_capped(tmp_path, text, message):
    (tmp_path / "x.json").write_text(text)
    try:
        with open_rows(json_source("x.json"), base_dir=tmp_path) as rows:
            list(rows)
    except DataSourceError as exc:
        assert re.search(message, str(exc))
    else:
        assert re.search(message, "")  # near the limit: read, or refused the same way


def test_a_report_path_is_confined_and_the_users_is_not(tmp_path):
    reset_access()  # the fixture allowed every temporary folder
    (tmp_path / "report").mkdir()
    (tmp_path / "data.csv").write_text("a\n1\n")
    with pytest.raises(AccessError, match=r"CSV source '../data.csv' is outside the report's"):
        open_rows(csv_source("../data.csv"), base_dir=tmp_path / "report")
    with pytest.raises(AccessError, match=r"JSON source '~/x.json': a report may not read"):
        open_rows(json_source("~/x.json"), base_dir=tmp_path / "report")
    url = str(tmp_path / "data.csv")  # the CLI's --data: the user's choice
    with open_rows(csv_source("../data.csv"), url=url, base_dir=tmp_path / "report") as rows:
        assert list(rows) == [{"a": 1}]


def test_only_regular_files_are_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(AccessError, match=r"pipe\.json is not a regular file"):
        open_rows(json_source("pipe.json"), base_dir=tmp_path)
    with pytest.raises(AccessError, match=r"folder\.csv is a folder"):
        open_rows(csv_source("folder.csv"), base_dir=tmp_path)
    with pytest.raises(AccessError, match="/dev/zero is not a regular file"):
        open_rows(csv_source("x.csv"), url="/dev/zero", base_dir=tmp_path)
