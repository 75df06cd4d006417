"""Helpers for render tests: run the CLI, read PDFs back with PyMuPDF, format SQL numbers like the reports."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pymupdf
from babel.numbers import format_currency, format_decimal

from engine.cli import main

ROOT = Path(__file__).parents[3]
EXAMPLES = ROOT / "resources" / "examples"
CHINOOK = EXAMPLES / "chinook.sqlite"


def cli(*argv: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m engine ARGV` in a subprocess (the real exit status, stderr and no tracebacks)."""
    return subprocess.run(
        [sys.executable, "-m", "engine", *map(str, argv)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        check=False,
    )


def cli_popen(*argv: str | Path) -> subprocess.Popen[str]:
    """Start `python -m engine ARGV` without waiting (renders of several reports run at once)."""
    return subprocess.Popen(
        [sys.executable, "-m", "engine", *map(str, argv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def run_main(*argv: str | Path) -> tuple[int, str, str]:
    """`engine.cli.main` in this process (fast): (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def chinook_sql(query: str, *args: Any) -> list[tuple[Any, ...]]:
    """Rows of a query on the Chinook database, read-only: the independent truth."""
    con = sqlite3.connect(f"file:{CHINOOK}?mode=ro", uri=True)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def usd(cents: int | Decimal) -> str:
    """An amount in cents as the reports print USD currency in en_US: `$1,234.56`."""
    return format_currency(Decimal(cents) / 100, "USD", locale="en_US")


def number(value: Decimal, pattern: str) -> str:
    """A number with a CLDR pattern in en_US, as the expression `format(x, pattern)` prints it."""
    return format_decimal(value, pattern, locale="en_US")


def page_lines(page: pymupdf.Page) -> list[str]:
    """The text lines of a page in reading order, empty lines dropped."""
    return [line for line in page.get_text().splitlines() if line.strip()]


def word_boxes(page: pymupdf.Page) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1, word) of every word on a page."""
    return [(w[0], w[1], w[2], w[3], w[4]) for w in page.get_text("words")]


def line_top(page: pymupdf.Page, text: str) -> float:
    """The top y of the first text line that equals `text` (fails when there is none)."""
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            if "".join(span["text"] for span in line["spans"]).strip() == text:
                return float(line["bbox"][1])
    raise AssertionError(f"no line {text!r} on page {page.number + 1}")


def write_report(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def open_pdf(path: Path | bytes) -> pymupdf.Document:
    if isinstance(path, bytes):
        return pymupdf.open(stream=path, filetype="pdf")
    return pymupdf.open(path)


def split(lines: Sequence[str], marker: str) -> list[int]:
    """Indexes of the lines equal to `marker`."""
    return [i for i, line in enumerate(lines) if line == marker]
