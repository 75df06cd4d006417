"""A sqlite3 connection → one that can only read: an authorizer allowing reads alone, a statement time limit, refusals that say what and why.

A report's query is the report's, and a report file is data, never authority: whatever its
SQL says, it may only read the database it names. `mode=ro` already keeps the file itself
from being written; the authorizer here also refuses what a read-only file does not stop
(ATTACH and VACUUM INTO create or write other files, `load_extension` runs code, writing
PRAGMAs change SQLite itself) and every write, so the refusal names the statement instead
of SQLite's bare "not authorized". The check is a whitelist of SQLite's action codes,
made when a statement is prepared, so nothing refused ever runs.
"""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from engine.errors import ReportInputError

logger = logging.getLogger(__name__)

#: environment variable: the seconds a statement may keep the database busy (server databases too)
STATEMENT_TIMEOUT_ENV = "ASHR_STATEMENT_TIMEOUT"
DEFAULT_STATEMENT_TIMEOUT = 300.0

#: SQLite virtual-machine steps between two checks of the time limit (~0.1 ms of work)
PROGRESS_STEPS = 2000
# a longer gap between two checks was spent outside SQLite (the reader handling rows): not counted
_PAUSE = 0.05

#: PRAGMAs that describe a table or index named in their argument, and never change anything
DESCRIBING_PRAGMAS = frozenset(
    {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list"}
)
#: PRAGMAs that may be read (without a value: with one they would set it)
READABLE_PRAGMAS = frozenset(
    {"read_uncommitted", "user_version", "schema_version", "encoding", "collation_list"}
)
#: SQL functions refused although they appear in a SELECT: they load code or hand SQLite a pointer
REFUSED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"})

_READING = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE})
_WRITES = {
    sqlite3.SQLITE_INSERT: "INSERT",
    sqlite3.SQLITE_UPDATE: "UPDATE",
    sqlite3.SQLITE_DELETE: "DELETE",
}
_SCHEMA_CHANGES = {
    getattr(sqlite3, name): name.removeprefix("SQLITE_").replace("_", " ")
    for name in dir(sqlite3)
    if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_"))
    or name in ("SQLITE_ALTER_TABLE", "SQLITE_REINDEX", "SQLITE_ANALYZE")
}
# what a temporary view of the query (declared column types, `probing`) takes to make and drop
_PROBE_ACTIONS = frozenset(
    {
        sqlite3.SQLITE_CREATE_TEMP_VIEW,
        sqlite3.SQLITE_DROP_TEMP_VIEW,
        sqlite3.SQLITE_INSERT,
        sqlite3.SQLITE_UPDATE,
        sqlite3.SQLITE_DELETE,
    }
)
_TEMP_SCHEMA = "sqlite_temp_master"
_SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_schema", _TEMP_SCHEMA})


class ReadOnlyRefusal(sqlite3.DatabaseError):
    """A statement asked for something other than reading; the message says what and why."""


class StatementTimeout(sqlite3.OperationalError):
    """A statement kept the database busy longer than the statement time limit."""


