"""What a database offers before a report reads it: a URL in, its driver's presence, its tables, a query's `:name` parameters out.

An SQLite file is read with Python's sqlite3 (as the reports read it); SQLAlchemy is
imported only for other databases and for URL parsing.
"""

from __future__ import annotations

from pathlib import Path

from engine.errors import DataSourceError
from engine.model import SqlSource

from .sqlite import PARAMETER_RE, connect_readonly, table_names
from .urls import sqlite_file

#: driver modules whose PyPI package has another name
_PIP_NAMES = {"MySQLdb": "mysqlclient", "psycopg2": "psycopg2-binary", "pymysql": "PyMySQL"}


def missing_driver(url: str) -> str:
    """A sentence naming the database driver a URL needs when it is not installed, else "".

    Raises:
        ReportInputError: the text is not a database URL.
    """
    if sqlite_file(url, None) is not None:
        return ""  # the standard library's sqlite3
    from sqlalchemy.exc import NoSuchModuleError

    from .dialects import parse_url

    parsed = parse_url(url)
    backend = parsed.get_backend_name()
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError:
        return f"SQLAlchemy knows no database called '{parsed.drivername}'"
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        module = getattr(exc, "name", None) or parsed.get_driver_name() or backend
        package = _PIP_NAMES.get(module, module)
        return (
            f"the driver for {backend} ('{module}') is not installed: "
            f"install it (pip install {package}) and restart the designer"
        )
    return ""


def literal_password(url: str) -> str:
    """The password written in a URL, else "" (a report may hold none: the designer refuses it)."""
    if "@" not in url:
        return ""
    from .dialects import parse_url

    try:
        password = parse_url(url).password
    except Exception:  # a URL being typed; nothing to warn about yet
        return ""
    return "" if password is None else str(password)


def list_tables(url: str, base_dir: Path | None = None) -> list[str]:
    """The table and view names of a database, sorted without regard to case.

    Raises:
        DataSourceError: the database cannot be reached (with the driver's message).
        ReportInputError: the text is not a database URL.
    """
    path = sqlite_file(url, base_dir)
    if path is not None:
        import sqlite3

        conn = connect_readonly(path)
        try:
            names = table_names(conn)
        except sqlite3.Error as exc:
            raise DataSourceError(f"cannot list the tables of {path}: {exc}") from exc
        finally:
            conn.close()
        return sorted(names, key=str.lower)
    return sorted(_sqlalchemy_tables(url, base_dir), key=str.lower)


def _sqlalchemy_tables(url: str, base_dir: Path | None) -> list[str]:
    import sqlalchemy as sa
    from sqlalchemy.exc import SQLAlchemyError

    from .sql import db_message, open_link

    link, _, where = open_link(SqlSource(kind="sql", url=url, table="_"), None, base_dir)
    try:
        conn = link.connect(where)
        inspector = sa.inspect(conn)
        return list(set(inspector.get_table_names()) | set(inspector.get_view_names()))
    except SQLAlchemyError as exc:
        raise DataSourceError(f"cannot list the tables of {where}: {db_message(exc)}") from exc
    finally:
        link.close()


def query_parameters(sql: str) -> list[str]:
    """The `:name` bind parameters of an SQL text, in the order they first appear (as a run binds them)."""
    return list(dict.fromkeys(PARAMETER_RE.findall(sql)))
