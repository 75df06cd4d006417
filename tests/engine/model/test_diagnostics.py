"""Every kind of problem in a report file is reported with its exact JSON path and message."""

from __future__ import annotations

import pytest

from engine.errors import Severity
from engine.model import CURRENT_VERSION, MIGRATIONS, read_report
from engine.model import migrations as migrations_module

from .conftest import to_bytes


def problems(data) -> list[tuple[str, str]]:
    result = read_report(to_bytes(data) if not isinstance(data, bytes) else data)
    return [(d.path, d.message) for d in result.diagnostics]


def test_valid_report_has_no_diagnostics(valid_data):
    assert problems(valid_data) == []


def test_json_syntax_error_has_line_and_column():
    result = read_report(b'{\n  "format": "ashr",\n  "version": 1,,\n}')
    assert [d.message for d in result.diagnostics] == [
        "invalid JSON at line 3, column 16: Expecting property name enclosed in double quotes"
    ]
    assert result.diagnostics[0].code == "json-syntax"


def test_duplicate_key_is_refused():
    assert problems(b'{"format": "ashr", "format": "ashr"}') == [
        ("", "the key 'format' appears twice in one object")
    ]


def test_not_utf8():
    assert problems(b'{"name": "\xff"}')[0][1].startswith("not UTF-8 text")


def test_not_a_report():
    assert problems(b"[1, 2]") == [("", "an .ashr file must hold one JSON object { ... }")]
    assert problems(b'{"format": "xlsx"}') == [
        ("format", 'is not "ashr": this is not an AshReports report file')
    ]


def test_width_must_be_positive(valid_data):
    valid_data["bands"][2]["elements"][0]["width"] = 0
    assert problems(valid_data) == [("bands[2].elements[0].width", "must be > 0")]


def test_unknown_key_suggests_the_right_one(valid_data):
    valid_data["bands"][1]["elements"][0]["heigth"] = 3
    assert problems(valid_data) == [
        (
            "bands[1].elements[0].heigth",
            "unknown key; did you mean 'height'? (custom keys must start with x_)",
        )
    ]


def test_all_problems_are_collected(valid_data):
    valid_data["bands"][2]["elements"][0]["width"] = -1
    valid_data["bands"][0]["height"] = "tall"
    valid_data["page"]["size"] = "a9"
    del valid_data["name"]
    found = problems(valid_data)
    assert ("name", "is required") in found
    assert ("page.size", "must be one of 'a3', 'a4', 'a5', 'letter', 'legal' or 'custom'") in found
    assert ("bands[0].height", "must be a number") in found
    assert ("bands[2].elements[0].width", "must be > 0") in found
    assert len(found) == 4


def test_wrong_types(valid_data):
    valid_data["bands"][1]["elements"][0]["bold"] = "yes"
    valid_data["groups"][0]["keep_together"] = 1
    valid_data["page"]["columns"] = 2.5
    assert sorted(problems(valid_data)) == [
        ("bands[1].elements[0].bold", "must be true or false"),
        ("groups[0].keep_together", "must be true or false"),
        ("page.columns", "must be a whole number"),
    ]


def test_unknown_element_type(valid_data):
    valid_data["bands"][1]["elements"][0]["type"] = "textbox"
    [(path, message)] = problems(valid_data)
    assert path == "bands[1].elements[0]"
    assert message.startswith("unknown type 'textbox'; expected one of 'label', 'field'")


def test_bad_colour_and_name(valid_data):
    valid_data["styles"][0]["color"] = "red"
    valid_data["name"] = "2fast"
    assert sorted(problems(valid_data)) == [
        (
            "name",
            "'2fast' is not a valid name: use letters, digits and _ and do not start with a digit",
        ),
        ("styles[0].color", "'red' is not a colour: write it as #rgb or #rrggbb (e.g. #1f2937)"),
    ]


def test_sql_source_needs_query_or_table(valid_data):
    valid_data["data_source"]["table"] = "Invoice"
    assert problems(valid_data) == [
        ("data_source", "give exactly one of 'query' (SQL text) or 'table' (a table or view name)")
    ]


def test_custom_page_needs_size(valid_data):
    valid_data["page"]["size"] = "custom"
    assert problems(valid_data) == [
        ("page", "size 'custom' needs both 'width' and 'height' in points")
    ]


def test_duplicate_names(valid_data):
    valid_data["groups"].append({"name": "country", "expression": "BillingCity"})
    valid_data["bands"][2]["elements"][0]["name"] = "country"
    assert problems(valid_data) == [
        (
            "groups[1].name",
            "the group name 'country' is already used at groups[0]; names must be unique",
        ),
        (
            "bands[2].elements[0].name",
            "the element name 'country' is already used at bands[1].elements[0]; names must be unique",
        ),
    ]


