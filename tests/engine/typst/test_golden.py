"""Golden snapshots of the Typst source generated for two small fixed reports (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from engine.model import load_report
from engine.render import render_report

GOLDEN = Path(__file__).parent / "golden"

STYLES = [
    {"name": "heading", "font": "Liberation Sans", "size": 16, "bold": True, "color": "#1f2937"},
    {"name": "detail", "font": "Liberation Sans", "size": 9, "padding": 1, "valign": "middle"},
]

#: one group with keep_together and a reprinted header, a growing detail band, currency totals,
#: a page number and user text full of Typst syntax
SALES = {
    "format": "ashr",
    "version": 1,
    "name": "golden_sales",
    "title": 'Sales "Q1" #1 [draft]',
    "data_source": {
        "kind": "json",
        "path": "unused.json",
        "fields": [
            {"name": "Country", "type": "string"},
            {"name": "Customer", "type": "string"},
            {"name": "Note", "type": "string"},
            {"name": "Total", "type": "decimal"},
        ],
    },
    "groups": [
        {"name": "country", "expression": "Country", "keep_together": True, "reprint_header": True}
    ],
    "sort": [{"expression": "Customer"}],
    "variables": [
        {
            "name": "country_total",
            "expression": "Total",
            "calculation": "sum",
            "reset": "group",
            "reset_group": "country",
        }
    ],
    "styles": STYLES,
    "bands": [
        {
            "type": "title",
            "height": 30,
            "elements": [
                {
                    "type": "label",
                    "x": 0,
                    "y": 0,
                    "width": 523,
                    "height": 24,
                    "text": 'Sales $5 *bold* _x_ <label> @ref // not a comment \\ "q"',
                    "style": "heading",
                }
            ],
        },
        {
            "type": "group_header",
            "group": "country",
            "height": 20,
            "background": "#e8eef6",
            "elements": [
                {
                    "type": "field",
                    "x": 0,
                    "y": 2,
                    "width": 300,
                    "height": 16,
                    "field": "Country",
                    "bold": True,
                },
                {
                    "type": "expression",
                    "x": 400,
                    "y": 2,
                    "width": 123,
                    "height": 16,
                    "expression": "vars.country_total",
                    "format": {"kind": "currency", "currency": "USD"},
                    "align": "right",
                },
            ],
        },
        {
            "type": "detail",
            "height": 14,
            "can_grow": True,
            "elements": [
                {
                    "type": "field",
                    "x": 10,
                    "y": 0,
                    "width": 120,
                    "height": 14,
                    "field": "Customer",
                    "style": "detail",
                },
                {
                    "type": "field",
                    "x": 140,
                    "y": 0,
                    "width": 150,
                    "height": 14,
                    "field": "Note",
                    "style": "detail",
                    "null_text": "—",
                },
                {
                    "type": "field",
                    "x": 400,
                    "y": 0,
                    "width": 123,
                    "height": 14,
                    "field": "Total",
                    "format": {"kind": "currency", "currency": "USD"},
                    "style": "detail",
                    "align": "right",
                    "conditional_styles": [
                        {"when": "Total >= 10", "bold": True, "color": "#065f46"}
                    ],
                },
                {
                    "type": "line",
                    "x": 10,
                    "y": 14,
                    "x2": 523,
                    "y2": 14,
                    "stroke": {"width": 0.25, "color": "#d1d5db", "dash": "dotted"},
                },
            ],
        },
        {
            "type": "group_footer",
            "group": "country",
            "height": 18,
            "elements": [
                {
                    "type": "expression",
                    "x": 0,
                    "y": 2,
                    "width": 523,
                    "height": 14,
                    "expression": "'Subtotal ' + Country",
                    "italic": True,
                },
            ],
        },
        {
            "type": "page_footer",
            "height": 16,
            "elements": [
                {
                    "type": "page_number",
                    "x": 400,
                    "y": 2,
                    "width": 123,
                    "height": 12,
                    "align": "right",
                }
            ],
        },
    ],
}

SALES_ROWS = [
    {"Country": "Brazil", "Customer": "Luís Gonçalves", "Note": None, "Total": Decimal("3.98")},
    {
        "Country": "Brazil",
        "Customer": "Eduardo Martins",
        "Note": "a note long enough to wrap over more than one line in its box, #1 [x]",
        "Total": Decimal("13.86"),
    },
    {
        "Country": "Canada",
        "Customer": 'O\'Brien "The \\ Boss"',
        "Note": "line one\nline two",
        "Total": Decimal("0.99"),
    },
]

#: a two-column catalogue: page header, background watermark, a group starting new pages,
#: a band with print_when, a box, a page total and a summary with a count
CATALOGUE = {
    "format": "ashr",
    "version": 1,
    "name": "golden_catalogue",
    "page": {
        "size": "a5",
        "orientation": "landscape",
        "margins": {"top": 20, "right": 20, "bottom": 20, "left": 20},
        "columns": 2,
        "column_gap": 12,
    },
    "data_source": {
        "kind": "json",
        "path": "unused.json",
        "fields": [
            {"name": "Genre", "type": "string"},
            {"name": "Track", "type": "string"},
            {"name": "Seconds", "type": "integer"},
            {"name": "Released", "type": "date"},
        ],
    },
    "groups": [{"name": "genre", "expression": "Genre", "start_new_page": True}],
    "sort": [{"expression": "Track", "descending": True}],
    "variables": [
        {"name": "page_seconds", "expression": "Seconds", "calculation": "sum", "reset": "page"},
    ],
    "bands": [
        {
            "type": "background",
            "height": 20,
            "elements": [
                {
                    "type": "label",
                    "x": 100,
                    "y": 0,
                    "width": 200,
                    "height": 20,
                    "text": "DRAFT",
                    "color": "#e5e7eb",
                    "size": 18,
                }
            ],
        },
        {
            "type": "page_header",
            "height": 20,
            "elements": [
                {
                    "type": "label",
                    "x": 0,
                    "y": 0,
                    "width": 300,
                    "height": 16,
                    "text": "Catalogue — <tracks>",
                    "underline": True,
                },
                {
                    "type": "box",
                    "x": 0,
                    "y": 17,
                    "width": 555,
                    "height": 2,
                    "fill": "#1f2937",
                    "radius": 1,
                },
            ],
        },
        {
            "type": "group_header",
            "group": "genre",
            "height": 18,
            "elements": [
                {
                    "type": "field",
                    "x": 0,
                    "y": 0,
                    "width": 260,
                    "height": 16,
                    "field": "Genre",
                    "bold": True,
                    "size": 12,
                }
            ],
        },
        {
            "type": "detail",
            "height": 12,
            "elements": [
                {
                    "type": "field",
                    "x": 0,
                    "y": 0,
                    "width": 180,
                    "height": 12,
                    "field": "Track",
                    "size": 8,
                },
                {
                    "type": "field",
                    "x": 180,
                    "y": 0,
                    "width": 50,
                    "height": 12,
                    "field": "Released",
                    "format": {"kind": "date", "pattern": "yyyy"},
                    "size": 8,
                },
                {
                    "type": "field",
                    "x": 230,
                    "y": 0,
                    "width": 40,
                    "height": 12,
                    "field": "Seconds",
                    "size": 8,
                    "align": "right",
                },
            ],
        },
        {
            "type": "detail",
            "height": 10,
            "print_when": "Seconds > 300",
            "elements": [
                {
                    "type": "label",
                    "x": 10,
                    "y": 0,
                    "width": 200,
                    "height": 10,
                    "text": "long track",
                    "size": 7,
                    "italic": True,
                }
            ],
        },
        {
            "type": "page_footer",
            "height": 14,
            "elements": [
                {
                    "type": "expression",
                    "x": 0,
                    "y": 0,
                    "width": 200,
                    "height": 12,
                    "expression": "vars.page_seconds",
                    "size": 8,
                },
                {
                    "type": "page_number",
                    "x": 400,
                    "y": 0,
                    "width": 155,
                    "height": 12,
                    "text": "{page}/{pages}",
                    "size": 8,
                    "align": "right",
                },
            ],
        },
        {
            "type": "summary",
            "height": 16,
            "elements": [
                {
                    "type": "aggregate",
                    "x": 0,
                    "y": 0,
                    "width": 200,
                    "height": 14,
                    "calculation": "count",
                    "expression": "Track",
                    "scope": "report",
                }
            ],
        },
    ],
}

CATALOGUE_ROWS = [
    {"Genre": "Jazz", "Track": "Autumn Leaves", "Seconds": 320, "Released": dt.date(1959, 3, 2)},
    {"Genre": "Jazz", "Track": "So What", "Seconds": 545, "Released": dt.date(1959, 3, 2)},
    {
        "Genre": "Rock",
        "Track": "Smoke on the Water",
        "Seconds": 340,
        "Released": dt.date(1972, 3, 25),
    },
    {"Genre": "Rock", "Track": "Jump", "Seconds": 241, "Released": dt.date(1984, 1, 9)},
]

CASES = {"sales": (SALES, SALES_ROWS), "catalogue": (CATALOGUE, CATALOGUE_ROWS)}


@pytest.fixture(autouse=True)
def _no_system_fonts(monkeypatch):
    # the fallback font chain lists the fonts this machine has: keep goldens machine-independent
    from engine.render import pipeline

    monkeypatch.setattr(pipeline, "installed_families", frozenset)


def generated(name: str) -> str:
    report_data, rows = CASES[name]
    report = load_report(json.dumps(report_data).encode("utf-8"))
    result = render_report(report, fmt="typ", rows=rows)
    return result.pages[0].decode("utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_generated_typst_matches_golden(name):
    text = generated(name)
    path = GOLDEN / f"{name}.typ"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_generating_twice_gives_the_same_source():
    assert generated("sales") == generated("sales")


def test_generating_twice_gives_the_same_source_with_page_totals():
    assert generated("catalogue") == generated("catalogue")
