"""Format version 2: a version 1 file migrates, saves as 2; named connections; `${NAME}` in a URL refused with the fix."""

from __future__ import annotations

import json

import pytest

from engine.model import CURRENT_VERSION, Report, SqlSource, dump_report, read_report, save_report

FIX = 'move the URL into a named connection (connections.toml) and write "connection": "NAME"'


def _text(data):
    return json.dumps(data).encode("utf-8")


def test_the_current_version_is_2():
    assert CURRENT_VERSION == 2


def test_a_version_1_file_loads_and_saves_as_version_2(valid_data, tmp_path):
    valid_data["version"] = 1
    source = tmp_path / "old.ashr"
    source.write_bytes(_text(valid_data))
    result = read_report(source)
    assert result.diagnostics == []
    assert result.report.version == 2
    assert json.loads(source.read_bytes())["version"] == 1  # never rewritten without a save
    target = tmp_path / "new.ashr"
    save_report(result.report, target)
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert saved["version"] == 2
    assert {k: v for k, v in saved.items() if k != "version"} == {
        k: v for k, v in json.loads(dump_report(result.report)).items() if k != "version"
    }
    again = read_report(target)
    assert again.diagnostics == [] and again.report == result.report


def test_a_report_built_from_version_1_data_in_code_is_current():
    report = Report.model_validate({"format": "ashr", "version": 1, "name": "r"})
    assert report.version == 2
    assert json.loads(dump_report(report))["version"] == 2


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("sqlite:///${HOME}/x.db", "${HOME}"),
        ("postgresql://report:${DB_PASSWORD}@db/sales", "${DB_PASSWORD}"),
        ("postgresql://${USER@db/sales", "${USER@db/sales"),
    ],
)
def test_environment_reference_in_url_is_an_error_naming_the_fix(valid_data, version, url, shown):
    valid_data["version"] = version
    valid_data["data_source"]["url"] = url
    result = read_report(_text(valid_data))
    assert result.report is None
    [d] = result.diagnostics
    assert d.path == "data_source.url"
    assert d.message.startswith(f"uses {shown}; a report file never reads environment variables")
    assert FIX in d.message


def test_connection_instead_of_url(valid_data):
    del valid_data["data_source"]["url"]
    valid_data["data_source"]["connection"] = "sales.eu-1"
    result = read_report(_text(valid_data))
    assert result.diagnostics == []
    source = result.report.data_source
    assert (source.connection, source.url) == ("sales.eu-1", None)
    saved = json.loads(dump_report(result.report))["data_source"]
    assert saved["connection"] == "sales.eu-1" and "url" not in saved


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"url": "sqlite:///a.db", "connection": "sales"}, "give exactly one of 'url'"),
        ({}, "give exactly one of 'url'"),
    ],
)
def test_exactly_one_of_url_and_connection(valid_data, keys, message):
    source = valid_data["data_source"]
    del source["url"]
    source.update(keys)
    [d] = read_report(_text(valid_data)).diagnostics
    assert d.path == "data_source" and message in d.message
    assert "'connection' (the name of a named connection in connections.toml)" in d.message


@pytest.mark.parametrize("name", ["", "1sales", "sales db", "../x", "sa$les", "a" * 101])
def test_a_connection_name_is_checked(valid_data, name):
    source = valid_data["data_source"]
    del source["url"]
    source["connection"] = name
    [d] = read_report(_text(valid_data)).diagnostics
    assert d.path == "data_source.connection"


def test_csv_source_has_no_connection(valid_data):
    valid_data["data_source"] = {"kind": "csv", "path": "x.csv", "connection": "sales"}
    [d] = read_report(_text(valid_data)).diagnostics
    assert d.path == "data_source.connection" and "unknown key" in d.message


def test_model_refuses_env_reference_built_in_code():
    with pytest.raises(ValueError, match="named connection"):
        SqlSource.model_validate({"kind": "sql", "url": "sqlite:///${HOME}", "table": "t"})


def test_a_newer_version_is_refused(valid_data):
    valid_data["version"] = 3
    [d] = read_report(_text(valid_data)).diagnostics
    assert d.path == "version" and "this engine reads up to 2" in d.message
