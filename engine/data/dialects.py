"""Database URLs → read-only engines, with what differs per database (read-only sessions, timeouts, null ordering, column types).

Every connection is read-only by construction, set by this module before the report's SQL
runs: SQLite files open read-only (engine.data.sqlite); PostgreSQL (psycopg 3) sessions
default to read-only transactions, every transaction begins READ ONLY and every statement
is a server-side prepared statement (which holds exactly one command); MySQL/MariaDB
sessions are read-only with the multi-statement and local-file client flags off; Oracle
transactions are SET TRANSACTION READ ONLY. A database or driver not listed here is
refused (ReadOnlyUnavailableError), never run writable.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from engine.errors import DataSourceError, ReportInputError

from . import sqlite
from .columns import DeclaredTypes
from .sqlite_guard import statement_timeout as sqlite_statement_timeout

logger = logging.getLogger(__name__)

_CREDENTIALS_RE = re.compile(r"//[^/@]*@")


# SQLAlchemy type classes → field types; the first match wins, so subclasses come first.
_SQLALCHEMY_TYPES: list[tuple[type[sqltypes.TypeEngine[Any]], str]] = [
    (sqltypes.Boolean, "boolean"),
    (sqltypes.DateTime, "datetime"),
    (sqltypes.Date, "date"),
    (sqltypes.Integer, "integer"),
    (sqltypes.Float, "float"),
    (sqltypes.Numeric, "decimal"),
    (sqltypes.String, "string"),
    (sqltypes._Binary, "bytes"),
]


def field_type_of(sql_type: sqltypes.TypeEngine[Any]) -> str | None:
    """The field type of an SQLAlchemy column type, or None when values must tell."""
    for sql_class, field_type in _SQLALCHEMY_TYPES:
        if isinstance(sql_type, sql_class):
            return field_type
    return None


class ReadOnlyUnavailableError(ReportInputError):
    """The database or its driver is one AshReports cannot make read-only: refused before connecting."""


def statement_timeout() -> float:
    """The seconds one statement may run (ASHR_STATEMENT_TIMEOUT, as for SQLite; default 300), 0 for no limit.

    Raises:
        ReportInputError: the variable is not a number of seconds.
    """
    seconds = sqlite_statement_timeout()
    return 0.0 if math.isinf(seconds) else seconds


def safe_url(url: URL) -> str:
    """A URL to show a person: the password hidden."""
    return url.render_as_string(hide_password=True)


class Dialect:
    """How engine.data talks to one kind of database; this base works for any SQLAlchemy backend."""

    #: the clauses that put null values first in ascending and descending order ("" when the
    #: database already does); the SQL standard's NULLS FIRST, which most databases accept
    nulls_ascending = "{c} ASC"
    nulls_descending = "{c} DESC NULLS FIRST"
    #: the drivers (SQLAlchemy's names) whose connections this class makes read-only; a
    #: database or driver not named here is refused
    read_only_drivers: frozenset[str] = frozenset()
    #: a query runs as a derived table of our own SELECT: it can then only be a query (no
    #: COPY, no SELECT ... INTO OUTFILE, no SET, no data-modifying WITH)
    wraps_query = True

    def resolve(self, url: URL, base_dir: Path | None) -> URL:
        """The URL with anything relative made absolute."""
        return url

    def create_engine(self, url: URL) -> Engine:
        """A read-only engine without a pool: the stream's one connection closes with the stream.

        Raises:
            ReadOnlyUnavailableError: this database or driver cannot be made read-only.
        """
        backend, driver = url.get_backend_name(), url.get_driver_name()
        if driver not in self.read_only_drivers:
            raise ReadOnlyUnavailableError(_unsupported(backend, driver))
        timeout = statement_timeout()
        engine = sa.create_engine(url, poolclass=NullPool)

        # the last word on the driver's arguments: a URL's query string cannot undo them
        @event.listens_for(engine, "do_connect")
        def _arguments(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
            self.connect_arguments(cparams, timeout)

        @event.listens_for(engine, "connect")
        def _session(driver_connection: Any, record: Any) -> None:
            self.start_session(driver_connection, timeout)

        return engine

    def connect_arguments(self, cparams: dict[str, Any], timeout: float) -> None:
        """Change the driver's connect arguments so the session is read-only (in place)."""

    def start_session(self, driver_connection: Any, timeout: float) -> None:
        """Make a new connection read-only, before any statement of the report runs."""

    def query_sql(self, query: str) -> str:
        """The report's query as our statements embed it: a derived table of our own SELECT."""
        if not self.wraps_query:
            return query
        # newlines: the query may end in a -- comment
        return f"SELECT * FROM (\n{query}\n) AS q"

    def quote_name(self, name: str, quote: Callable[[str], str]) -> str:
        """A column name quoted for the statements we build around the query."""
        return quote(name)

    def bind_value(self, value: Any) -> Any:
        """A parameter value as the driver takes it."""
        return value

    def declared_types(
        self, conn: Connection, sql: str, table: str | None, values: Mapping[str, Any] | None = None
    ) -> DeclaredTypes | None:
        """Declared column types of the rows `sql` returns (with `values` bound), or None if unknown.

        The base class knows them for a table (reflection); for a query the values tell.
        """
        if table is None:
            return None
        columns = sa.inspect(conn).get_columns(table)
        return [(column["name"], field_type_of(column["type"])) for column in columns]

    def interrupt(self, driver_connection: Any) -> None:
        """Stop the statement running on `driver_connection`; called from another thread."""
        cancel: Callable[[], Any] | None = getattr(driver_connection, "cancel", None)
        if cancel is not None:
            cancel()


