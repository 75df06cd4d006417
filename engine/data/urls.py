"""Data source URL text → the text ready to connect (`${NAME}` from the environment), and SQLite file URLs → paths.

Imports no SQLAlchemy: a report on an SQLite file never loads it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from engine.errors import DataSourceError

from .stream import resolve_path

_ENV_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

# sqlite:///relative.db, sqlite:////absolute.db (SQLAlchemy's forms), with the stdlib driver; no
# query string and no %-escapes, which SQLAlchemy's URL parser interprets
_SQLITE_FILE_RE = re.compile(r"sqlite(?:\+pysqlite)?:///(?P<path>[^?#%]+)")


def expand_env(text: str) -> str:
    """Replace each `${NAME}` by the environment variable NAME.

    Raises:
        DataSourceError: a variable is not set (the message names it).
    """

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise DataSourceError(
                f"environment variable {name} is not set (the data source URL uses ${{{name}}})"
            )
        return os.environ[name]

    return _ENV_RE.sub(value, text)


def sqlite_file(url: str, base_dir: Path | None) -> Path | None:
    """The absolute path of the SQLite file a URL names, or None when it is not a plain SQLite file URL.

    `${NAME}` is expanded first; a relative path starts at `base_dir` (the working folder
    when None). In-memory databases and `file:` URIs are not plain files (None).

    Raises:
        DataSourceError: an environment variable is not set.
    """
    match = _SQLITE_FILE_RE.fullmatch(expand_env(url))
    if match is None:
        return None
    database = match.group("path")
    if database == ":memory:" or database.startswith("file:"):
        return None
    return resolve_path(database, base_dir)


def sqlite_url(path: Path) -> str:
    """The URL of an SQLite file as SQLAlchemy prints it (`sqlite:///` and the absolute path)."""
    return f"sqlite:///{path}"


#: environment variable choosing the SQLite reader: `sqlite3` (the default) or `sqlalchemy`
DRIVER_ENV = "ASHR_SQLITE_DRIVER"


def sqlite3_file(url: str, base_dir: Path | None) -> Path | None:
    """The SQLite file to read with Python's sqlite3, or None for SQLAlchemy (another database, or
    ASHR_SQLITE_DRIVER=sqlalchemy); see sqlite_file."""
    if os.environ.get(DRIVER_ENV, "sqlite3") == "sqlalchemy":
        return None
    return sqlite_file(url, base_dir)
