"""Data source URL text → SQLite file URLs as paths (read-only whatever the URL asks), or None for another database.

Imports no SQLAlchemy: a report on an SQLite file never loads it. A report never reads an
environment variable: a `${NAME}` in a URL is refused when the report loads (see
docs/ashr-format.md, named connections).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from engine.errors import ReportInputError

from .stream import resolve_path

# every SQLAlchemy SQLite URL (any driver: the engine opens SQLite files itself, read-only)
_SQLITE_URL_RE = re.compile(r"sqlite(?:\+\w+)?://(?P<rest>.*)", re.DOTALL)
# the URL parameters that ask SQLite for something other than reading an existing file
_WRITING_MODES = {"rw", "rwc", "memory"}
_REFUSED_PARAMETERS = {"vfs": "another VFS", "modeof": "a new file's permissions"}


class SqliteUrlError(ReportInputError):
    """An SQLite URL asks for something other than reading an existing database file."""


def sqlite_file(url: str, base_dir: Path | None) -> Path | None:
    """The absolute path of the SQLite file a URL names, or None when it is not an SQLite URL.

    The path as written comes from `sqlite_database`; a relative one starts at `base_dir`
    (the working folder when None).

    Raises:
        SqliteUrlError: see sqlite_database.
    """
    database = sqlite_database(url)
    return None if database is None else resolve_path(database, base_dir)


def sqlite_database(url: str) -> str | None:
    """The path of the SQLite file a URL names, as written, or None when it is not an SQLite URL.

    Both `sqlite:///data.db` and SQLite's `file:` URIs (`sqlite:///file:data.db?mode=ro&uri=true`)
    name a file (a `file:` URI's %-escapes decoded, as SQLite decodes them). The file is always opened read-only whatever the URL says (engine.data.sqlite.connect_readonly),
    so a parameter asking for anything else is refused rather than ignored: `mode=rw`,
    `mode=rwc`, `mode=memory`, `vfs=`, `modeof=`. Other parameters (`mode=ro`, `immutable`,
    `cache`, SQLAlchemy's `uri`, `timeout`, ...) change nothing and are ignored. Nothing is
    expanded: `${NAME}` is part of the path.

    Raises:
        SqliteUrlError: an in-memory database, or a parameter asking to write or create.
    """
    match = _SQLITE_URL_RE.fullmatch(url.strip())
    if match is None:
        return None
    rest = match.group("rest")
    if not rest.startswith("/"):
        if rest.split("?", 1)[0]:
            raise SqliteUrlError(
                f"SQLite URL '{url}' names a host; an SQLite database is a file: "
                "write sqlite:///data.db (relative to the report) or sqlite:////abs/path/data.db"
            )
        _refuse_memory(url)
    database, _, query = rest[1:].partition("?")
    uri = database.startswith("file:")
    if uri:
        database, _, inner = database[len("file:") :].partition("?")
        query = "&".join(part for part in (inner, query) if part)
        database = _uri_path(url, database.split("#", 1)[0])
    for key, value in parse_qsl(query, keep_blank_values=True):
        key = key.lower()
        if key == "mode" and value.lower() in _WRITING_MODES:
            if value.lower() == "memory":
                _refuse_memory(url)
            raise SqliteUrlError(
                f"SQLite URL '{url}' asks for mode={value}: a report's database is only ever "
                "opened read-only and never created; remove the mode (or write mode=ro)"
            )
        if key in _REFUSED_PARAMETERS:
            raise SqliteUrlError(
                f"SQLite URL '{url}' asks for {_REFUSED_PARAMETERS[key]} ({key}={value}), "
                f"which reading a database file does not need; remove {key}="
            )
    if database in ("", ":memory:"):
        _refuse_memory(url)
    return database


def _uri_path(url: str, text: str) -> str:
    """The file path of a `file:` URI's path part, as SQLite reads it (an authority only if local)."""
    if text.startswith("//"):
        authority, slash, path = text[2:].partition("/")
        if authority not in ("", "localhost"):
            raise SqliteUrlError(
                f"SQLite URL '{url}' names the host '{authority}'; an SQLite database is a local file"
            )
        text = slash + path
    return unquote(text)


def _refuse_memory(url: str) -> None:
    raise SqliteUrlError(
        f"SQLite URL '{url}' names an in-memory database, which holds no data to report on: "
        "name a database file (sqlite:///data.db)"
    )


def sqlite_url(path: Path) -> str:
    """The URL of an SQLite file as SQLAlchemy prints it (`sqlite:///` and the absolute path)."""
    return f"sqlite:///{path}"


#: environment variable choosing the SQLite reader: `sqlite3` (the default) or `sqlalchemy`
DRIVER_ENV = "ASHR_SQLITE_DRIVER"


def sqlite3_driver() -> bool:
    """Whether SQLite files are read with Python's sqlite3 (the default) rather than SQLAlchemy."""
    return os.environ.get(DRIVER_ENV, "sqlite3") != "sqlalchemy"
