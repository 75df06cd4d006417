"""An SQLite SqlSource, several groupings and partial aggregates → each grouping's rows, from one scan hashed in C (``_hashscan``), or None where it cannot.

A database ``GROUP BY`` sorts every row, so charts grouping by different fields cost one
sort of the table per field set (``engine.data.grain``). SQLite hands its rows to C
code far faster than to Python (an object per value), so ``_hashscan`` — a small C
extension built at install when a compiler is there, optional — reads the source's query
once and keeps one hash table per grouping: every grouping costs a hash lookup per row
instead of a sort. A big table is scanned in rowid ranges, each on a thread of the
extension's own (without the GIL), and the ranges' groups are merged there.

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
import math
from collections.abc import Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

from engine.errors import DataSourceError
from engine.model import DataSource, SqlSource

from .aggregate import FUNCTIONS, AggregationUnavailable, exact_sum, source_fields
from .connections import SqliteConnection, open_connection
from .conversion import converter
from .split import part_sql, rowid_parts, worker_count
from .sqlite import readonly_uri
from .sqlite_guard import STATEMENT_TIMEOUT_ENV, statement_timeout

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
#: one group as the scan gives it: key values, rows, per value column (count, integer sum,
#: float sum, millionths, decimals, flags, min, max)
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
        # the file the connection checked (confined, a regular file), opened as connect_readonly
        # opens it (the URI built from the path), with an authorizer as strict as its
        uri = readonly_uri(Path(conn.path))
        timeout = statement_timeout()
    except conn.errors as exc:
        raise DataSourceError(f"query failed: {conn.message(exc)}") from exc
    finally:
        conn.close()
    position = {name: i for i, name in enumerate(columns)}
    value_fields = list(dict.fromkeys(a[2] for a in aggregates))
    key_columns = [tuple(position[name] for name in grain) for grain in grains]
    wanted = {(function, name) for _, function, name in aggregates}
    # per value column, whether its MIN (1) and MAX (2) are wanted: the scan tracks no other
    value_columns = [
        (
            position[name],
            (1 if ("MIN", name) in wanted else 0) | (2 if ("MAX", name) in wanted else 0),
        )
        for name in value_fields
    ]
    try:
        found = _hashscan.scan(
            uri,
            statements,
            dict(values),
            key_columns,
            value_columns,
            max_groups,
            bytearray(1),
            0 if math.isinf(timeout) else timeout,
        )
    except _hashscan.TooManyGroups as exc:
        logger.info("hashed grouping gave up: %s", exc)
        return None
    except TimeoutError as exc:
        raise DataSourceError(
            f"query failed: {exc} and was stopped; if it is meant to take that long, raise the "
            f"limit ({STATEMENT_TIMEOUT_ENV}=SECONDS)"
        ) from exc
    except (ValueError, OSError) as exc:  # PermissionError: a refused statement, said so
        raise DataSourceError(f"query failed: {exc}") from exc
    return [
        _rows(raw, grain, types, aggregates, value_fields)
        for grain, raw in zip(grains, found, strict=True)
    ]


class _Converted(dict[Any, Any]):
    """A field's converter remembered per distinct value (a key column repeats its few values)."""

    def __init__(self, convert: Any) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        found = self[value] = self.convert(value)
        return found


def _rows(
    raw: list[_Raw],
    grain: Sequence[str],
    types: Mapping[str, str],
    aggregates: Sequence[Aggregate],
    value_fields: list[str],
) -> list[dict[str, Any]]:
    """Typed rows in key order (nulls first), each aggregate decoded as ``open_grouped`` gives it."""
    at = {name: i for i, name in enumerate(value_fields)}
    names = (*grain, *(alias for alias, _, _ in aggregates))
    keys = [_Converted(converter(types[name])) for name in grain]
    decoders = [(at[name], _decoder(function, types[name])) for _, function, name in aggregates]
    try:
        ordered = sorted(raw, key=itemgetter(0))  # the key tuples compared in C
    except TypeError:  # a null, or numbers and text in one field
        ordered = sorted(raw, key=_order)
    out = []
    for key, _rows_count, aggs in ordered:
        values = [memo[v] for memo, v in zip(keys, key, strict=True)]
        for i, decode in decoders:
            values.append(decode(aggs[i]))
        out.append(dict(zip(names, values, strict=True)))
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
