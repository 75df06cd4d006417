"""An SQLite SqlSource, several groupings and partial aggregates → each grouping's rows, from one scan hashed in C (``_hashscan``), or None where it cannot.

A database ``GROUP BY`` sorts every row, so charts grouping by different fields cost one
sort of the table per field set (``engine.charts.grain``). SQLite hands its rows to C
code far faster than to Python (an object per value), so ``_hashscan`` — a small C
extension built at install when a compiler is there, optional — reads the source's query
once and keeps one hash table per grouping: every grouping costs a hash lookup per row
instead of a sort. A big table is scanned in rowid ranges on several threads at once (the
scan runs without the GIL) and the ranges' groups are merged here.

The results equal ``open_grouped``'s (``engine.data.aggregate``): the same exactness
rules (a decimal sum is summed in millionths with the decimals ``Decimal(repr(value))``
has; a value it cannot sum exactly, a text among numbers, an integer overflow raise
``AggregationUnavailable``), MIN and MAX of numbers only (text would need SQLite's
collation: None, the caller groups in the database). Groups come in the order of their
keys, nulls first, as ``open_grouped`` orders them. ``grouped_many`` returns None
when the extension is missing, the source is not an SQLite file, or an aggregate is
one it does not compute.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from engine.errors import DataSourceError
from engine.model import DataSource, SqlSource

from .aggregate import FUNCTIONS, AggregationUnavailable, exact_sum, source_fields
from .connections import SqliteConnection, open_connection
from .conversion import converter
from .split import part_sql, rowid_parts, worker_count

try:
    import sqlite3  # noqa: F401  # loads libsqlite3, which the extension finds in the process

    from . import _hashscan  # type: ignore[attr-defined]
except ImportError:  # not built here (no C compiler at install): the database groups instead
    _hashscan = None

logger = logging.getLogger(__name__)

#: flags of a value column's aggregate (see _hashscan.c)
_OVERFLOW, _UNITS_OVERFLOW, _TEXT, _REAL = 1, 2, 4, 8
_INEXACT = 99
_INT64 = 2**63
_NUMERIC = ("integer", "decimal", "float")

Aggregate = tuple[str, str, str]
#: one group of one part: key values, rows, per value column (count, integer sum, float sum,
#: millionths, decimals, flags, min, max)
_Raw = tuple[tuple[Any, ...], int, tuple[tuple[Any, ...], ...]]


def available() -> bool:
    """Whether the C extension is built and loaded here."""
    return _hashscan is not None


def grouped_many(
    source: DataSource,
    *,
    params: Mapping[str, Any],
    base_dir: Path | None,
    url: str | None,
    grains: Sequence[Sequence[str]],
    aggregates: Sequence[Aggregate],
    max_groups: int = 1_000_000,
) -> list[list[dict[str, Any]]] | None:
    """Each grouping's rows (group fields and aggregate aliases by name), from one scan; None where it cannot.

    Args:
        source, params, base_dir, url: as for ``engine.data.open_rows``.
        grains: the fields of each grouping.
        aggregates: (alias, function, field), as for ``open_grouped``; every grouping gets all.
        max_groups: a grouping with more groups makes the scan give up (None).

    Raises:
        AggregationUnavailable: the values cannot be aggregated exactly (read the rows).
        DataSourceError: the query failed.
        ParameterError: the query uses a parameter that has no value.
    """
    if _hashscan is None or not isinstance(source, SqlSource):
        return None
    conn = open_connection(source, url, base_dir)
    try:
        if not isinstance(conn, SqliteConnection):
            return None
        base_sql = conn.base_sql()
        values = conn.bind(base_sql, params)
        types = {f.name: f.type for f in source_fields(conn, source, base_sql, values)}
        columns = list(
            dict.fromkeys([*(f for g in grains for f in g), *(a[2] for a in aggregates)])
        )
        if any(name not in types for name in columns):
            raise AggregationUnavailable(
                f"no field '{next(n for n in columns if n not in types)}' to group or aggregate"
            )
        for _, function, name in aggregates:
            if function not in FUNCTIONS:
                raise ValueError(f"unknown aggregate function {function!r}")
            if function != "COUNT" and types[name] not in _NUMERIC:
                return None  # SUM of text is refused below; MIN/MAX of text needs a collation
        select = ", ".join(f"q.{conn.quote(name)}" for name in columns)
        ranges = rowid_parts(conn.raw, source.table, worker_count()) if source.table else None
        inner = (
            [part_sql(source.table, r) for r in ranges] if ranges and source.table else [base_sql]
        )
        statements = [f"SELECT {select} FROM (\n{sql}\n) AS q" for sql in inner]
        uri = Path(conn.path).absolute().as_uri() + "?mode=ro"
    except conn.errors as exc:
        raise DataSourceError(f"query failed: {conn.message(exc)}") from exc
    finally:
        conn.close()
    position = {name: i for i, name in enumerate(columns)}
    value_fields = list(dict.fromkeys(a[2] for a in aggregates))
    key_columns = [tuple(position[name] for name in grain) for grain in grains]
    value_columns = [position[name] for name in value_fields]
    parts = _scan(uri, statements, values, key_columns, value_columns, max_groups)
    if parts is None:
        return None
    found = []
    for g, grain in enumerate(grains):
        merged = _merge([part[g] for part in parts])
        found.append(_rows(merged, grain, types, aggregates, value_fields))
    return found


def _scan(
    uri: str,
    statements: list[str],
    values: Mapping[str, Any],
    keys: list[tuple[int, ...]],
    value_columns: list[int],
    max_groups: int,
) -> list[list[list[_Raw]]] | None:
    """Every statement scanned on a thread of its own (the C scan releases the GIL)."""
    assert _hashscan is not None
    results: list[Any] = [None] * len(statements)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = _hashscan.scan(
                uri, statements[i], dict(values), keys, value_columns, max_groups, bytearray(1)
            )
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(1, len(statements))]
    for thread in threads:
        thread.start()
    run(0)
    for thread in threads:
        thread.join()
    for exc in errors:
        if isinstance(exc, _hashscan.TooManyGroups):
            logger.info("hashed grouping gave up: %s", exc)
            return None
        if isinstance(exc, (ValueError, OSError)):
            raise DataSourceError(f"query failed: {exc}") from exc
        raise exc
    return results


def _merge(parts: list[list[_Raw]]) -> list[_Raw]:
    """One part's groups, or the groups of several rowid ranges merged (in first-seen order)."""
    if len(parts) == 1:
        return parts[0]
    merged: dict[tuple[Any, ...], list[Any]] = {}
    for part in parts:
        for key, rows, aggs in part:
            found = merged.get(key)
            if found is None:
                merged[key] = [key, rows, [list(a) for a in aggs]]
                continue
            found[1] += rows
            for into, more in zip(found[2], aggs, strict=True):
                count, isum, fsum, units, decimals, flags, low, high = more
                into[0] += count
                into[1] += isum
                into[2] += fsum
                into[3] += units
                into[4] = max(into[4], decimals)
                into[5] |= flags
                into[6] = low if into[6] is None or (low is not None and low < into[6]) else into[6]
                into[7] = (
                    high if into[7] is None or (high is not None and high > into[7]) else into[7]
                )
    return [(key, rows, tuple(tuple(a) for a in aggs)) for key, rows, aggs in merged.values()]