_DIALECTS: dict[str, Dialect] = {}
_DEFAULT = Dialect()


def dialect(name: str) -> Callable[[type[Dialect]], type[Dialect]]:
    """Register a Dialect subclass for the SQLAlchemy backend `name` (e.g. `sqlite`)."""

    def register(cls: type[Dialect]) -> type[Dialect]:
        _DIALECTS[name] = cls()
        return cls

    return register


def _unsupported(backend: str, driver: str) -> str:
    """The message refusing a database or driver we cannot make read-only."""
    known = _DIALECTS.get(backend)
    if known is not None and known.read_only_drivers:
        drivers = ", ".join(f"{backend}+{name}://" for name in sorted(known.read_only_drivers))
        return (
            f"the {backend} driver '{driver}' cannot be made read-only by AshReports: "
            f"use {drivers} instead"
        )
    return (
        f"AshReports cannot make a {backend} connection (driver '{driver}') read-only, so it "
        "does not connect to it: use SQLite, PostgreSQL (postgresql+psycopg://), "
        "MySQL/MariaDB (mysql+pymysql://) or Oracle (oracle+oracledb://), or export the data "
        "to CSV or Parquet"
    )


def dialect_for(url: URL) -> Dialect:
    """The Dialect for a URL's backend (the generic one when none is registered)."""
    return _DIALECTS.get(url.get_backend_name(), _DEFAULT)


def parse_url(url: str) -> URL:
    """An SQLAlchemy URL from text.

    Raises:
        ReportInputError: the text is not a database URL.
    """
    try:
        return make_url(url)
    except (ArgumentError, ValueError) as exc:
        shown = _CREDENTIALS_RE.sub("//***@", url)
        raise ReportInputError(
            "not a database URL (expected e.g. sqlite:///file.sqlite or "
            f"postgresql://user@host/db): {shown}"
        ) from exc


def resolve_url(url: str, base_dir: Path | None) -> str:
    """A data source URL ready to connect: a relative SQLite path resolved against `base_dir` (the
    report's folder; the working folder when None). A `${NAME}` stays as written: the engine
    never reads an environment variable for a URL (named connections hold secrets).

    Raises:
        ReportInputError: the text is not a database URL.
    """
    parsed = parse_url(url)
    parsed = dialect_for(parsed).resolve(parsed, base_dir)
    return parsed.render_as_string(hide_password=False)


