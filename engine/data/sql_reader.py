"""An SqlSource and parameters → a RowStream: SQLite files through Python's sqlite3, other databases through SQLAlchemy.

SQLAlchemy is imported on the first non-SQLite source only. Setting the environment
variable ASHR_SQLITE_DRIVER=sqlalchemy sends SQLite files through SQLAlchemy too (the
tests run both readers over the same files).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from engine.model import SqlSource

from .sqlite_rows import open_sqlite_rows
from .stream import OrderKey, RowStream, reader
from .urls import sqlite3_file


@reader("sql")
def open_sql_source(
    source: SqlSource,
    *,
    params: Mapping[str, Any],
    base_dir: Path | None,
    url: str | None,
    order_by: Sequence[OrderKey],
    chunk_size: int,
    on_open: Callable[[Callable[[], None]], None] | None = None,
) -> RowStream:
    """Run the source's query (or read its table) and stream typed rows; see engine.data.open_rows."""
    path = sqlite3_file(url or source.url, base_dir)
    if path is not None:
        return open_sqlite_rows(
            source, path, params=params, order_by=order_by, chunk_size=chunk_size, on_open=on_open
        )
    from .sql import open_sql_rows

    return open_sql_rows(
        source, params=params, base_dir=base_dir, url=url, order_by=order_by,
        chunk_size=chunk_size, on_open=on_open,
    )  # fmt: skip
