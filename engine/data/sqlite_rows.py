"""An SqlSource on an SQLite file, parameters and an order → a RowStream, read with Python's sqlite3 (no SQLAlchemy).

The fast path for the common case: rows come from the driver as tuples and are typed a
chunk at a time; nothing of SQLAlchemy is imported (it costs about 0.25 s to import).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from engine.errors import DataSourceError
from engine.model import SqlSource

from .columns import convert_chunk, duplicate_column_error, query_stream, result_fields
from .conversion import row_builder
from .sqlite import (
    NULLS_ASCENDING,
    NULLS_DESCENDING,
    bind_values,
    connect_readonly,
    declared_types,
    has_table,
    quote,
    table_names,
)
from .stream import OrderKey, RowStream
from .urls import sqlite_url

logger = logging.getLogger(__name__)


class SqliteLink:
    """One read's connection and cursor: interrupted and closed once, possibly from another thread."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.cursor: sqlite3.Cursor | None = None
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._closed = False

    def cancel(self) -> None:
        self.cancelled.set()
        if not self._closed:
            self.conn.interrupt()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            if self.cursor is not None:
                self.cursor.close()
            self.conn.close()
        except sqlite3.Error:
            logger.debug("closing the connection failed", exc_info=True)


def error_message(exc: BaseException) -> str:
    """SQLite's message for a failure, on one line."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def sqlite_source_sql(conn: sqlite3.Connection, source: SqlSource, where: str) -> str:
    """The SQL that reads a source: its query, or a select of its table (which must exist)."""
    if source.table is not None:
        if not has_table(conn, source.table):
            raise DataSourceError(
                f"no table '{source.table}' in {where}; "
                f"tables: {', '.join(table_names(conn)) or '(none)'}"
            )
        return "SELECT * FROM " + quote(source.table)
    assert source.query is not None
    # a trailing ';' would break the ORDER BY wrapper; the statement is still one statement
    return source.query.strip().rstrip(";").rstrip()


def _ordered(sql: str, order_by: Sequence[OrderKey]) -> str:
    """The statement wrapped so its rows come sorted; names are qualified so a wrong one is an error."""
    if not order_by:
        return sql
    keys = ", ".join(
        f"q.{quote(key.field)} "
        + ("DESC" + NULLS_DESCENDING if key.descending else "ASC" + NULLS_ASCENDING)
        for key in order_by
    )
    # newlines: the query may end in a -- comment
    return f"SELECT * FROM (\n{sql}\n) AS q ORDER BY {keys}"


def open_sqlite_rows(
    source: SqlSource,
    path: Path,
    *,
    params: Mapping[str, Any],
    order_by: Sequence[OrderKey],
    chunk_size: int,
    on_open: Callable[[Callable[[], None]], None] | None = None,
) -> RowStream:
    """Run the source's query (or read its table) on the SQLite file at `path`; see engine.data.open_rows."""
    where = sqlite_url(path)
    conn = connect_readonly(path)
    link = SqliteLink(conn)
    try:
        if on_open is not None:  # lets a caller interrupt the query before it returns rows
            on_open(link.cancel)
        base_sql = sqlite_source_sql(conn, source, str(path))
        values = bind_values(base_sql, params)
        declared = declared_types(conn, base_sql)
        cursor = link.cursor = conn.execute(_ordered(base_sql, order_by), values)
        if cursor.description is None:
            raise DataSourceError("the query returns no rows: give a SELECT statement")
        names = [column[0] for column in cursor.description]
        error = duplicate_column_error(names)
        if error is not None:
            raise error
        first_raw = cursor.fetchmany(chunk_size)
        fields, converters = result_fields(names, declared, source.fields, first_raw)
        build = row_builder(names, converters)
        first = convert_chunk(build, first_raw, fields, converters, 0)
    except (sqlite3.Error, sqlite3.Warning) as exc:
        link.close()
        if link.cancelled.is_set():
            raise DataSourceError("query cancelled") from exc
        raise DataSourceError(f"query failed: {error_message(exc)}") from exc
    except BaseException:
        link.close()
        raise
    logger.debug("streaming %s from %s with sqlite3: %s", source.table or "query", where, fields)
    parts = iter(lambda: cursor.fetchmany(chunk_size), [])
    return query_stream(
        link, f"{source.table or 'query'} in {where}", first, parts, build, fields, converters,
        driver_errors=(sqlite3.Error, sqlite3.Warning), message=error_message,
    )  # fmt: skip