def _rows(
    raw: list[_Raw],
    grain: Sequence[str],
    types: Mapping[str, str],
    aggregates: Sequence[Aggregate],
    value_fields: list[str],
) -> list[dict[str, Any]]:
    """Typed rows in key order (nulls first), each aggregate decoded as ``open_grouped`` gives it."""
    at = {name: i for i, name in enumerate(value_fields)}
    convert_key = [converter(types[name]) for name in grain]
    decoders = [
        (alias, at[name], _decoder(function, types[name])) for alias, function, name in aggregates
    ]
    out = []
    for key, _rows_count, aggs in sorted(raw, key=_order):
        record = {
            name: convert(v) for name, convert, v in zip(grain, convert_key, key, strict=True)
        }
        for alias, i, decode in decoders:
            record[alias] = decode(aggs[i])
        out.append(record)
    return out


def _order(group: _Raw) -> tuple[Any, ...]:
    """Sort key of a group: its key values, nulls first, numbers before text before bytes (SQLite's order)."""
    return tuple(
        (0, 0)
        if v is None
        else (1, v)
        if isinstance(v, (int, float))
        else (2, v)
        if isinstance(v, str)
        else (3, v)
        for v in group[0]
    )


def _decoder(function: str, field_type: str) -> Any:
    """The function turning a value column's raw aggregate into the aggregate's value."""
    convert = converter(field_type)

    def count(agg: tuple[Any, ...]) -> Any:
        return agg[0]

    def total(agg: tuple[Any, ...]) -> Any:
        n, isum, fsum, units, decimals, flags, _, _ = agg
        if flags & _TEXT:
            raise AggregationUnavailable("a value cannot be aggregated exactly in SQLite")
        if n == 0:
            return None
        if field_type == "decimal":
            if decimals >= _INEXACT or flags & _UNITS_OVERFLOW or not -_INT64 <= units < _INT64:
                raise AggregationUnavailable("a value cannot be aggregated exactly in SQLite")
            return exact_sum(units, decimals)
        if field_type == "integer":
            if flags & (_REAL | _OVERFLOW) or not -_INT64 <= isum < _INT64:
                raise AggregationUnavailable("a value cannot be aggregated exactly in SQLite")
            return isum
        return convert(fsum)

    def extreme(index: int) -> Any:
        def pick(agg: tuple[Any, ...]) -> Any:
            if agg[5] & _TEXT:
                raise AggregationUnavailable("a value cannot be aggregated exactly in SQLite")
            return convert(agg[index])

        return pick

    return {"COUNT": count, "SUM": total, "MIN": extreme(6), "MAX": extreme(7)}[function]
