"""`render --format csv`: text that a spreadsheet would run as a formula gets a leading ', binary values are base64."""

from __future__ import annotations

import base64
import csv
import sqlite3
from typing import Any

from tests.security.test_files import engine, listing

# what a data file (or a database) a report reads may hold, and what a spreadsheet must show
FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\tindented=1",
    "\r=1",
]


def exported(victim: Any, report: Any) -> list[list[str]]:
    out = victim / "out.csv"
    done = engine("render", report, "-o", out)
    assert (done.returncode, done.stderr) == (0, "")
    with open(out, encoding="utf-8", newline="") as file:  # a CR inside a cell kept as it is
        return list(csv.reader(file))


def test_formula_text_is_neutralised_and_numbers_stay_numbers(write_report, victim):
    rows = [[text, "-2.50", "-7"] for text in FORMULAS] + [["plain", "1.5", "3"]]
    with open(victim / "reports" / "cells.csv", "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([["Secret", "Amount", "Count"], *rows])
    report = write_report(data_source={"kind": "csv", "path": "cells.csv"}, bands=listing())
    header, *lines = exported(victim, report)
    assert header == ["Secret", "Amount", "Count"]
    assert lines == [["'" + text, "-2.50", "-7"] for text in FORMULAS] + [["plain", "1.5", "3"]]


def test_a_formula_in_a_header_is_neutralised(write_report, victim):
    (victim / "reports" / "h.csv").write_text('"=1+1",Secret\na,b\n', encoding="utf-8")
    report = write_report(data_source={"kind": "csv", "path": "h.csv"}, bands=listing())
    assert exported(victim, report) == [["'=1+1", "Secret"], ["a", "b"]]


def test_a_blob_column_is_written_as_base64(write_report, victim):
    blob = b"\x00\xffb'=HYPERLINK()'\n"
    con = sqlite3.connect(victim / "reports" / "blobs.sqlite")
    with con:
        con.execute("CREATE TABLE t (Secret TEXT, Picture BLOB)")
        con.execute("INSERT INTO t VALUES (?, ?)", ("=cmd", blob))
        con.execute("INSERT INTO t VALUES (?, ?)", ("none", None))
    con.close()
    report = write_report(
        data_source={"kind": "sql", "url": "sqlite:///blobs.sqlite", "table": "t"},
        bands=listing(),
    )
    assert exported(victim, report) == [
        ["Secret", "Picture"],
        ["'=cmd", base64.b64encode(blob).decode("ascii")],
        ["none", ""],
    ]
