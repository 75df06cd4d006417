"""A grouped statement over a big SQLite table → the same grouped rows, computed as rowid ranges on several connections at once.

SQLite groups by sorting, on one core; most of a summary report's time over a million
rows is that sort. Here the table's rowid range is cut into parts, each part grouped on
its own read-only connection in its own thread (sqlite3 lets go of the GIL while SQLite
works), and the partial groups are combined: counts and sums added, minima and maxima
taken, then put back in the statement's order (SQLite's: NULL, numbers, text, blobs;
null first in both directions). Only for a plain rowid table with no COLLATE clause
(a collation could make two texts one group); anything else runs as one statement.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .sqlite import connect_readonly, quote

logger = logging.getLogger(__name__)

#: tables with fewer rowids than this are grouped in one statement
MIN_ROWS = 200_000

Combine = Callable[[Any, Any], Any]


def _add(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else a + b


def _type_rank(value: Any) -> tuple[int, Any]:
    """SQLite's order of values of different kinds (BINARY collation): NULL, numbers, text, blobs."""
    if value is None:
        return (0, 0)
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, bytes(value))


def _least(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return b if a is None else a
    return a if _type_rank(a) <= _type_rank(b) else b


def _greatest(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return b if a is None else a
    return a if _type_rank(a) >= _type_rank(b) else b


def combiner(column_sql: str) -> Combine:
    """How two parts' values of an aggregate column combine, read from its SQL (COUNT, SUM, MIN, else MAX)."""
    if column_sql.startswith(("COUNT(", "SUM(")):
        return _add
    if column_sql.startswith("MIN("):
        return _least
    return _greatest


def _row_order(descending: Sequence[bool]) -> Callable[[tuple[Any, ...], tuple[Any, ...]], int]:
    def compare(a: tuple[Any, ...], b: tuple[Any, ...]) -> int:
        for x, y, desc in zip(a, b, descending, strict=False):
            if x is None or y is None:
                if x is None and y is None:
                    continue
                return -1 if x is None else 1  # null first in both directions
            rx, ry = _type_rank(x), _type_rank(y)
            if rx == ry:
                continue
            result = -1 if rx < ry else 1
            return -result if desc else result
        return 0

    return compare


def rowid_bounds(conn: sqlite3.Connection, table_sql: str) -> tuple[int | None, int | None]:
    """The smallest and largest rowid of a table (given as quoted SQL), or None, None when it is empty.

    Two subqueries: SQLite answers a lone ``min(rowid)`` or ``max(rowid)`` from the end of the
    table's b-tree, but ``SELECT min(rowid), max(rowid)`` reads every row (0.15 s per
    million rows).
    """
    low, high = conn.execute(
        f"SELECT (SELECT min(rowid) FROM {table_sql}), (SELECT max(rowid) FROM {table_sql})"
    ).fetchone()
    return low, high


def rowid_parts(conn: sqlite3.Connection, table: str, parts: int) -> list[tuple[int, int]] | None:
    """Rowid ranges cutting `table` into `parts`, or None when it must be grouped in one statement."""
    if parts < 2:
        return None
    try:
        found = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE",
            (table,),
        ).fetchone()
        if found is None or found[0] is None:
            return None  # a view, or an internal table
        create = found[0].upper()
        if "COLLATE" in create or "WITHOUT ROWID" in create:
            return None
        low, high = rowid_bounds(conn, quote(table))
    except sqlite3.Error:
        return None
    if low is None or high is None or high - low + 1 < MIN_ROWS:
        return None
    step = (high - low + 1) // parts
    cuts = [low + i * step for i in range(parts)] + [high + 1]
    return [(cuts[i], cuts[i + 1] - 1) for i in range(parts)]


def worker_count() -> int:
    """Connections to group with at once: the machine's cores, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def grouped_in_parts(
    path: Path,
    statements: Sequence[str],
    values: dict[str, Any],
    group_count: int,
    combiners: Sequence[Combine],
    descending: Sequence[bool],
    on_connect: Callable[[sqlite3.Connection], None],
) -> list[tuple[Any, ...]]:
    """The grouped rows over the whole table from one grouped statement per rowid range, run at once.

    Each result row is `group_count` group values then one value per `combiners` entry.
    `on_connect` receives each part's connection (so a cancel can interrupt it).
    """

    def run(sql: str) -> list[tuple[Any, ...]]:
        conn = connect_readonly(path)
        try:
            on_connect(conn)
            return conn.execute(sql, values).fetchall()
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=len(statements), thread_name_prefix="ashr-group") as pool:
        results = list(pool.map(run, statements))
    merged: dict[tuple[Any, ...], list[Any]] = {}
    for rows in results:
        for row in rows:
            key = tuple(row[:group_count])
            seen = merged.get(key)
            if seen is None:
                merged[key] = list(row[group_count:])
            else:
                for i, combine in enumerate(combiners):
                    seen[i] = combine(seen[i], row[group_count + i])
    if any(descending):
        keys = sorted(merged, key=functools.cmp_to_key(_row_order(descending)))
    else:  # the common case, without a Python comparison call per pair: ~5× faster
        keys = sorted(merged, key=lambda key: tuple(map(_type_rank, key)))
    logger.debug("grouped in %d parts: %d groups", len(statements), len(keys))
    return [(*key, *merged[key]) for key in keys]


def part_sql(table: str, rowids: tuple[int, int]) -> str:
    """A select of the rows of `table` whose rowid is in the range."""
    return f"SELECT * FROM {quote(table)} WHERE rowid BETWEEN {rowids[0]} AND {rowids[1]}"