def test_group_band_names_a_missing_group(valid_data):
    valid_data["bands"][1]["group"] = "city"
    assert problems(valid_data) == [
        ("bands[1].group", "names the group 'city', which does not exist (groups: 'country')")
    ]


def test_group_band_needs_a_group(valid_data):
    del valid_data["bands"][1]["group"]
    assert problems(valid_data) == [("bands[1].group", "is required")]


def test_reset_group_rules(valid_data):
    valid_data["variables"].append(
        {"name": "a", "expression": "Total", "calculation": "sum", "reset": "group"}
    )
    valid_data["variables"].append(
        {"name": "b", "expression": "Total", "calculation": "sum", "reset_group": "country"}
    )
    valid_data["variables"].append(
        {
            "name": "c",
            "expression": "Total",
            "calculation": "sum",
            "reset": "group",
            "reset_group": "city",
        }
    )
    assert problems(valid_data) == [
        ("variables[1].reset_group", "is required when reset is 'group': name the group"),
        (
            "variables[2].reset_group",
            "is only used when reset is 'group' (reset is 'report'); remove it or set reset to 'group'",
        ),
        ("variables[3].reset_group", "names the group 'city', which does not exist"),
    ]


def test_once_only_bands(valid_data):
    valid_data["bands"].append({"type": "title", "height": 10})
    valid_data["bands"].append({"type": "detail", "height": 10})
    assert problems(valid_data) == [
        ("bands[4].type", "a report has at most one 'title' band; merge their elements into one")
    ]


def test_parameter_default_and_choices_convert(valid_data):
    valid_data["parameters"][0]["default"] = "31/01/2024"
    valid_data["parameters"].append(
        {"name": "n", "type": "integer", "default": 3, "choices": [1, 2, "x"]}
    )
    assert problems(valid_data) == [
        ("parameters[0].default", "'31/01/2024' is not a date as YYYY-MM-DD, e.g. 2024-01-31"),
        ("parameters[1].choices[2]", "'x' is not a whole number such as 42"),
        ("parameters[1].default", "the default is not one of the choices"),
    ]


def test_named_style_must_exist(valid_data):
    valid_data["bands"][0]["elements"][0]["style"] = "headline"
    result = read_report(to_bytes(valid_data))
    [d] = result.diagnostics
    assert (d.path, d.message, d.element) == (
        "bands[0].elements[0].style",
        "names the style 'headline', which does not exist (styles: 'heading')",
        "label",
    )


def test_element_outside_band_is_a_warning(valid_data):
    valid_data["bands"][1]["elements"][0]["y"] = 10  # 10 + 16 > 20
    result = read_report(to_bytes(valid_data))
    [d] = result.diagnostics
    assert d.severity is Severity.WARNING
    assert d.path == "bands[1].elements[0]"
    assert d.element == "field 'country'"
    assert d.message.startswith("lies outside its band")
    assert result.report is not None  # warnings do not refuse the report


def test_unknown_locale(valid_data):
    valid_data["locale"] = "xx_YY"
    assert problems(valid_data) == [
        ("locale", "'xx_YY' is not a known CLDR locale; use e.g. en_US or de_DE")
    ]


def test_newer_version_is_refused(valid_data):
    valid_data["version"] = CURRENT_VERSION + 1
    assert problems(valid_data) == [
        (
            "version",
            f"written by a newer version ({CURRENT_VERSION + 1}); this engine reads up to {CURRENT_VERSION}",
        )
    ]


def test_migrations_run_in_order(valid_data, monkeypatch):
    monkeypatch.setattr(migrations_module, "CURRENT_VERSION", 3)
    valid_data["version"] = 1
    calls = []

    def v1_to_v2(data):
        calls.append(data["version"])
        data["x_step"] = "v2"
        return data

    def v2_to_v3(data):
        calls.append(data["version"])
        data["x_step"] += ",v3"
        return data

    monkeypatch.setitem(MIGRATIONS, 1, v1_to_v2)
    monkeypatch.setitem(MIGRATIONS, 2, v2_to_v3)
    result = read_report(to_bytes(valid_data))
    assert calls == [1, 2]
    assert result.report is not None
    assert result.report.version == 3
    assert result.report.extensions["x_step"] == "v2,v3"


def test_element_label_in_diagnostics(valid_data):
    valid_data["bands"][1]["elements"][0]["width"] = -5
    [d] = read_report(to_bytes(valid_data)).diagnostics
    assert d.element == "field 'country'"


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_non_finite_numbers_are_refused(valid_data, value):
    text = to_bytes(valid_data).replace(
        b'"width": 300, "height": 24', b'"width": NaN, "height": 24'
    )
    assert problems(text) == [("", "invalid JSON: NaN is not a JSON number")]
    del value
