"""Database URLs → engines, with what differs per database (SQLite read-only files, null ordering, column types)."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from engine.errors import ReportInputError

from . import sqlite
from .columns import DeclaredTypes
from .urls import expand_env

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


def safe_url(url: URL) -> str:
    """A URL to show a person: the password hidden."""
    return url.render_as_string(hide_password=True)


class Dialect:
    """How engine.data talks to one kind of database; this base works for any SQLAlchemy backend."""

    #: the clauses that put null values first in ascending and descending order ("" when the
    #: database already does); the SQL standard's NULLS FIRST, which most databases accept
    nulls_ascending = ""
    nulls_descending = " NULLS FIRST"

    def resolve(self, url: URL, base_dir: Path | None) -> URL:
        """The URL with anything relative made absolute."""
        return url

    def create_engine(self, url: URL) -> Engine:
        """An engine without a pool: the stream's one connection closes with the stream."""
        return sa.create_engine(url, poolclass=NullPool)

    def bind_value(self, value: Any) -> Any:
        """A parameter value as the driver takes it."""
        return value

    def declared_types(self, conn: Connection, sql: str, table: str | None) -> DeclaredTypes | None:
        """Declared column types of the rows `sql` returns (bind parameters as NULL), or None if unknown.

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
    """A data source URL ready to connect: `${NAME}` replaced from the environment, a relative SQLite path
    resolved against `base_dir` (the report's folder; the working folder when None).

    Raises:
        DataSourceError: an environment variable is not set.
        ReportInputError: the result is not a database URL.
    """
    parsed = parse_url(expand_env(url))
    parsed = dialect_for(parsed).resolve(parsed, base_dir)
    return parsed.render_as_string(hide_password=False)


# -- SQLite ---------------------------------------------------------------------------------------


@dialect("sqlite")
class SqliteDialect(Dialect):
    """SQLite: files open read-only and are never created; types come from the declared column types."""

    def resolve(self, url: URL, base_dir: Path | None) -> URL:
        database = url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return url
        path = Path(database).expanduser()
        if not path.is_absolute():
            path = (base_dir if base_dir is not None else Path.cwd()) / path
        return url.set(database=str(path.absolute()))

    def create_engine(self, url: URL) -> Engine:
        database = url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return super().create_engine(url)
        path = Path(database)
        sqlite.connect_readonly(path).close()  # a missing file is an error now, not at connect
        return sa.create_engine(
            "sqlite://", creator=lambda: sqlite.connect_readonly(path), poolclass=NullPool
        )

    def bind_value(self, value: Any) -> Any:
        return sqlite.bind_value(value)

    def declared_types(self, conn: Connection, sql: str, table: str | None) -> DeclaredTypes | None:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        return sqlite.declared_types(raw, sql)

    def interrupt(self, driver_connection: Any) -> None:
        driver_connection.interrupt()


# -- PostgreSQL -----------------------------------------------------------------------------------


@dialect("postgresql")
class PostgresqlDialect(Dialect):
    """PostgreSQL: null sorts highest there, so ORDER BY says where nulls go."""

    nulls_ascending = " NULLS FIRST"
    nulls_descending = " NULLS FIRST"

    def declared_types(self, conn: Connection, sql: str, table: str | None) -> DeclaredTypes | None:
        if table is not None:
            return super().declared_types(conn, sql, table)
        # the server tells each result column's type (an OID) without running the query: LIMIT 0
        try:
            result = conn.exec_driver_sql(f"SELECT * FROM ({sql}) AS q LIMIT 0")
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
_PG_TYPES: dict[int, str] = {
    16: "boolean", 17: "bytes", 20: "integer", 21: "integer", 23: "integer", 26: "integer",
    700: "float", 701: "float", 1700: "decimal", 790: "decimal",
    1082: "date", 1114: "datetime", 1184: "datetime",
    25: "string", 1042: "string", 1043: "string", 19: "string", 114: "string", 3802: "string",
}  # fmt: skip


@dialect("oracle")
class OracleDialect(Dialect):
    """Oracle sorts null highest, like PostgreSQL."""

    nulls_ascending = " NULLS FIRST"
