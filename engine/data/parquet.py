"""Parquet files → RowStreams of typed rows: read a batch at a time with pyarrow, Arrow types as field types, order sorted by Arrow.

The file is opened once with engine.access.open_regular (confined like a CSV path, a
regular file under the `parquet` cap) and pyarrow reads that open file, never the path
again. Before a row is read the footer is checked: every column read has a type a report
can print and no row group declares more uncompressed bytes for the columns read than the
`parquet-row-group` cap: pyarrow decodes one row group of the columns read at a time and
hands it out in batches, so memory holds one row group, never the file.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from engine.access import MB, limit, open_regular
from engine.errors import DataSourceError
from engine.model import ParquetSource

from .conversion import (
    CONVERSION_ERRORS,
    Converter,
    column_converter,
    converter,
    find_bad_value,
    json_text,
    undeclared_error,
)
from .files import source_path
from .stream import Columns, FieldInfo, OrderKey, RowStream, reader

if TYPE_CHECKING:
    import pyarrow.parquet as pq

logger = logging.getLogger(__name__)

WHAT = "Parquet source"
#: bytes of decoded values one batch aims at (a batch of wide rows holds fewer rows)
_BATCH_BYTES = 64 * 1024 * 1024
#: compressed bytes pyarrow reads from the file at a time (a column chunk is not read whole)
_BUFFER_BYTES = 1024 * 1024


@dataclass(frozen=True)
class _Reading:
    """How a kind of Arrow column is read: its field type, its Python values, and whether Arrow sorts it as Python would."""

    type: str
    values: Callable[[Any], list[Any]]
    sortable: bool = True


@dataclass(frozen=True)
class _Column:
    """A column read from the file: its field, how it is read, the converter of a declared type."""

    field: FieldInfo
    reading: _Reading
    convert: Converter | None


# -- Arrow types → field types -------------------------------------------------------------------


def _plain(array: Any) -> list[Any]:
    return array.to_pylist()  # type: ignore[no-any-return]


def _halves(array: Any) -> list[Any]:
    import pyarrow as pa

    return array.cast(pa.float64()).to_pylist()  # type: ignore[no-any-return]


def _datetimes(array: Any) -> list[Any]:
    """Naive or aware datetimes; aware ones with their UTC offset as the zone, as the CSV and
    JSON readers read ISO text with an offset. Python holds microseconds: nanoseconds are cut."""
    import pyarrow as pa

    kind = array.type
    if kind.unit == "ns":
        array = array.cast(pa.timestamp("us", tz=kind.tz), safe=False)
    values = array.to_pylist()
    if kind.tz is None:
        return values  # type: ignore[no-any-return]
    return [None if v is None else v.astimezone(dt.timezone(v.utcoffset())) for v in values]


def _times(array: Any) -> list[Any]:
    """Times of day as text (a report has no time type): `09:30:00`, `23:59:59.500000`."""
    import pyarrow as pa

    if array.type.unit == "ns":
        array = array.cast(pa.time64("us"), safe=False)
    return [None if v is None else v.isoformat() for v in array.to_pylist()]


def _json(array: Any) -> list[Any]:
    """Lists, structs and maps as JSON text, as the JSON reader gives nested arrays and objects."""
    return [json_text(v) for v in array.to_pylist()]


#: lists, structs and maps, read as JSON text
_NESTED = ("is_struct", "is_map", "is_list", "is_large_list", "is_fixed_size_list",
           "is_list_view", "is_large_list_view")  # fmt: skip

#: (pyarrow.types predicates, how such a column is read), the first that holds wins
_READINGS: tuple[tuple[tuple[str, ...], _Reading], ...] = (
    (("is_boolean",), _Reading("boolean", _plain)),
    (("is_integer",), _Reading("integer", _plain)),
    (("is_float16",), _Reading("float", _halves, sortable=False)),
    (("is_floating",), _Reading("float", _plain)),
    (("is_decimal",), _Reading("decimal", _plain)),
    (("is_string", "is_large_string"), _Reading("string", _plain)),
    (("is_string_view",), _Reading("string", _plain, sortable=False)),
    (("is_binary", "is_large_binary", "is_fixed_size_binary"), _Reading("bytes", _plain)),
    (("is_binary_view",), _Reading("bytes", _plain, sortable=False)),
    (("is_date",), _Reading("date", _plain)),
    (("is_timestamp",), _Reading("datetime", _datetimes)),
    (("is_time",), _Reading("string", _times)),
    (("is_null",), _Reading("string", _plain)),
    (_NESTED, _Reading("string", _json, sortable=False)),
)


def _reading(kind: Any) -> _Reading | None:
    """How a column of an Arrow type is read; None when a report cannot print it (durations, unions…)."""
    import pyarrow as pa

    if pa.types.is_dictionary(kind):  # categories: read as their values
        inner = _reading(kind.value_type)
        if inner is None:
            return None
        return _Reading(inner.type, lambda array: inner.values(array.dictionary_decode()), False)
    for predicates, reading in _READINGS:
        if any(getattr(pa.types, name)(kind) for name in predicates):
            return reading
    return None


def _columns(
    path: Path, schema: Any, names: Sequence[str], declared: Mapping[str, str]
) -> list[_Column]:
    """The columns `names` of the file: field types from the schema, replaced by the declared ones.

    Raises:
        DataSourceError: a column holds values a report cannot print (lists, structs, maps, durations…).
    """
    found = []
    for name in names:
        kind = schema.field(name).type
        reading = _reading(kind)
        if reading is None:
            raise DataSourceError(
                f"{path}: column '{name}' holds {kind} values, which a report cannot print "
                "(it reads text, numbers, booleans, dates, times, bytes, and lists, structs "
                "and maps as JSON text); leave the column out of the file, or convert it"
            )
        field_type = reading.type
        convert = None
        if name in declared:
            convert = converter(declared[name]) if declared[name] != field_type else None
            field_type = declared[name]
        found.append(_Column(FieldInfo(name, field_type), reading, convert))
    return found


# -- opening and checking ---------------------------------------------------------------------------


def _pyarrow_errors() -> tuple[type[BaseException], ...]:
    import pyarrow as pa

    # ArrowInvalid is a ValueError, ArrowIOError an OSError, ArrowMemoryError a MemoryError
    errors = (pa.ArrowException, OSError, ValueError, NotImplementedError, MemoryError)
    return (*errors, OverflowError, EOFError)


def _bad_file(path: Path, exc: BaseException) -> DataSourceError:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return DataSourceError(f"{path}: not a readable Parquet file: {text}")


def _open_file(path: Path, file: BinaryIO) -> pq.ParquetFile:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(file, buffer_size=_BUFFER_BYTES, pre_buffer=False)
    except _pyarrow_errors() as exc:
        raise _bad_file(path, exc) from exc


def _check_names(path: Path, names: Sequence[str]) -> None:
    for index, name in enumerate(names, start=1):
        if not name.strip():
            raise DataSourceError(f"{path}: column {index} has no name")
    twice = sorted(name for name, count in Counter(names).items() if count > 1)
    if twice:
        raise DataSourceError(f"{path}: the file names column '{twice[0]}' more than once")


def _leaves(kind: Any) -> int:
    """How many Parquet columns (leaves) an Arrow type is stored as."""
    import pyarrow as pa

    types = pa.types
    if types.is_struct(kind):
        return sum(_leaves(kind.field(i).type) for i in range(kind.num_fields))
    if types.is_map(kind):
        return _leaves(kind.key_type) + _leaves(kind.item_type)
    if types.is_list(kind) or types.is_large_list(kind) or types.is_fixed_size_list(kind):
        return _leaves(kind.value_type)
    if types.is_list_view(kind) or types.is_large_list_view(kind):
        return _leaves(kind.value_type)
    return 1


def _row_groups(metadata: Any, schema: Any, names: Collection[str]) -> list[tuple[int, int]]:
    """Each row group's rows and declared uncompressed size of the top-level columns `names`."""
    owners = [field.name for field in schema for _ in range(_leaves(field.type))]
    wanted = set(names)  # a file may have thousands of columns: no list lookups per chunk
    found = []
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        size = 0
        for index in range(row_group.num_columns):
            chunk = row_group.column(index)
            # a name may hold dots: the leaf's owner comes from the schema, when it agrees
            owner = (
                owners[index]
                if len(owners) == row_group.num_columns
                else chunk.path_in_schema.split(".", 1)[0]
            )
            if owner in wanted:
                size += max(chunk.total_uncompressed_size, 0)
        found.append((row_group.num_rows, size))
    return found


