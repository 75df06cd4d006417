"""sort_rows: group keys then sort keys, stable, nulls first, descending per key; compared with SQL ORDER BY."""

from __future__ import annotations

import random

import pytest

from engine.errors import EvaluationError
from engine.fill import sort_rows

from .conftest import make_report


def test_sort_matches_sql_order_by(invoices, sql):
    report = make_report(
        groups=[{"name": "state", "expression": "BillingState"}],
        sort=[{"expression": "Total", "descending": True}, {"expression": "InvoiceId"}],
    )
    rng = random.Random(3)
    rows = invoices()
    rng.shuffle(rows)
    ordered = [r["InvoiceId"] for r in sort_rows(report, rows)]
    expected = [
        i
        for (i,) in sql(
            "SELECT InvoiceId FROM Invoice ORDER BY BillingState, Total DESC, InvoiceId"
        )
    ]
    assert ordered == expected


def test_sort_is_stable_and_nulls_come_first_in_both_directions():
    rows = [{"k": k, "i": i} for i, k in enumerate([3, None, 1, 3, None, 2, 1])]
    up = make_report(sort=[{"expression": "k"}])
    down = make_report(sort=[{"expression": "k", "descending": True}])
    assert [(r["k"], r["i"]) for r in sort_rows(up, rows)] == [
        (None, 1),
        (None, 4),
        (1, 2),
        (1, 6),
        (2, 5),
        (3, 0),
        (3, 3),
    ]
    assert [(r["k"], r["i"]) for r in sort_rows(down, rows)] == [
        (None, 1),
        (None, 4),
        (3, 0),
        (3, 3),
        (2, 5),
        (1, 2),
        (1, 6),
    ]


def test_incomparable_keys_are_an_error():
    report = make_report(sort=[{"expression": "k"}])
    with pytest.raises(EvaluationError, match="cannot be compared"):
        sort_rows(report, [{"k": 1}, {"k": "a"}])
