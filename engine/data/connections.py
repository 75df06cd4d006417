"""An SqlSource → an open connection seen one way by the grouped reader: its SQL, types, sample rows and statements.

Two kinds: an SQLite file through Python's sqlite3 (`SqliteConnection`, no SQLAlchemy), and
any database through SQLAlchemy (`engine.data.sql.SqlAlchemyConnection`, imported when
needed). `open_connection` picks one as `engine.data.open_rows` picks its reader.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from engine.access import confine
from engine.errors import DataSourceError
from engine.model import SqlSource

from .columns import DeclaredTypes
from .named import connect_target
from .sqlite import (
    NULLS_ASCENDING,
    NULLS_DESCENDING,
    bind_values,
    connect_readonly,
    has_table,
    table_names,
)
from .sqlite import declared_types as sqlite_declared_types
from .sqlite import quote as sqlite_quote
from .stream import resolve_path
from .urls import sqlite3_driver, sqlite_database, sqlite_url

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
        return "SELECT * FROM " + sqlite_quote(source.table)
    assert source.query is not None
    # a trailing ';' would break the ORDER BY wrapper; the statement is still one statement
    return source.query.strip().rstrip(";").rstrip()


class Connection(Protocol):
    """One source's connection, for statements built around the source's own SQL."""

    where: str  # the database, printable (no password)
    sqlite: bool  # SQLite's rules apply (types, exact sums)
    nulls: tuple[str, str]  # ORDER BY templates, nulls first (columns.order_term)
    errors: tuple[type[BaseException], ...]  # what the driver raises
    cancelled: threading.Event  # set once cancel() was called

    def message(self, exc: BaseException) -> str:
        """The database's own message for a failure, on one line."""
        ...

    def base_sql(self) -> str:
        """The SQL that reads the source (its query, or a select of its table) as statements embed it."""
        ...

    def quote(self, name: str) -> str:
        """A column name as statements write it."""
        ...

    def bind(self, sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Values for exactly the parameters `sql` uses (ParameterError for a missing one)."""
        ...

    def declared(self, sql: str, values: Mapping[str, Any]) -> DeclaredTypes | None:
        """The declared column types of `sql`'s rows, or None when the database does not say."""
        ...

    def head(self, sql: str, values: Mapping[str, Any], rows: int) -> tuple[list[str], list[Any]]:
        """The column names of `sql` and up to `rows` of its rows (0: names only)."""
        ...

    def execute(
        self, sql: str, values: Mapping[str, Any], chunk_size: int
    ) -> tuple[list[str], Iterator[Sequence[Sequence[Any]]]]:
        """Run `sql`: its column names and its rows in chunks (the first fetched before this returns).

        Raises:
            DataSourceError: the statement returns no rows (not a SELECT).
        """
        ...

    def cancel(self) -> None:
        """Interrupt the running statement (from another thread)."""
        ...

    def close(self) -> None:
        """Let the connection go; safe twice."""
        ...


class SqliteConnection:
    """An SQLite file opened read-only with Python's sqlite3."""

    sqlite = True
    nulls = (NULLS_ASCENDING, NULLS_DESCENDING)
    errors: tuple[type[BaseException], ...] = (sqlite3.Error, sqlite3.Warning)

    def __init__(self, source: SqlSource, path: Path) -> None:
        self.source = source
        self.where = sqlite_url(path)
        self._path = path
        self.path = path
        self._link = SqliteLink(connect_readonly(path))
        self.cancelled = self._link.cancelled
        self._parts: list[sqlite3.Connection] = []  # more connections working for this one

    @property
    def raw(self) -> sqlite3.Connection:
        """The sqlite3 connection itself, for a question the Connection protocol does not ask."""
        return self._link.conn

    def add_part(self, conn: sqlite3.Connection) -> None:
        """Another connection running part of this one's work: a cancel interrupts it too."""
        self._parts.append(conn)
        if self.cancelled.is_set():
            conn.interrupt()

    def message(self, exc: BaseException) -> str:
        return error_message(exc)

    def base_sql(self) -> str:
        return sqlite_source_sql(self._link.conn, self.source, str(self._path))

    def quote(self, name: str) -> str:
        return sqlite_quote(name)

    def bind(self, sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
        return bind_values(sql, params)

    def declared(self, sql: str, values: Mapping[str, Any]) -> DeclaredTypes | None:
        return sqlite_declared_types(self._link.conn, sql)

    def head(self, sql: str, values: Mapping[str, Any], rows: int) -> tuple[list[str], list[Any]]:
        cursor = self._link.conn.execute(sql, dict(values))
        try:
            names = [column[0] for column in cursor.description or ()]
            return names, cursor.fetchmany(rows) if rows else []
        finally:
            cursor.close()

    def execute(
        self, sql: str, values: Mapping[str, Any], chunk_size: int
    ) -> tuple[list[str], Iterator[Sequence[Sequence[Any]]]]:
        cursor = self._link.cursor = self._link.conn.execute(sql, dict(values))
        if cursor.description is None:
            raise DataSourceError("the query returns no rows: give a SELECT statement")
        first = cursor.fetchmany(chunk_size)

        def chunks() -> Iterator[Sequence[Sequence[Any]]]:
            yield first
            yield from iter(lambda: cursor.fetchmany(chunk_size), [])

        return [column[0] for column in cursor.description], chunks()

    def cancel(self) -> None:
        self._link.cancel()
        for part in list(self._parts):
            with contextlib.suppress(sqlite3.ProgrammingError):  # that part is done and closed
                part.interrupt()

    def close(self) -> None:
        self._link.close()


def open_connection(source: SqlSource, url: str | None, base_dir: Path | None) -> Connection:
    """A connection to the source's database: sqlite3 for an SQLite file, else SQLAlchemy.

    An SQLite file the report itself names is confined to the report's folder tree (or a
    folder the user allowed); one from `--data` or a named connection is the user's choice.
    Either way it is opened read-only (engine.data.sqlite.connect_readonly).

    Raises:
        DataSourceError: the database cannot be reached (a missing file, a driver, a server).
        ReportInputError: a malformed URL, an SQLite URL asking to write, a file the report
            may not read (AccessError).
    """
    target = connect_target(source, url)
    path = sqlite_path(target.url, target.from_report, base_dir)
    if path is not None and sqlite3_driver():
        return SqliteConnection(source, path)
    from .sql import SqlAlchemyConnection

    if path is not None:  # the SQLAlchemy reader on the file just checked, by its real path
        return SqlAlchemyConnection(source, sqlite_url(path), base_dir)
    return SqlAlchemyConnection(source, url, base_dir)


def sqlite_path(url: str, from_report: bool, base_dir: Path | None) -> Path | None:
    """The SQLite file a URL names (confined when the report chose it), or None for another database.

    Raises:
        SqliteUrlError: the URL asks for something other than reading a file.
        AccessError: the report names a file outside its folder tree and the allowed folders.
    """
    database = sqlite_database(url)
    if database is None:
        return None
    if from_report:
        return confine(database, base_dir, what="SQLite database")
    return resolve_path(database, base_dir)