def _check_row_groups(path: Path, groups: Sequence[tuple[int, int]]) -> None:
    cap = limit("parquet-row-group")
    for group, (_, size) in enumerate(groups):
        if size > cap:
            raise DataSourceError(
                f"{path}: row group {group} declares {size / MB:.1f} MB of values for the columns "
                f"read, over the {cap / MB:.0f} MB limit of one Parquet row group (it is held in "
                "memory while it is read); raise it with --max-input-mb if the file is meant to "
                "be that large"
            )


def _batch_rows(chunk_size: int, groups: Sequence[tuple[int, int]]) -> int:
    """Rows per batch: `chunk_size`, fewer when the rows are wide (about _BATCH_BYTES a batch)."""
    widest = max((size / max(rows, 1) for rows, size in groups), default=0)
    if widest <= 0:
        return chunk_size
    return max(1, min(chunk_size, int(_BATCH_BYTES / widest)))


# -- reading --------------------------------------------------------------------------------------


def _python_columns(
    path: Path, columns: Sequence[_Column], arrays: Sequence[Any], first_row: int
) -> Columns:
    """A batch's Arrow arrays → Columns of typed Python values; a value that does not fit names its row."""
    names = tuple(c.field.name for c in columns)
    values: list[Sequence[Any]] = []
    size = len(arrays[0]) if arrays else 0
    for column, array in zip(columns, arrays, strict=True):
        try:
            python = column.reading.values(array)
        except _pyarrow_errors() as exc:
            raise _bad_value(path, column, array, first_row, exc) from exc
        if column.convert is not None:
            try:
                converted = column_converter(column.convert)(python)
                python = converted if isinstance(converted, list) else list(converted)
            except CONVERSION_ERRORS as exc:
                raise _bad_conversion(path, column, python, first_row) from exc
        values.append(python)
    return Columns(names, values, size)


