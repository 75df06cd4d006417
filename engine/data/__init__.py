"""Data sources (SQLite through sqlite3, other SQL through SQLAlchemy, CSV, JSON, Parquet) and parameters → streams of typed rows, and their fields.

The only place in the project that imports SQLAlchemy, and only for a database other than an
SQLite file (engine.data.sql_reader). Rows are plain dicts keyed by
field name; values are str, int, Decimal, float, bool, datetime.date, datetime.datetime,
bytes or None. Types come from `fields` declared in the report, else from the database's
declared column types or a Parquet file's schema, else from the values (ISO text becomes a
date or datetime).

Ordering: with `order_by`, an SQL source sorts in the database (the query wrapped in
``SELECT * FROM (...) AS q ORDER BY ...``); CSV and JSON sources are sorted in Python,
stably; a Parquet source is sorted by Arrow, stably. Either way null values come first in
both directions (the spec: "null values form their own group and sort first") and
`RowStream.ordered` is True — except for a Parquet sort key whose declared type changes its
values (text declared as numbers): then `ordered` is False and the caller sorts in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from engine.model import DataSource

from . import files as _files  # noqa: F401  (registers the csv and json readers)
from . import parquet as _parquet  # noqa: F401  (registers the parquet reader)
from . import sql_reader as _sql_reader  # noqa: F401  (registers the sql reader)
from .sql_reader import query_columns
from .stream import READERS, FieldInfo, OrderKey, RowStream

__all__ = [
    "FieldInfo",
    "OrderKey",
    "RowStream",
    "introspect_fields",
    "open_rows",
    "query_columns",
    "resolve_url",
]

_EMPTY: Mapping[str, Any] = {}


def open_rows(
    source: DataSource,
    *,
    params: Mapping[str, Any] = _EMPTY,
    base_dir: Path | None = None,
    url: str | None = None,
    order_by: Sequence[OrderKey] = (),
    chunk_size: int = 5000,
    on_open: Callable[[Callable[[], None]], None] | None = None,
    columns: Collection[str] | None = None,
) -> RowStream:
    """Open a data source and stream its rows; use the result as a context manager.

    An SQL source runs its query and fetches the first chunk before this returns (so the
    fields are known and errors surface here); the rest streams as the rows are read.

    Args:
        source: the report's data source.
        params: typed parameter values; a query gets exactly the `:name` parameters it uses.
        base_dir: the folder of the `.ashr` file; relative SQLite, CSV, JSON and Parquet paths
            start there (the working folder when None), and a file path of the report must
            stay in it or a folder the user allowed (engine.access).
        url: replaces `source.url` (the CLI's `--data`); for a file source it replaces the
            path (the user's path: not confined).
        order_by: sort the rows by these fields (see the module docstring).
        chunk_size: rows fetched from the database at a time.
        on_open: called with a function that interrupts the query, as soon as there is a
            connection (so a cancel can stop a query that has not returned rows yet).
        columns: read only these fields, when the source can and has every one of them
            (an SQL source whose columns the database describes before the query runs, as
            SQLite does, and a Parquet file); every field otherwise. `RowStream.fields` says which were read.

    Raises:
        DataSourceError: the source failed: a missing file or table, a query error (with the
            database's message), a bad file, a value that does not fit its declared type.
        ParameterError: the query uses a parameter that has no value.
        ReportInputError: a malformed URL or CSV encoding; AccessError (a subclass) for a
            file the report may not read: outside its folders, not a regular file, too large.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    return READERS[source.kind](
        source,
        params=params,
        base_dir=base_dir,
        url=url,
        order_by=order_by,
        chunk_size=chunk_size,
        on_open=on_open,
        columns=columns,
    )


def introspect_fields(
    source: DataSource,
    *,
    params: Mapping[str, Any] = _EMPTY,
    base_dir: Path | None = None,
    url: str | None = None,
) -> list[FieldInfo]:
    """The fields a data source provides: the declared ones, else read from the source.

    An SQL source runs its query and reads the column types and the first rows; a file is
    read whole. Parameters and errors as for `open_rows`.
    """
    if source.fields is not None:
        return [FieldInfo(field.name, field.type) for field in source.fields]
    with open_rows(source, params=params, base_dir=base_dir, url=url, chunk_size=200) as rows:
        return list(rows.fields)


def resolve_url(url: str, base_dir: Path | None) -> str:
    """A data source URL ready to connect; see engine.data.dialects.resolve_url (imports SQLAlchemy)."""
    from .dialects import resolve_url as resolve

    return resolve(url, base_dir)