# -- SQLite ---------------------------------------------------------------------------------------


@dialect("sqlite")
class SqliteDialect(Dialect):
    """SQLite: files open read-only (engine.data.sqlite) and are never created; types come from the declared column types."""

    read_only_drivers = frozenset({"pysqlite"})
    wraps_query = False  # the connection itself refuses all but reading (engine.data.sqlite)

    def resolve(self, url: URL, base_dir: Path | None) -> URL:
        database = url.database
        if not database or database == ":memory:":
            return url
        if database.startswith("file:"):
            # a file: URI may not choose the mode (rw, rwc) or anything else: its path alone
            # is kept, and the file opens read-only as any other
            database = unquote(urlsplit(database).path) or database[len("file:") :]
            url = url.set(query={})
        path = Path(database).expanduser()
        if not path.is_absolute():
            path = (base_dir if base_dir is not None else Path.cwd()) / path
        return url.set(database=str(path.absolute()))

    def create_engine(self, url: URL) -> Engine:
        database = url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            raise ReadOnlyUnavailableError(
                f"{safe_url(url)} is not an SQLite file: give the path of a database file "
                "(sqlite:///data.sqlite)"
            )
        path = Path(database)
        sqlite.connect_readonly(path).close()  # a missing file is an error now, not at connect
        return sa.create_engine(
            "sqlite://", creator=lambda: sqlite.connect_readonly(path), poolclass=NullPool
        )

    def bind_value(self, value: Any) -> Any:
        return sqlite.bind_value(value)

    def declared_types(
        self, conn: Connection, sql: str, table: str | None, values: Mapping[str, Any] | None = None
    ) -> DeclaredTypes | None:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        return sqlite.declared_types(raw, sql)

    def interrupt(self, driver_connection: Any) -> None:
        driver_connection.interrupt()


# -- PostgreSQL -----------------------------------------------------------------------------------


@dialect("postgresql")
class PostgresqlDialect(Dialect):
    """PostgreSQL through psycopg 3: read-only transactions, one prepared statement per query; null sorts highest."""

    nulls_ascending = "{c} ASC NULLS FIRST"
    nulls_descending = "{c} DESC NULLS FIRST"
    read_only_drivers = frozenset({"psycopg"})

    def connect_arguments(self, cparams: dict[str, Any], timeout: float) -> None:
        # server settings of the session, after the URL's own options so they win
        settings = (
            f"-c default_transaction_read_only=on -c statement_timeout={round(timeout * 1000)}"
        )
        cparams["options"] = f"{cparams.get('options', '')} {settings}".strip()
        # every statement a server-side prepared statement, from its first run: the server
        # then refuses a text of several commands before running any of them
        cparams["prepare_threshold"] = 0
        cparams["autocommit"] = False

    def start_session(self, driver_connection: Any, timeout: float) -> None:
        # psycopg then begins every transaction with BEGIN READ ONLY: a query that turns the
        # session default off (set_config) still cannot write in a later transaction
        driver_connection.rollback()  # a transaction is begun READ ONLY or not at all
        driver_connection.read_only = True

    def declared_types(
        self, conn: Connection, sql: str, table: str | None, values: Mapping[str, Any] | None = None
    ) -> DeclaredTypes | None:
        if table is not None:
            return super().declared_types(conn, sql, table)
        # the server tells each result column's type (an OID) in the description of one
        # prepared statement that returns no row
        try:
            result = conn.execute(sa.text(f"SELECT * FROM (\n{sql}\n) AS q LIMIT 0"), values or {})
        except sa.exc.DBAPIError as exc:
            logger.debug("cannot read declared column types: %s", exc)
            conn.rollback()
            return None
        description = result.cursor.description if result.cursor is not None else None
        result.close()
        if not description:
            return None
        return [(column[0], _PG_TYPES.get(column[1], "string")) for column in description]


