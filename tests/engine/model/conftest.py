"""Fixtures for the model tests: a small valid report as data and as text."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

VALID: dict[str, Any] = {
    "format": "ashr",
    "version": 2,
    "name": "sales",
    "title": "Sales",
    "page": {"size": "a4", "orientation": "landscape", "margins": {"top": 20.5, "right": 36, "bottom": 36, "left": 36}},
    "data_source": {"kind": "sql", "url": "sqlite:///chinook.sqlite", "query": "SELECT * FROM Invoice WHERE InvoiceDate >= :start"},
    "parameters": [{"name": "start", "type": "date", "label": "Start", "default": "2021-01-01"}],
    "sort": [{"expression": "InvoiceDate"}],
    "groups": [{"name": "country", "expression": "BillingCountry", "keep_together": True}],
    "variables": [
        {"name": "country_total", "expression": "Total", "calculation": "sum", "reset": "group", "reset_group": "country"}
    ],
    "styles": [{"name": "heading", "size": 14, "bold": True, "color": "#1f2937"}],
    "bands": [
        {"type": "title", "height": 40, "elements": [
            {"type": "label", "x": 0, "y": 0, "width": 300, "height": 24, "text": "Sales", "style": "heading", "x_note": {"by": "test"}}]},
        {"type": "group_header", "group": "country", "height": 20, "elements": [
            {"type": "field", "name": "country", "x": 0, "y": 2, "width": 300, "height": 16, "field": "BillingCountry"}]},
        {"type": "detail", "height": 14, "elements": [
            {"type": "field", "x": 400, "y": 0, "width": 123.4567, "height": 14, "field": "Total",
             "format": {"kind": "currency", "currency": "EUR"}, "align": "right",
             "conditional_styles": [{"when": "Total > 10", "bold": True}]},
            {"type": "line", "x": 0, "y": 13, "x2": 523, "y2": 13, "stroke": {"width": 0.25, "color": "#999999", "dash": "dotted"}}]},
        {"type": "page_footer", "height": 16, "elements": [
            {"type": "page_number", "x": 400, "y": 2, "width": 123, "height": 12}]},
    ],
    "x_designer": {"zoom": 1.5},
}  # fmt: skip


@pytest.fixture
def valid_data() -> dict[str, Any]:
    """A fresh deep copy of a small valid report."""
    return copy.deepcopy(VALID)


def to_bytes(data: Any) -> bytes:
    return json.dumps(data).encode("utf-8")
