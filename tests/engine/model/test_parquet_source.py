"""The `parquet` data source kind of format version 2: loaded, saved, checked, in the JSON Schema; a version 1 file naming it loads too."""

from __future__ import annotations

import json

import jsonschema
import pytest

from engine.model import ParquetSource, dump_report, read_report
from engine.model.schema import report_schema

SOURCE = {"kind": "parquet", "path": "data/sales.parquet", "fields": [{"name": "Total", "type": "decimal"}]}  # fmt: skip


def _text(data):
    return json.dumps(data).encode("utf-8")


@pytest.mark.parametrize("version", [1, 2])
def test_a_parquet_source_loads_and_saves_back(valid_data, version):
    # version 1 never had the kind; a version 1 file is read as version 2 (which only adds
    # keys and kinds), so it loads and saves as 2, as a v1 file naming a connection does
    valid_data["version"] = version
    valid_data["data_source"] = dict(SOURCE)
    result = read_report(_text(valid_data))
    assert result.diagnostics == []
    source = result.report.data_source
    assert isinstance(source, ParquetSource)
    assert (source.path, source.fields[0].name, source.fields[0].type) == (
        "data/sales.parquet", "Total", "decimal",
    )  # fmt: skip
    saved = json.loads(dump_report(result.report))
    assert saved["version"] == 2 and saved["data_source"] == SOURCE


@pytest.mark.parametrize(
    ("keys", "path", "message"),
    [
        ({"path": ""}, "data_source.path", "must not be empty"),
        ({"csv_options": {"delimiter": ";"}}, "data_source.csv_options", "unknown key"),
        ({"paht": "x.parquet"}, "data_source.paht", "did you mean 'path'?"),
    ],
)
def test_a_bad_parquet_source_names_its_path(valid_data, keys, path, message):
    valid_data["data_source"] = {"kind": "parquet", "path": "x.parquet", **keys}
    if "paht" in keys:
        del valid_data["data_source"]["path"]
    result = read_report(_text(valid_data))
    assert result.report is None
    found = {d.path: d.message for d in result.diagnostics}
    assert path in found and message in found[path], found


def test_the_json_schema_knows_the_kind(valid_data):
    valid_data["data_source"] = dict(SOURCE)
    schema = report_schema()
    jsonschema.validate(valid_data, schema)
    valid_data["data_source"]["query"] = "SELECT 1"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(valid_data, schema)
