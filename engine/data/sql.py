"""An SqlSource and parameters → a RowStream of typed rows, through SQLAlchemy Core, streamed in chunks.

Every statement goes through sqlalchemy.text() with bound parameters on a connection the
dialect made read-only (engine.data.dialects); the report's query is always embedded as a
derived table of our own SELECT, never sent raw.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, CursorResult, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from engine.errors import DataSourceError, ParameterError
from engine.model import SqlSource

from .columns import DeclaredTypes, sorted_sql
from .dialects import (
    Dialect,
    dialect_for,
    parse_url,
    resolve_url,
    safe_url,
    statement_timeout,
)
from .named import connect_target
from .sqlite_guard import STATEMENT_TIMEOUT_ENV
from .stream import OrderKey

logger = logging.getLogger(__name__)

_T = TypeVar("_T")
#: seconds the client waits past the statement timeout before it interrupts a round trip itself
_GRACE = 1.0


def db_message(exc: BaseException) -> str:
    """The database's own message for a failure, on one line."""
    original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    args: tuple[Any, ...] = getattr(original, "args", ())
    # MySQL drivers: (error number, message)
    text = args[1] if len(args) == 2 and isinstance(args[0], int) else str(original)
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


class Link:
    """The engine, connection and result of one stream; closes them once, possibly early."""

    def __init__(self, engine: Engine, dialect: Dialect) -> None:
        self.engine = engine
        self.dialect = dialect
        self.conn: Connection | None = None
        self.result: CursorResult[Any] | None = None
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._closed = False

    def connect(self, where: str) -> Connection:
        try:
            self.conn = self.engine.connect()
        except SQLAlchemyError as exc:
            raise DataSourceError(f"cannot connect to {where}: {db_message(exc)}") from exc
        return self.conn

    def cancel(self) -> None:
        """Interrupt the running statement (from another thread than the reading one)."""
        self.cancelled.set()
        conn = self.conn
        if conn is not None and not self._closed:
            try:
                self.dialect.interrupt(conn.connection.driver_connection)
            except Exception:  # the statement may just have finished; closing follows anyway
                logger.debug("interrupting the query failed", exc_info=True)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for resource in (self.result, self.conn):
            if resource is not None:
                try:
                    resource.close()
                except SQLAlchemyError:
                    logger.debug("closing the connection failed", exc_info=True)
        self.engine.dispose()


def plain_sql(sql: str) -> str:
    """Text of our own making made safe for sqlalchemy.text(), which reads ':name' as a parameter."""
    return sql.replace(":", "\\:")


def table_sql(conn: Connection, table: str, url: URL) -> str:
    inspector = sa.inspect(conn)
    if not inspector.has_table(table):
        names = sorted(inspector.get_table_names() + inspector.get_view_names())
        raise DataSourceError(
            f"no table '{table}' in {url.database or safe_url(url)}; tables: {', '.join(names) or '(none)'}"
        )
    return "SELECT * FROM " + plain_sql(conn.dialect.identifier_preparer.quote(table))


def query_sql(query: str) -> str:
    # A trailing ';' would break the ORDER BY wrapper; the statement is still one statement.
    return query.strip().rstrip(";").rstrip()


def ordered_sql(
    sql: str, order_by: Sequence[OrderKey], sa_dialect: sa.Dialect, dialect: Dialect
) -> str:
    """The statement wrapped so its rows come sorted (columns.sorted_sql with this database's quoting)."""
    quote = sa_dialect.identifier_preparer.quote_identifier
    nulls = (dialect.nulls_ascending, dialect.nulls_descending)
    return sorted_sql(sql, order_by, lambda name: plain_sql(dialect.quote_name(name, quote)), nulls)


def bind_values(
    statement: sa.TextClause, conn: Connection, params: Mapping[str, Any], dialect: Dialect
) -> dict[str, Any]:
    """Values for exactly the parameters the statement names."""
    values = {}
    for name in statement.compile(dialect=conn.dialect).params:
        if name not in params:
            raise ParameterError(
                f"the query uses :{name} but no value was given for parameter '{name}'"
            )
        values[name] = dialect.bind_value(params[name])
    return values


