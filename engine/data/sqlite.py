"""What SQLite needs, with Python's own sqlite3: read-only connections, declared column types, parameter values, quoting.

Used by the sqlite3 connection (engine.data.connections) and by the SQLAlchemy SQLite dialect,
so both read the same types from the same files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import sqlite3
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.access import open_regular
from engine.errors import DataSourceError, ParameterError

from .sqlite_guard import ReadOnlyConnection

logger = logging.getLogger(__name__)

#: a column sorted with null values first, ascending and descending (engine.data.columns.order_term):
#: SQLite's ascending order already puts them first
NULLS_ASCENDING = "{c} ASC"
NULLS_DESCENDING = "{c} DESC NULLS FIRST"

# SQLite's declared types are free text; the rules follow SQLite's type affinity, with
# dates and booleans (which SQLite stores as text and integers) told apart by name.
_TYPE_WORDS: list[tuple[tuple[str, ...], str]] = [
    (("BOOL",), "boolean"),
    (("DATETIME", "TIMESTAMP"), "datetime"),
    (("DATE",), "date"),
    (("INT",), "integer"),
    (("CHAR", "CLOB", "TEXT", "TIME", "UUID"), "string"),
    (("BLOB",), "bytes"),
    (("REAL", "FLOA", "DOUB"), "float"),
    (("DEC", "NUM", "MONEY"), "decimal"),
]
_PROBE_VIEW = "_ashr_probe"

#: a `:name` parameter, as SQLAlchemy's text() finds them (not `::`, not after a letter or `\`)
PARAMETER_RE = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


def sqlite_field_type(declared: str) -> str | None:
    """The field type of an SQLite declared column type, or None for none (an expression)."""
    upper = declared.upper()
    for words, field_type in _TYPE_WORDS:
        if any(word in upper for word in words):
            return field_type
    return None


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to an existing SQLite file, usable from any thread (a cancel closes it from another).

    Read-only by construction, whatever a report asks: the file is opened with the URI of
    `readonly_uri` (never written, never created), attaching is limited to no database, and an authorizer
    lets statements only read (see `engine.data.sqlite_guard`); a statement that keeps
    SQLite busy longer than `statement_timeout()` seconds is stopped. A refusal or a stop
    raises a `sqlite3.DatabaseError` subclass whose message says what and why.

    Raises:
        DataSourceError: the file does not exist or cannot be read.
        AccessError: the path is not a regular file (a FIFO, a device, a folder).
    """
    # our own URI, built from the path: no parameter of the report's URL reaches SQLite
    conn = sqlite3.connect(
        readonly_uri(path),
        uri=True,
        check_same_thread=False,
        factory=ReadOnlyConnection,
    )
    assert isinstance(conn, ReadOnlyConnection)
    conn.guard()
    return conn


def readonly_uri(path: Path) -> str:
    """The URI that opens an SQLite file read-only (`mode=ro`), built from its path alone.

    A database in WAL mode whose `-wal` file is absent (no writer has it open) is also
    `immutable`: opened read-only, SQLite would otherwise create the `-wal` and `-shm`
    files beside it, and a report never creates files.

    Raises:
        DataSourceError: the file does not exist or cannot be read.
        AccessError: the path is not a regular file (a FIFO, a device, a folder).
    """
    try:
        with open_regular(path, kind="sqlite", what="SQLite database") as file:
            header = file.read(100)
    except FileNotFoundError as exc:
        raise DataSourceError(f"database file not found: {path}") from exc
    except OSError as exc:
        raise DataSourceError(f"cannot read the database {path}: {exc.strerror or exc}") from exc
    uri = path.absolute().as_uri() + "?mode=ro"
    wal = header.startswith(b"SQLite format 3\x00") and header[18:20] == b"\x02\x02"
    if wal and not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return uri


def bind_value(value: Any) -> Any:
    """A parameter value as sqlite3 takes it: no Decimal, dates as the ISO text SQLite stores."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def rename_parameters(sql: str, renames: Mapping[str, str]) -> str:
    """The statement with each `:old` parameter written `:new` (found as `bind_values` finds them)."""
    return PARAMETER_RE.sub(lambda m: f":{renames.get(m.group(1), m.group(1))}", sql)


def bind_values(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Values for exactly the `:name` parameters the statement uses.

    Raises:
        ParameterError: the statement uses a parameter that has no value.
    """
    values = {}
    for name in PARAMETER_RE.findall(sql):
        if name not in params:
            raise ParameterError(
                f"the query uses :{name} but no value was given for parameter '{name}'"
            )
        values[name] = bind_value(params[name])
    return values


def declared_types(conn: sqlite3.Connection, sql: str) -> list[tuple[str, str | None]] | None:
    """Declared column types of the rows `sql` returns, without running it; None when SQLite cannot tell.

    Python's sqlite3 does not expose a result column's declared type, but a temporary view
    of the statement does (PRAGMA table_info). The temp schema is writable on a read-only
    database, and preparing the view runs nothing; a read-only connection lets this one view
    be made and dropped while the probe runs, nothing else. A view takes no parameters:
    each `:name` is NULL there.
    """
    probe = PARAMETER_RE.sub("NULL", sql)
    with _probing(conn) as view:
        try:
            conn.execute(f'CREATE TEMP VIEW "{view}" AS {probe}')
        except (sqlite3.Error, sqlite3.Warning) as exc:
            logger.debug("cannot read declared column types: %s", exc)
            return None
        try:
            columns = conn.execute(f'PRAGMA temp.table_info("{view}")').fetchall()
        except (sqlite3.Error, sqlite3.Warning) as exc:
            # a wrong query: the statement itself reports it, with SQLite's message
            logger.debug("cannot read declared column types: %s", exc)
            return None
        finally:
            conn.execute(f'DROP VIEW temp."{view}"')
    return [(name, sqlite_field_type(declared or "")) for _, name, declared, *_ in columns]


@contextlib.contextmanager
def _probing(conn: sqlite3.Connection) -> Iterator[str]:
    """The name of the temporary view to probe with, made and dropped while this is open."""
    if isinstance(conn, ReadOnlyConnection):
        with conn.probing() as view:
            yield view
    else:  # a connection of the caller's own (a test's): nothing to allow
        yield _PROBE_VIEW


def quote(identifier: str) -> str:
    """An identifier in double quotes, as SQL writes any name."""
    return '"' + identifier.replace('"', '""') + '"'


def table_names(conn: sqlite3.Connection) -> list[str]:
    """The tables and views of the main database, SQLite's own left out, sorted."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def has_table(conn: sqlite3.Connection, table: str) -> bool:
    """True when the main database has a table or view of this name (SQLite names ignore case)."""
    return bool(conn.execute(f"PRAGMA main.table_info({quote(table)})").fetchall())
