"""Calculations: a calculation name in, an accumulator that adds values, merges partials and names its SQL partial out.

One registry (``CALCULATIONS``) serves every aggregate of a render: the fill's variables,
group totals and page totals, the charts' points (per point, streamed or merged from a
database's partials), the summary push-down's choice of SQL aggregates and the fallback
that computes those aggregates over rows.
"""

from __future__ import annotations

from .calculations import OVER_ROWS
from .registry import CALCULATIONS, Accumulator, Totals, has_null, make_accumulator

__all__ = [
    "CALCULATIONS",
    "OVER_ROWS",
    "Accumulator",
    "Totals",
    "has_null",
    "make_accumulator",
]