#: PostgreSQL type OIDs → field types (anything else reads as string)
_PG_TYPES: dict[Any, str] = {
    16: "boolean", 17: "bytes", 20: "integer", 21: "integer", 23: "integer", 26: "integer",
    700: "float", 701: "float", 1700: "decimal", 790: "decimal",
    1082: "date", 1114: "datetime", 1184: "datetime",
    25: "string", 1042: "string", 1043: "string", 19: "string", 114: "string", 3802: "string",
}  # fmt: skip


# -- MySQL and MariaDB ----------------------------------------------------------------------------

#: MySQL client capability flags (the protocol's, the same in every driver)
_CLIENT_LOCAL_FILES = 1 << 7
_CLIENT_MULTI_STATEMENTS = 1 << 16
#: characters that open or close a string or an identifier in MySQL: kept out of the names we
#: write after the query, so nothing of ours can close a string the query left open
_MYSQL_QUOTES = frozenset("'\"`\\")


class MysqlDialect(Dialect):
    """MySQL and MariaDB: read-only sessions, one statement per call, no client or server files."""

    read_only_drivers = frozenset({"pymysql", "mysqldb"})
    # MySQL has no NULLS FIRST; its ascending order already puts nulls first, and descending
    # puts them last unless a key sorts them ahead
    nulls_descending = "{c} IS NULL DESC, {c} DESC"

    def connect_arguments(self, cparams: dict[str, Any], timeout: float) -> None:
        # one statement per call (no MULTI_STATEMENTS), and no LOAD DATA LOCAL: a server may
        # not ask for a file of this computer
        flags = int(cparams.get("client_flag", 0))
        cparams["client_flag"] = flags & ~_CLIENT_MULTI_STATEMENTS & ~_CLIENT_LOCAL_FILES
        cparams["local_infile"] = False
        # a URL may not run its own statement at connect, nor read option files
        for key in ("init_command", "read_default_file", "read_default_group"):
            cparams.pop(key, None)
        cparams["autocommit"] = False

    def start_session(self, driver_connection: Any, timeout: float) -> None:
        cursor = driver_connection.cursor()
        try:
            cursor.execute("SELECT VERSION()")
            (version,) = cursor.fetchone()
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
            if timeout and "mariadb" in str(version).lower():
                cursor.execute(f"SET SESSION max_statement_time = {timeout:.3f}")
            elif timeout:  # MySQL: SELECT statements only, which is all a report runs
                cursor.execute(f"SET SESSION max_execution_time = {round(timeout * 1000)}")
        finally:
            cursor.close()
        # the SET applies from the next transaction on: end any one a driver began before it
        driver_connection.rollback()

    def quote_name(self, name: str, quote: Callable[[str], str]) -> str:
        if _MYSQL_QUOTES & set(name) or any(ord(c) < 32 for c in name):
            raise DataSourceError(
                f"the column name {name!r} has a quote or control character, which AshReports "
                "does not put in MySQL statements: rename the column with AS"
            )
        return quote(name)


dialect("mysql")(MysqlDialect)
dialect("mariadb")(MysqlDialect)


# -- Oracle ---------------------------------------------------------------------------------------


@dialect("oracle")
class OracleDialect(Dialect):
    """Oracle: every transaction SET TRANSACTION READ ONLY, a call timeout; null sorts highest, like PostgreSQL."""

    nulls_ascending = "{c} ASC NULLS FIRST"
    read_only_drivers = frozenset({"oracledb", "cx_oracle"})

    def create_engine(self, url: URL) -> Engine:
        engine = super().create_engine(url)

        # Oracle has no read-only session: each transaction says so as its first statement
        @event.listens_for(engine, "begin")
        def _read_only(conn: Connection) -> None:
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute("SET TRANSACTION READ ONLY")
            finally:
                cursor.close()

        return engine

    def query_sql(self, query: str) -> str:
        return f"SELECT * FROM (\n{query}\n) q"  # Oracle writes a table alias without AS

    def start_session(self, driver_connection: Any, timeout: float) -> None:
        if timeout:  # milliseconds a round trip to the server may take
            driver_connection.call_timeout = round(timeout * 1000)