def _bad_value(
    path: Path, column: _Column, array: Any, first_row: int, exc: BaseException
) -> DataSourceError:
    """The first value of `array` Python cannot hold (a date past year 9999…), with its row."""
    for index in range(len(array)):
        try:
            column.reading.values(array.slice(index, 1))
        except (ValueError, OverflowError, ArithmeticError) as bad:
            exc = bad
            break
    else:
        index = 0
    return DataSourceError(
        f"{path} row {first_row + index + 1}, field '{column.field.name}' "
        f"({column.field.type}): {exc}"
    )


def _bad_conversion(
    path: Path, column: _Column, values: Sequence[Any], first_row: int
) -> DataSourceError:
    """The first value of a column that does not fit its declared type, with its row."""
    index, name, message = find_bad_value(
        [[v] for v in values], [column.field.name], [column.convert]
    )
    return DataSourceError(
        f"{path} row {first_row + index + 1}, field '{name}' ({column.field.type}): {message}"
    )


def _batches(
    path: Path,
    parquet: pq.ParquetFile,
    columns: Sequence[_Column],
    batch_rows: int,
) -> Iterator[Columns]:
    names = [c.field.name for c in columns]
    read = 0
    try:
        for batch in parquet.iter_batches(batch_size=batch_rows, columns=names):
            yield _python_columns(path, columns, batch.columns, read)
            read += batch.num_rows
    except _pyarrow_errors() as exc:
        raise _bad_file(path, exc) from exc


