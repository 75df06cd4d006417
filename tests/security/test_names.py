"""Unicode tricks in names: homoglyphs, bidi overrides, zero-width characters, NUL, newlines and very
long names in element, group, variable, parameter, style and field names are refused with a
diagnostic naming the JSON path, or (data field names, which come from databases) work by their
exact name and are quoted escaped in every message, so a message is one line and shows what
the name really is."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine.expr import ExpressionNames, check_expression
from engine.expr.names import shown_name
from engine.model import read_report
from tests.engine.render.helpers import ROOT

TIMEOUT = 60

#: names a file may try to slip in; none is an identifier ([A-Za-z_][A-Za-z0-9_]*)
TRICKS = {
    "cyrillic a": "tot\u0430l",
    "greek omicron": "c\u03bfunt",
    "fullwidth t": "\uff54otal",
    "bidi override": "a\u202eb",
    "bidi isolate": "a\u2066b\u2069",
    "zero-width space": "a\u200bb",
    "zero-width joiner": "a\u200db",
    "byte order mark": "\ufeffa",
    "NUL": "a\x00",
    "carriage return": "a\rOK",
    "newline inside": "a\nb",
    "tab": "a\tb",
    "space": "a b",
    "combining accent": "e\u0301",
}


def _load(**keys: Any) -> Any:
    data = {"format": "ashr", "version": 2, "name": "n", **keys}
    return read_report(json.dumps(data).encode())


def _label(name: str) -> dict[str, Any]:
    return {"type": "label", "name": name, "x": 0, "y": 0, "width": 9, "height": 9, "text": "t"}


#: where each kind of name lives: (keys of a report holding `name`, JSON path of the name)
PLACES = {
    "report": (lambda n: {"name": n}, "name"),
    "element": (
        lambda n: {"bands": [{"type": "title", "height": 9, "elements": [_label(n)]}]},
        "bands[0].elements[0].name",
    ),
    "parameter": (lambda n: {"parameters": [{"name": n, "type": "string"}]}, "parameters[0].name"),
    "group": (lambda n: {"groups": [{"name": n, "expression": "1"}]}, "groups[0].name"),
    "variable": (
        lambda n: {"variables": [{"name": n, "expression": "1", "calculation": "sum"}]},
        "variables[0].name",
    ),
    "style": (lambda n: {"styles": [{"name": n}]}, "styles[0].name"),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("name", TRICKS.values(), ids=TRICKS.keys())
def test_a_tricky_name_is_refused_with_its_json_path(place: str, name: str) -> None:
    keys, path = PLACES[place]
    result = _load(**keys(name))
    assert result.report is None
    (problem,) = result.errors
    assert problem.path == path
    assert "is not a valid name" in problem.message


@pytest.mark.parametrize("place", PLACES)
def test_a_name_with_a_trailing_newline_is_refused(place: str) -> None:
    keys, path = PLACES[place]
    result = _load(**keys("total\n"))
    assert result.report is None
    assert [d.path for d in result.errors] == [path]


def test_a_colour_with_a_trailing_newline_is_refused() -> None:
    result = _load(styles=[{"name": "s", "color": "#fff\n"}])
    assert result.report is None


@pytest.mark.parametrize("name", ["a\rOK", "a\nb", "a\u202eb", "a\x00"])
def test_the_refusal_of_a_name_is_one_honest_line(name: str) -> None:
    (problem,) = _load(groups=[{"name": name, "expression": "1"}]).errors
    line = problem.format("r.ashr")
    assert shown_name(name) in line
    assert not any(ch in line for ch in "\r\n\x00\u202e")


def test_a_very_long_name_gets_a_short_diagnostic() -> None:
    long = "g" * 100_000
    result = _load(
        groups=[{"name": long, "expression": "1"}],
        bands=[{"type": "group_header", "group": long + "x", "height": 9}],
    )
    assert result.errors
    assert all(len(d.format("r.ashr")) < 1_000 for d in result.errors)


# -- data field names: whatever a database calls its columns ----------------------------------------


@pytest.mark.parametrize(
    "typed, known, shown",
    [
        ("Total", {"Tot\u0430l"}, "did you mean 'Tot\\u0430l'? (it looks the same"),
        ("total", {"\uff54otal"}, "did you mean '\\uff54otal'? (it looks the same"),
        ("ab", {"a\u200bb"}, "did you mean 'a\\u200bb'? (it looks the same"),
        ("Totl", {"Total"}, "did you mean 'Total'?"),
    ],
)
def test_an_expression_naming_a_look_alike_field_says_so(typed, known, shown) -> None:
    (problem,) = check_expression(f"field('{typed}')", ExpressionNames(fields=frozenset(known)))
    assert problem.startswith(f"unknown field '{typed}'")
    assert shown in problem


def test_control_characters_in_field_names_are_quoted_escaped() -> None:
    (problem,) = check_expression("field('x\\u000aq')", ExpressionNames(fields=frozenset({"x\ny"})))
    assert "\n" not in problem
    assert problem == "unknown field 'x\\u000aq'; did you mean 'x\\u000ay'?"


def test_a_very_long_field_name_is_cut_in_the_message() -> None:
    (problem,) = check_expression("a" * 5_000, ExpressionNames(fields=frozenset({"b"})))
    assert len(problem) < 200
    assert "(5,000 characters)" in problem


def _table(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute(
        'CREATE TABLE t ("Tot\u0430l" INTEGER, "a\u202eb" TEXT, "x\ny" TEXT, "z\u200bw" TEXT)'
    )
    con.execute("INSERT INTO t VALUES (7, 'bidi', 'newline', 'zero width')")
    con.commit()
    con.close()


def _field(name: str, y: float) -> dict[str, Any]:
    return {"type": "field", "x": 0, "y": y, "width": 300, "height": 12, "field": name}


def _render(report: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", "render", str(report), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=TIMEOUT,
        check=False,
    )


def test_tricky_column_names_work_by_their_exact_name(write_report, victim) -> None:
    _table(victim / "reports" / "n.sqlite")
    names = ["Tot\u0430l", "a\u202eb", "x\ny", "z\u200bw"]
    report = write_report(
        data_source={"kind": "sql", "url": "sqlite:///n.sqlite", "table": "t"},
        bands=[{"type": "detail", "height": 60,
                "elements": [_field(n, 12 * i) for i, n in enumerate(names)]}],
    )  # fmt: skip
    out = victim / "out.csv"
    done = _render(report, out)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").splitlines()[-1] == "7,bidi,newline,zero width"


@pytest.mark.parametrize("typed", ["Total", "x\nq"])
def test_a_field_element_naming_a_look_alike_column_gets_one_clear_line(
    write_report, victim, typed
) -> None:
    _table(victim / "reports" / "n.sqlite")
    report = write_report(
        data_source={"kind": "sql", "url": "sqlite:///n.sqlite", "table": "t"},
        bands=[{"type": "detail", "height": 20, "elements": [_field(typed, 0)]}],
    )
    out = victim / "out.csv"
    done = _render(report, out)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert "\\u" in line  # the look-alike or the newline is shown escaped
    assert not out.exists()
