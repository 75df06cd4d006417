"""Report compilation: expression, name and format errors are collected, each naming its path."""

from __future__ import annotations

import pytest

from engine.errors import ReportValidationError
from engine.fill import check_expressions, compile_report

from .conftest import band, el, make_report


def _report(**keys):
    base = {
        "parameters": [{"name": "start", "type": "date"}],
        "variables": [{"name": "total", "expression": "Total", "calculation": "sum"},
                      {"name": "per_page", "expression": "Total", "calculation": "sum", "reset": "page"}],
    }  # fmt: skip
    return make_report(**{**base, **keys})


def test_unknown_function_names_the_element_path():
    report = _report(
        bands=[
            band("title"),
            band("summary"),
            band("detail", el("expression", expression="sume(Total)")),
        ]
    )
    with pytest.raises(ReportValidationError) as caught:
        compile_report(report)
    (problem,) = caught.value.diagnostics
    assert problem.path == "bands[2].elements[0].expression"
    assert "unknown function 'sume'" in problem.message
    assert caught.value.lines()[0].startswith(
        "bands[2].elements[0].expression: unknown function 'sume'"
    )


def test_every_problem_is_collected():
    report = _report(
        filter="vars.total > 1",
        groups=[{"name": "g", "expression": "Countyr"}],
        variables=[
            {"name": "total", "expression": "Total", "calculation": "sum"},
            {"name": "per_page", "expression": "Total", "calculation": "sum", "reset": "page"},
            {"name": "bad", "expression": "vars.per_page * 2", "calculation": "sum"},
        ],
        bands=[
            band(
                "detail",
                el("expression", expression="params.stat + vars.totl"),
                el("field", field="Nope", print_when="Total >"),
                el("field", field="Total", format={"kind": "currency", "currency": "QQQ"}),
                el(
                    "label", text="x", conditional_styles=[{"when": "lower(1, 2, 3)", "bold": True}]
                ),
                print_when="params.start == 1",
            )
        ],
    )
    found = {
        (d.path, d.message.split(";")[0]) for d in check_expressions(report, {"Total", "Country"})
    }
    paths = {p for p, _ in found}
    assert paths == {
        "filter",
        "groups[0].expression",
        "variables[2].expression",
        "bands[0].elements[0].expression",
        "bands[0].elements[1].field",
        "bands[0].elements[1].print_when",
        "bands[0].elements[2].format",
        "bands[0].elements[3].conditional_styles[0].when",
    }
    assert ("groups[0].expression", "unknown field 'Countyr'") in found
    messages = {m for p, m in found if p == "bands[0].elements[0].expression"}
    assert messages == {"unknown parameter 'stat'", "unknown variable 'totl'"}


def test_fields_are_not_checked_when_unknown():
    report = _report(
        bands=[
            band(
                "detail", el("field", field="Anything"), el("expression", expression="Whatever + 1")
            )
        ]
    )
    assert check_expressions(report, None) == []
    compiled = compile_report(report)
    assert compiled.bands[0].elements[0].field == "Anything"


def test_expressions_are_compiled_once_per_text():
    report = _report(
        bands=[
            band(
                "detail",
                el("expression", expression="Total * 2"),
                el("expression", expression="Total * 2"),
            )
        ]
    )
    compiled = compile_report(report)
    first, second = compiled.bands[0].elements
    assert first.evaluate is second.evaluate
