"""An SqlSource and parameters → a RowStream: SQLite files through Python's sqlite3, other databases through SQLAlchemy.

One reader for both: the database is reached through ``engine.data.connections``, which
imports SQLAlchemy on the first non-SQLite source only. Setting the environment variable
ASHR_SQLITE_DRIVER=sqlalchemy sends SQLite files through SQLAlchemy too (the tests run
both over the same files).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from engine.errors import DataSourceError
from engine.model import SqlSource

from .columns import (
    DeclaredTypes,
    convert_chunk,
    duplicate_column_error,
    projected_sql,
    query_stream,
    result_fields,
    sorted_sql,
)
from .connections import open_connection
from .conversion import column_builder
from .stream import OrderKey, RowStream, reader

logger = logging.getLogger(__name__)


@reader("sql")
def open_sql_source(
    source: SqlSource,
    *,
    params: Mapping[str, Any],
    base_dir: Path | None,
    url: str | None,
    order_by: Sequence[OrderKey],
    chunk_size: int,
    on_open: Callable[[Callable[[], None]], None] | None = None,
    columns: Collection[str] | None = None,
) -> RowStream:
    """Run the source's query (or read its table) and stream typed rows; see engine.data.open_rows."""
    conn = open_connection(source, url, base_dir)
    try:
        if on_open is not None:  # lets a caller interrupt the query before it returns rows
            on_open(conn.cancel)
        base_sql = conn.base_sql()
        values = conn.bind(base_sql, params)
        declared = conn.declared(base_sql, values)
        wanted = _projection(declared, columns)
        overrides = source.fields
        if wanted is not None:
            base_sql = projected_sql(base_sql, wanted, conn.quote)
            declared = [(name, kind) for name, kind in declared or () if name in wanted]
            overrides = tuple(f for f in source.fields or () if f.name in wanted)
        sql = sorted_sql(base_sql, order_by, conn.quote, conn.nulls)
        if conn.cancelled.is_set():  # a cancel before the query started: the driver's
            raise DataSourceError("query cancelled")  # interrupt would have found nothing to stop
        names, parts = conn.execute(sql, values, chunk_size)
        error = duplicate_column_error(names)
        if error is not None:
            raise error
        first_raw = next(parts, [])
        fields, converters = result_fields(names, declared, overrides, first_raw)
        build = column_builder(names, converters)
        first = convert_chunk(build, first_raw, fields, converters, 0)
    except conn.errors as exc:
        conn.close()
        if conn.cancelled.is_set():
            raise DataSourceError("query cancelled") from exc
        raise DataSourceError(f"query failed: {conn.message(exc)}") from exc
    except BaseException:
        conn.close()
        raise
    logger.debug("streaming %s from %s: %s", source.table or "query", conn.where, fields)
    return query_stream(
        conn, f"{source.table or 'query'} in {conn.where}", first, parts, build, fields,
        converters, driver_errors=conn.errors, message=conn.message,
    )  # fmt: skip


def _projection(
    declared: DeclaredTypes | None, columns: Collection[str] | None
) -> list[str] | None:
    """The columns to select, in the source's order, when fewer than all are wanted and the database named them all."""
    if columns is None or declared is None:
        return None
    names = [name for name, _ in declared]
    if len(set(names)) != len(names) or not set(columns) <= set(names):
        return None  # a duplicate or unknown name: read everything, the usual errors follow
    wanted = [name for name in names if name in columns]
    return wanted if len(wanted) < len(names) else None


def query_columns(
    source: SqlSource,
    *,
    params: Mapping[str, Any],
    base_dir: Path | None,
    url: str | None,
) -> list[str]:
    """The column names the source's query (or table) returns, asked of the database without reading a row.

    The statement runs as the reports run it (read-only, one statement, the timeout), as a
    derived table under `WHERE 1 = 0`: the database plans it and describes its columns.

    Raises:
        DataSourceError: the database cannot be reached or refuses the query.
        ParameterError: the query uses a parameter that has no value in `params`.
    """
    conn = open_connection(source, url, base_dir)
    try:
        base_sql = conn.base_sql()
        values = conn.bind(base_sql, params)
        names, _ = conn.head(f"SELECT * FROM (\n{base_sql}\n) AS q WHERE 1 = 0", values, 0)
        return names
    except conn.errors as exc:
        raise DataSourceError(f"query failed: {conn.message(exc)}") from exc
    finally:
        conn.close()