def _sorted_batches(
    path: Path,
    parquet: pq.ParquetFile,
    columns: Sequence[_Column],
    order_by: Sequence[OrderKey],
    batch_rows: int,
) -> Iterator[Columns]:
    """Every row of the columns read, sorted by Arrow (stable, null first in both directions), in batches."""
    import pyarrow.compute as pc

    names = [c.field.name for c in columns]
    try:
        table = parquet.read(columns=names)
        keys = [
            (key.field, "descending" if key.descending else "ascending", "at_start")
            for key in order_by
        ]
        order = pc.sort_indices(table, sort_keys=keys)
    except _pyarrow_errors() as exc:
        raise _bad_file(path, exc) from exc
    for start in range(0, table.num_rows, batch_rows):
        taken = table.take(order.slice(start, batch_rows)).combine_chunks()
        yield _python_columns(path, columns, taken.columns, start)


def _check_order(path: Path, order_by: Sequence[OrderKey], columns: Sequence[_Column]) -> bool:
    """Whether Arrow can sort by `order_by` as Python would; a key naming no field is an error."""
    by_name = {c.field.name: c for c in columns}
    for key in order_by:
        if key.field not in by_name:
            raise DataSourceError(
                f"cannot sort by '{key.field}': no such field in {path}; "
                f"fields: {', '.join(by_name)}"
            )
    # a declared type changes the values (text read as numbers), and Arrow cannot sort some
    # kinds (categories, half floats, views, JSON text): Python sorts those, after the
    # conversion, as it sorts any source's rows
    return all(
        by_name[key.field].convert is None and by_name[key.field].reading.sortable
        for key in order_by
    )


@reader("parquet")
def open_parquet_rows(
    source: ParquetSource,
    *,
    params: Mapping[str, Any],
    base_dir: Path | None,
    url: str | None,
    order_by: Sequence[OrderKey],
    chunk_size: int,
    on_open: Callable[[Callable[[], None]], None] | None = None,
    columns: Collection[str] | None = None,
) -> RowStream:
    """Stream a Parquet file's rows (only `columns` when it has them all); see engine.data.open_rows."""
    path = source_path(source.path, url, base_dir, WHAT)
    try:
        file = open_regular(path, kind="parquet", what=WHAT)
    except FileNotFoundError as exc:
        raise DataSourceError(f"file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise DataSourceError(f"{WHAT} {path} is a folder, not a file") from exc
    except OSError as exc:
        raise DataSourceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        parquet = _open_file(path, file)
        schema = parquet.schema_arrow
        names = list(schema.names)
        _check_names(path, names)
        declared = {field.name: field.type for field in source.fields or ()}
        error = undeclared_error(declared, names, str(path))
        if error is not None:
            raise error
        if columns is not None and set(columns) <= set(names):
            names = [name for name in names if name in columns]
        read = _columns(path, schema, names, declared)
        metadata = parquet.metadata
        groups = _row_groups(metadata, schema, names)
        _check_row_groups(path, groups)
        batch_rows = _batch_rows(chunk_size, groups)
        ordered = not order_by or _check_order(path, order_by, read)
        if order_by and ordered:
            chunks = _sorted_batches(path, parquet, read, order_by, batch_rows)
        else:
            chunks = _batches(path, parquet, read, batch_rows)
    except BaseException:
        file.close()
        raise
    fields = [c.field for c in read]
    logger.debug("reading %d rows from %s: %s", metadata.num_rows, path, fields)
    return RowStream(
        fields,
        chunks,
        ordered=ordered,
        rows_total=metadata.num_rows,
        on_close=file.close,
        description=str(path),
    )