def open_link(source: SqlSource, url: str | None, base_dir: Path | None) -> tuple[Link, URL, str]:
    """The source's engine wrapped in a Link (not yet connected), its resolved URL and a printable one.

    `url` (the user's `--data`) wins; else the source's named connection, else its own URL.
    """
    resolved = parse_url(resolve_url(connect_target(source, url).url, base_dir))
    dialect = dialect_for(resolved)
    where = safe_url(resolved)
    try:
        engine = dialect.create_engine(resolved)
    except (SQLAlchemyError, ImportError) as exc:
        raise DataSourceError(f"cannot use {where}: {db_message(exc)}") from exc
    return Link(engine, dialect), resolved, where


def source_sql(conn: Connection, source: SqlSource, url: URL, dialect: Dialect) -> str:
    """The SQL that reads a source: its query as a derived table of our SELECT, or a select of its table."""
    if source.table is not None:
        return table_sql(conn, source.table, url)
    assert source.query is not None
    return dialect.query_sql(query_sql(source.query))


class SqlAlchemyConnection:
    """Any database through SQLAlchemy, seen as engine.data.connections.Connection."""

    errors: tuple[type[BaseException], ...] = (SQLAlchemyError,)

    def __init__(self, source: SqlSource, url: str | None, base_dir: Path | None) -> None:
        self.source = source
        self._link, self._url, self.where = open_link(source, url, base_dir)
        self.cancelled = self._link.cancelled
        try:
            self._conn = self._link.connect(self.where)
        except BaseException:
            self._link.close()
            raise
        dialect = self._link.dialect
        self.sqlite = self._conn.dialect.name == "sqlite"
        self.nulls = (dialect.nulls_ascending, dialect.nulls_descending)
        self._quote = self._conn.dialect.identifier_preparer.quote_identifier
        self._timeout = statement_timeout()
        self._timed_out = False

    def message(self, exc: BaseException) -> str:
        if self._timed_out:
            return (
                f"a statement ran past the statement timeout ({self._timeout:g} s, "
                f"{STATEMENT_TIMEOUT_ENV}) and was stopped"
            )
        return db_message(exc)

    def _watched(self, call: Callable[[], _T]) -> _T:
        """One round trip to the database, interrupted when it outlasts the statement timeout.

        The server enforces the timeout too, but a query can change its own session's limit
        (PostgreSQL: set_config('statement_timeout', '0', false)) for the fetches after it;
        this limit is the client's own. A little later than the server's, whose message says more.
        """
        if not self._timeout:
            return call()
        timer = threading.Timer(self._timeout + _GRACE, self._expire)
        timer.daemon = True
        timer.start()
        try:
            return call()
        finally:
            timer.cancel()

    def _expire(self) -> None:
        self._timed_out = True
        try:
            self._link.dialect.interrupt(self._conn.connection.driver_connection)
        except Exception:  # the statement may just have finished
            logger.debug("interrupting the query failed", exc_info=True)

    def base_sql(self) -> str:
        return source_sql(self._conn, self.source, self._url, self._link.dialect)

    def quote(self, name: str) -> str:
        return plain_sql(self._link.dialect.quote_name(name, self._quote))

    def bind(self, sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
        return bind_values(sa.text(sql), self._conn, params, self._link.dialect)

    def declared(self, sql: str, values: Mapping[str, Any]) -> DeclaredTypes | None:
        dialect, table = self._link.dialect, self.source.table
        return self._watched(lambda: dialect.declared_types(self._conn, sql, table, values))

    def head(self, sql: str, values: Mapping[str, Any], rows: int) -> tuple[list[str], list[Any]]:
        options = self._conn.execution_options(stream_results=True)
        result = self._watched(lambda: options.execute(sa.text(sql), values))
        try:
            found = self._watched(lambda: list(result.fetchmany(rows))) if rows else []
            return list(result.keys()), found
        finally:
            result.close()

    def execute(
        self, sql: str, values: Mapping[str, Any], chunk_size: int
    ) -> tuple[list[str], Iterator[Sequence[Sequence[Any]]]]:
        options = self._conn.execution_options(stream_results=True, yield_per=chunk_size)
        result = self._link.result = self._watched(lambda: options.execute(sa.text(sql), values))
        if not result.returns_rows:
            raise DataSourceError("the query returns no rows: give a SELECT statement")
        # SQLAlchemy applies the yield_per option to constructed statements only, not to text()
        parts = result.partitions(chunk_size)
        first = self._watched(lambda: next(parts, []))

        def chunks() -> Iterator[Sequence[Sequence[Any]]]:
            yield first
            while (chunk := self._watched(lambda: next(parts, None))) is not None:
                yield chunk

        return list(result.keys()), chunks()

    def cancel(self) -> None:
        self._link.cancel()

    def close(self) -> None:
        self._link.close()
