"""Typst injection: text from data, labels, parameters, groups, chart categories, page-number
templates, font names and format patterns reaches Typst only as string literals, so
`#read`, `#include`, `#import`, `]`, `"`, `\\`, `$`, comments and raw blocks print as written
and no file outside the report is read."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pymupdf
import pytest
import typst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.typst.escape import typst_color, typst_string, typst_value
from tests.engine.render.helpers import ROOT

TIMEOUT = 60

#: markup a text would run if it were pasted into Typst markup or code
_PIECES = [
    "#", "[", "]", "{", "}", "(", ")", '"', "\\", "$", "*", "_", "`", "```", "<", ">", "@",
    "//", "/*", "*/", "=", "-", "+", "~", "'", "\n", "\r", "\t", "\x00", "\x0b", "\x0c",
    "\x85", "\u2028", "\u2029", "\u202e", "\u202d", "\u2066", "\u200b", "\u200d", "\ufeff",
    "#read(", "#include ", "#import ", "#let x = ", "#set ", "#show: ", "\\u{41}", "\\n",
    '#read("/etc/passwd")', "sys.inputs", "x", "é", "日本",
]  # fmt: skip
_TEXTS = st.one_of(
    st.text(max_size=40), st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(_TEXTS, min_size=1, max_size=30))
def test_a_string_literal_evaluates_to_exactly_the_text(tmp_path_factory: Any, texts: list[str]):
    """The one property every other test leans on: Typst reads typst_string(t) back as t."""
    folder = tmp_path_factory.mktemp("lit")
    source = folder / "main.typ"
    literal = "(" + ", ".join(typst_string(t) for t in texts) + ",)"
    source.write_text(f"#metadata({literal}) <m>\n", encoding="utf-8")
    read_back = json.loads(typst.query(str(source), "<m>", field="value", one=True))
    assert read_back == texts


def test_nested_values_stay_literals(tmp_path: Path) -> None:
    evil = '"), read("/etc/passwd"), ("'
    value = {evil: [evil, 1, None, True, "\\"]}
    source = tmp_path / "main.typ"
    source.write_text(f"#metadata({typst_value(value)}) <m>\n", encoding="utf-8")
    assert json.loads(typst.query(str(source), "<m>", field="value", one=True)) == value


def test_non_finite_numbers_are_typst_values(tmp_path: Path) -> None:
    source = tmp_path / "main.typ"
    values = [float("nan"), float("inf"), float("-inf"), Decimal("1E+9999"), 1e308]
    source.write_text(f"#metadata({typst_value(values)}) <m>\n", encoding="utf-8")
    read_back = json.loads(typst.query(str(source), "<m>", field="value", one=True))
    # JSON has no NaN or infinity: Typst writes them as null
    assert read_back == [None, None, None, None, 1e308]


def test_a_colour_that_is_not_a_colour_never_becomes_code(tmp_path: Path) -> None:
    # colours are checked on load; this is the second wall if one ever slips through (an API user)
    evil = '#fff"), read("/etc/passwd"), rgb("#fff'
    source = tmp_path / "main.typ"
    source.write_text(f"#metadata({typst_color(evil)}) <m>\n", encoding="utf-8")
    with pytest.raises((typst.TypstError, RuntimeError), match="non-hexadecimal") as caught:
        typst.query(str(source), "<m>", field="value", one=True)
    assert "root:" not in str(caught.value)


# -- whole reports ---------------------------------------------------------------------------------


def _payloads(secret: Path) -> list[str]:
    """Texts that would read a file, change the markup or break out of a string."""
    return [
        f'#read("{secret}")',
        '#read("../outside/secret.csv")',
        '#include "x.typ"',
        '#import "x.typ": *',
        "] #text(fill: red)[x",
        '" + read("s") + "',
        "back\\slash\\",
        "$x^2$ and *bold* _em_",
        "<label> @ref",
        "// not a comment",
        "/* not a comment",
        "```raw``` `x`",
        "#{1 + 1} #sys.inputs",
        "= Heading - item + enum",
    ]


#: characters that print as nothing (or are stripped from PDF text): checked around markers
_INVISIBLE = ["L\u202eR", "Z\u200bW", "N\x00U", "B\ufeffO", "I\u2066S\u2069O"]


def _database(path: Path, payloads: list[str]) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (grp TEXT, name TEXT, amount INTEGER)")
    rows = [(f"G{i % 3}{['#', ']', '$'][i % 3]}", text, i + 1) for i, text in enumerate(payloads)]
    rows += [(f"G{i % 3}{['#', ']', '$'][i % 3]}", text, 1) for i, text in enumerate(_INVISIBLE)]
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    con.commit()
    con.close()


def _element(kind: str, y: float, **keys: Any) -> dict[str, Any]:
    return {"type": kind, "x": 0, "y": y, "width": 523, "height": 12, "size": 7, **keys}


def _report(payloads: list[str]) -> dict[str, Any]:
    labels = [_element("label", 14 * i, text=t) for i, t in enumerate(payloads)]
    return {
        "format": "ashr",
        "version": 2,
        "name": "injection",
        "title": payloads[0],
        "data_source": {
            "kind": "sql",
            "url": "sqlite:///data.sqlite",
            "query": "SELECT grp, name, amount FROM t",
        },
        "parameters": [{"name": "p", "type": "string", "default": ""}],
        "groups": [{"name": "g", "expression": "grp"}],
        "styles": [{"name": "evil", "font": '") #read("/etc/passwd") ("', "size": 7}],
        "bands": [
            {
                "type": "title",
                "height": 14 * len(labels) + 60,
                "elements": [
                    *labels,
                    _element("expression", 14 * len(labels), expression="'P:' + params.p"),
                    _element(
                        "expression",
                        14 * len(labels) + 14,
                        expression="date('2024-01-31')",
                        format={"kind": "date", "pattern": "yyyy '#include \"x.typ\" ]$'"},
                    ),
                    _element("label", 14 * len(labels) + 28, text="font check", style="evil"),
                ],
            },
            {
                "type": "group_header",
                "group": "g",
                "height": 14,
                "elements": [_element("field", 0, field="grp")],
            },
            {"type": "detail", "height": 14, "elements": [_element("field", 0, field="name")]},
            {
                "type": "summary",
                "height": 220,
                "elements": [
                    {
                        "type": "chart",
                        "x": 0,
                        "y": 0,
                        "width": 523,
                        "height": 200,
                        "chart": {"kind": "bar", "category": "grp", "value": "amount"},
                    },
                ],
            },
            {
                "type": "page_footer",
                "height": 14,
                "elements": [_element("page_number", 0, text='#read("x") ]$ {page}/{pages} //')],
            },
        ],
    }


def test_markup_in_every_kind_of_text_prints_literally(victim: Path) -> None:
    reports = victim / "reports"
    secret = victim / "outside" / "secret.csv"
    (reports / "x.typ").write_text("INCLUDED-MARKER", encoding="utf-8")
    payloads = _payloads(secret)
    _database(reports / "data.sqlite", payloads)
    report = reports / "injection.ashr"
    report.write_text(json.dumps(_report(payloads)), encoding="utf-8")
    out = victim / "out.pdf"
    parameter = '] #read("/etc/passwd") $x$ "\\'
    done = subprocess.run(
        [sys.executable, "-m", "engine", "render", str(report), "-o", str(out),
         "--param", f"p={parameter}"],
        capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with pymupdf.open(out) as pdf:
        text = "\n".join(page.get_text() for page in pdf)
        title = pdf.metadata["title"]
    flat = " ".join(text.split())
    for payload in payloads:
        assert " ".join(payload.split()) in flat, payload  # labels and detail rows
        assert flat.count(" ".join(payload.split())) >= 2, payload  # both: label and field
    assert f"P:{parameter}" in flat
    assert '2024 #include "x.typ" ]$' in flat
    assert "font check" in flat
    for group in ("G0#", "G1]", "G2$"):
        assert flat.count(group) >= 2, group  # group header and chart category
    assert '#read("x") ]$ 1/2 //' in flat and '#read("x") ]$ 2/2 //' in flat
    for marked in _INVISIBLE:
        assert marked[0] in flat and marked[-1] in flat
    assert title == payloads[0]
    # nothing was read: the secret, /etc/passwd and x.typ never reached the page
    assert "hunter2" not in text and "root:" not in text and "INCLUDED-MARKER" not in text