def statement_timeout() -> float:
    """The seconds a statement may keep the database busy: ASHR_STATEMENT_TIMEOUT (0: no limit), else 300.

    The same variable and rules as the server databases' (engine.data.dialects).

    Raises:
        ReportInputError: the variable is not a number of seconds.
    """
    text = os.environ.get(STATEMENT_TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_STATEMENT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0 or seconds > 10**7:
        raise ReportInputError(
            f"{STATEMENT_TIMEOUT_ENV}={text!r} is not a number of seconds (e.g. 300; 0 for no limit)"
        )
    return seconds or math.inf


def _refusal(action: int, arg1: str | None, arg2: str | None) -> str:
    """What a statement asked for, in words, for an action code the authorizer refused."""
    if action == sqlite3.SQLITE_ATTACH:
        if not arg1:
            return "rebuild the database (VACUUM)"
        return f"open or create another database file '{arg1}' (ATTACH DATABASE or VACUUM INTO)"
    if action == sqlite3.SQLITE_DETACH:
        return "detach a database (DETACH)"
    if action in (sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT):
        return f"control a transaction ({'SAVEPOINT' if arg2 else arg1 or 'BEGIN'})"
    if action == sqlite3.SQLITE_PRAGMA:
        setting = f"PRAGMA {arg1}" + (f" = {arg2}" if arg2 is not None else "")
        return f"change or read a setting of SQLite itself ({setting})"
    if action == sqlite3.SQLITE_FUNCTION:
        return f"call {arg2}(), which loads code or changes SQLite itself"
    if action in _WRITES and arg1 in _SCHEMA_TABLES:  # SQLite's own record of the schema
        return "change the database's schema (CREATE, DROP or ALTER)"
    if action in _WRITES:
        return f"write to {arg1} ({_WRITES[action]})"
    if action in _SCHEMA_CHANGES:
        return f"change the database's schema ({_SCHEMA_CHANGES[action]} {arg1 or ''})".replace(
            " )", ")"
        )
    if action in (sqlite3.SQLITE_CREATE_VTABLE, sqlite3.SQLITE_DROP_VTABLE):
        return "create or drop a virtual table"
    return f"do something other than reading (SQLite action {action})"


class ReadOnlyCursor(sqlite3.Cursor):
    """A cursor whose failures name a refusal or a timeout instead of SQLite's bare words."""

    connection: ReadOnlyConnection

    def execute(self, sql: str, parameters: Any = (), /) -> ReadOnlyCursor:
        self.connection.statement_started()
        try:
            super().execute(sql, parameters)
        except sqlite3.Error as exc:
            self.connection.reraise(exc)
        return self

    def executemany(self, sql: str, parameters: Any, /) -> ReadOnlyCursor:
        self.connection.statement_started()
        try:
            super().executemany(sql, parameters)
        except sqlite3.Error as exc:
            self.connection.reraise(exc)
        return self

    def executescript(self, script: str, /) -> ReadOnlyCursor:
        self.connection.statement_started()
        try:
            super().executescript(script)
        except sqlite3.Error as exc:
            self.connection.reraise(exc)
        return self

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            self.connection.reraise(exc)

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany() if size is None else super().fetchmany(size)
        except sqlite3.Error as exc:
            self.connection.reraise(exc)

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            self.connection.reraise(exc)


class ReadOnlyConnection(sqlite3.Connection):
    """A sqlite3 connection whose statements may only read, each within the statement time limit.

    `guard()` installs the checks; `engine.data.sqlite.connect_readonly` makes these.
    """

    def guard(self) -> None:
        """Install the authorizer, the time limit and the limits (once, right after connecting)."""
        self.refused: str | None = None
        self.timed_out = False
        self.timeout = statement_timeout()
        #: a second time limit set by a caller (monotonic time), stopping quietly (a sample's budget)
        self.deadline: float | None = None
        self._probe: str | None = None
        self._spent = 0.0
        self._last = time.monotonic()
        # no implicit BEGIN before a statement: a reader never needs a transaction of its own
        self.isolation_level = None
        # not one other database, whatever the authorizer lets through (VACUUM INTO attaches one)
        self.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        if hasattr(self, "enable_load_extension"):
            self.enable_load_extension(False)
        self.set_authorizer(self._authorize)
        self.set_progress_handler(self._progress, PROGRESS_STEPS)

    # -- statements -----------------------------------------------------------------------------

    def cursor(self, factory: Any = ReadOnlyCursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:  # type: ignore[override]
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:  # type: ignore[override]
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script: str, /) -> Any:  # type: ignore[override]
        return self.cursor().executescript(script)

    def statement_started(self) -> None:
        """A statement is about to run: its time counts from zero, no refusal seen yet."""
        self.refused = None
        self.timed_out = False
        self._spent = 0.0
        self._last = time.monotonic()

    def reraise(self, exc: sqlite3.Error) -> NoReturn:
        """Raise `exc`, or the refusal or timeout it stands for (with a message saying why)."""
        if self.refused is not None:
            refused, self.refused = self.refused, None
            raise ReadOnlyRefusal(
                f"refused: the query asks to {refused}; a report's data source may only read"
            ) from exc
        if isinstance(exc, sqlite3.ProgrammingError) and "one statement at a time" in str(exc):
            raise ReadOnlyRefusal(
                "refused: the query holds more than one statement; a report's data source runs "
                "exactly one (a SELECT or WITH … SELECT)"
            ) from exc
        if self.timed_out:
            raise StatementTimeout(
                f"the query kept the database busy for more than {self.timeout:g} s and was "
                f"stopped; if it is meant to take that long, raise the limit "
                f"({STATEMENT_TIMEOUT_ENV}=SECONDS)"
            ) from exc
        raise exc

    @contextmanager
    def probing(self) -> Iterator[str]:
        """While open, the one temporary view named by the yielded name may be made and dropped."""
        self._probe = "_ashr_probe_" + uuid.uuid4().hex  # unguessable: a query cannot name it
        try:
            yield self._probe
        finally:
            self._probe = None

    # -- the checks -----------------------------------------------------------------------------

    def _authorize(
        self, action: int, arg1: str | None, arg2: str | None, db: str | None, _trigger: str | None
    ) -> int:
        if self._allowed(action, arg1, arg2, db):
            return sqlite3.SQLITE_OK
        if self.refused is None:  # the first refusal is the one the statement is refused for
            self.refused = _refusal(action, arg1, arg2)
            logger.info("SQLite statement refused: %s", self.refused)
        return sqlite3.SQLITE_DENY

    def _allowed(self, action: int, arg1: str | None, arg2: str | None, db: str | None) -> bool:
        if action in _READING:
            return True
        if action == sqlite3.SQLITE_FUNCTION:
            return (arg2 or "").lower() not in REFUSED_FUNCTIONS
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            return name in DESCRIBING_PRAGMAS or (name in READABLE_PRAGMAS and arg2 is None)
        probe = self._probe
        if probe is not None and action in _PROBE_ACTIONS and db == "temp":
            return arg1 in (probe, _TEMP_SCHEMA)
        return False

    def _progress(self) -> int:
        now = time.monotonic()
        gap = now - self._last
        self._last = now
        if gap < _PAUSE:
            self._spent += gap
        if self.deadline is not None and now > self.deadline:
            return 1
        if self._spent > self.timeout:
            self.timed_out = True
            logger.info("SQLite statement stopped after %.1f s", self._spent)
            return 1
        return 0
