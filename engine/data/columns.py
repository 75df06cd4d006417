"""A query's column names, declared types and raw value rows → fields, converters and typed row chunks.

Shared by the two SQL readers (Python's sqlite3 for SQLite files, SQLAlchemy for the rest).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from engine.errors import DataSourceError
from engine.model import FieldDef

from .conversion import (
    CONVERSION_ERRORS,
    ColumnBuilder,
    Converter,
    find_bad_value,
    infer_value_type,
    plan_fields,
    undeclared_error,
)
from .stream import Columns, FieldInfo, OrderKey, RowStream

logger = logging.getLogger(__name__)

#: declared column types of (name, field type or None when the database does not say)
DeclaredTypes = list[tuple[str, str | None]]


def result_fields(
    names: Sequence[str],
    declared: DeclaredTypes | None,
    overrides: Sequence[FieldDef] | None,
    sample: Sequence[Sequence[Any]],
) -> tuple[list[FieldInfo], list[Converter | None]]:
    """Each column's field type (declared in the report, by the database, or from the sample) and converter."""
    if declared is not None and len(declared) == len(names):
        db_types = [field_type for _, field_type in declared]
    else:
        by_name = dict(declared or ())
        db_types = [by_name.get(name) for name in names]
    wanted = {field.name: field.type for field in overrides or ()}
    error = undeclared_error(wanted, names, "the query")
    if error is not None:
        raise error
    columns = [[row[index] for row in sample] for index in range(len(names))]
    return plan_fields(names, db_types, wanted, columns, infer_value_type)


def order_term(column: str, descending: bool, nulls: tuple[str, str]) -> str:
    """`column` in an ORDER BY, nulls first, as the database says it (`nulls`: the ascending and
    descending templates of its dialect, `{c}` standing for the column)."""
    return (nulls[1] if descending else nulls[0]).format(c=column)


def sorted_sql(
    sql: str, order_by: Sequence[OrderKey], quote: Callable[[str], str], nulls: tuple[str, str]
) -> str:
    """The statement wrapped so its rows come sorted, null first (`nulls`: see order_term); names
    are qualified so a wrong one is an error."""
    if not order_by:
        return sql
    keys = ", ".join(order_term(f"q.{quote(key.field)}", key.descending, nulls) for key in order_by)
    # newlines: the query may end in a -- comment
    return f"SELECT * FROM (\n{sql}\n) AS q ORDER BY {keys}"


def projected_sql(sql: str, names: Sequence[str], quote: Callable[[str], str]) -> str:
    """The statement wrapped so it returns only the columns `names`."""
    columns = ", ".join(f"q.{quote(name)}" for name in names)
    return f"SELECT {columns} FROM (\n{sql}\n) AS q"


def duplicate_column_error(names: Sequence[str]) -> DataSourceError | None:
    """The error for a query that returns two columns of one name, if it does."""
    twice = sorted({name for name in names if names.count(name) > 1})
    if not twice:
        return None
    return DataSourceError(
        f"the query returns more than one column named '{twice[0]}': "
        "give each column its own name with AS"
    )


def convert_chunk(
    build: ColumnBuilder, raw: Sequence[Sequence[Any]], fields: Sequence[FieldInfo],
    converters: Sequence[Converter | None], rows_before: int,
) -> Columns:  # fmt: skip
    """Raw value rows → typed Columns; a value that does not convert is an error naming its row and field."""
    try:
        return build(raw)
    except CONVERSION_ERRORS as exc:
        index, name, message = find_bad_value(raw, [f.name for f in fields], converters)
        kind = next((f.type for f in fields if f.name == name), "?")
        raise DataSourceError(
            f"row {rows_before + index + 1}, field '{name}' ({kind}): {message}"
        ) from exc


def typed_chunks(
    first: Columns, parts: Iterator[Sequence[Sequence[Any]]], build: ColumnBuilder,
    fields: Sequence[FieldInfo], converters: Sequence[Converter | None], *,
    driver_errors: tuple[type[BaseException], ...], message: Callable[[BaseException], str],
    cancelled: Callable[[], bool], close: Callable[[], None],
) -> Iterator[Columns]:  # fmt: skip
    """The first typed chunk, then each further raw chunk typed; a driver error after a cancel ends the stream quietly.

    `close` runs once the chunks end, however they end.
    """
    rows_before = len(first)
    try:
        if first:
            yield first
        for raw in parts:
            chunk = convert_chunk(build, raw, fields, converters, rows_before)
            rows_before += len(raw)
            yield chunk
    except driver_errors as exc:
        if cancelled():
            logger.debug("query cancelled after %d rows", rows_before)
            return
        raise DataSourceError(f"query failed: {message(exc)}") from exc
    finally:
        close()


class QueryLink(Protocol):
    """A running query's connection: a cancel flag, and ways to interrupt and to close it."""

    cancelled: threading.Event

    def cancel(self) -> None: ...

    def close(self) -> None: ...


def query_stream(
    link: QueryLink, description: str, first: Columns,
    parts: Iterator[Sequence[Sequence[Any]]], build: ColumnBuilder, fields: Sequence[FieldInfo],
    converters: Sequence[Converter | None], *,
    driver_errors: tuple[type[BaseException], ...], message: Callable[[BaseException], str],
) -> RowStream:  # fmt: skip
    """The RowStream of a query whose first chunk is typed: the rest typed as read, the link closed at the end."""
    chunks = typed_chunks(
        first, parts, build, fields, converters, driver_errors=driver_errors, message=message,
        cancelled=link.cancelled.is_set, close=link.close,
    )  # fmt: skip
    return RowStream(
        fields, chunks, ordered=True, cancel=link.cancel, on_close=link.close,
        description=description,
    )  # fmt: skip
