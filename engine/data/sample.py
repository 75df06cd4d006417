"""An SQLite SqlSource and some of its fields → a sample of their raw values (rows spread over a table, else the first rows).

The chart planner estimates how many groups a GROUP BY over several fields would give
from such a sample (``engine.data.grain``). Values are the database's own (no typing):
only their distinctness matters. Rows of a big table are picked at random rowids (seeded:
the same table gives the same sample), so a table stored in date order still shows all of
its dates; a query gives its first rows within ``BUDGET_SECONDS`` (a query that sorts or
groups a big table before its first row gives no sample rather than costing a second
scan; on a busy machine a slow query may miss it, which changes only the plan's speed).
Other databases give none: the caller then plans without one.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from engine.errors import ReportError
from engine.model import DataSource, SqlSource

from .connections import SqliteConnection, open_connection
from .split import rowid_bounds
from .sqlite_guard import ReadOnlyConnection

logger = logging.getLogger(__name__)

_SEED = 20_241_122
#: seconds a query's sample may take (the read-only connection's progress handler checks it)
BUDGET_SECONDS = 0.1


def sample_values(
    source: DataSource,
    *,
    params: Mapping[str, Any],
    base_dir: Path | None,
    url: str | None,
    fields: Sequence[str],
    rows: int,
) -> list[tuple[Any, ...]] | None:
    """Up to `rows` tuples of the `fields` of an SQLite source's rows, or None when it gives no sample.

    Never raises for a database problem (the caller then plans without a sample).
    """
    if not isinstance(source, SqlSource) or not fields:
        return None
    try:
        conn = open_connection(source, url, base_dir)
    except ReportError as exc:
        logger.debug("no sample: %s", exc)
        return None
    try:
        if not isinstance(conn, SqliteConnection):
            return None
        base_sql = conn.base_sql()
        values = conn.bind(base_sql, params)
        columns = ", ".join("q." + conn.quote(name) for name in fields)
        spread = _spread(conn, source, columns, rows)
        if spread is not None:
            return spread
        raw = conn.raw
        if isinstance(raw, ReadOnlyConnection):  # always: its own handler checks the deadline too
            raw.deadline = time.monotonic() + BUDGET_SECONDS
        _, found = conn.head(f"SELECT {columns} FROM (\n{base_sql}\n) AS q", values, rows)
        return [tuple(row) for row in found]
    except (*conn.errors, ReportError) as exc:
        logger.debug("no sample: %s", exc)
        return None
    finally:
        conn.close()


def _spread(
    conn: SqliteConnection, source: SqlSource, columns: str, rows: int
) -> list[tuple[Any, ...]] | None:
    """Rows of a table at `rows` random rowids between its first and last, or None."""
    if source.table is None:
        return None
    raw = conn.raw
    table = conn.quote(source.table)
    try:
        low, high = rowid_bounds(raw, table)
    except sqlite3.Error:
        return None  # a view or a table without rowid: its first rows then
    if low is None or high is None or high - low + 1 <= rows:
        return None  # small: the first rows are all of them, or most
    picked = sorted(random.Random(_SEED).sample(range(low, high + 1), rows))
    listed = ",".join(map(str, picked))
    found = raw.execute(f"SELECT {columns} FROM {table} AS q WHERE rowid IN ({listed})")
    return [tuple(row) for row in found.fetchall()]
