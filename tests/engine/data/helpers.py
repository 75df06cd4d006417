"""Builders of data sources for engine.data tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.model import CsvSource, JsonSource, SqlSource

CHINOOK = Path("/work/shared/data/chinook.sqlite")


def sql_source(query: str | None = None, *, table: str | None = None, url: str | None = None,
               fields: list[dict[str, str]] | None = None) -> SqlSource:  # fmt: skip
    """An SqlSource on Chinook (absolute path unless `url` is given)."""
    data: dict[str, Any] = {"kind": "sql", "url": url or f"sqlite:///{CHINOOK}"}
    if query is not None:
        data["query"] = query
    if table is not None:
        data["table"] = table
    if fields is not None:
        data["fields"] = fields
    return SqlSource.model_validate(data)


def csv_source(path: str | Path, **extra: Any) -> CsvSource:
    """A CsvSource for a file."""
    return CsvSource.model_validate({"kind": "csv", "path": str(path), **extra})


def json_source(path: str | Path, **extra: Any) -> JsonSource:
    """A JsonSource for a file."""
    return JsonSource.model_validate({"kind": "json", "path": str(path), **extra})
