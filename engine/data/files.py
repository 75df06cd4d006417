"""CSV and JSON files → RowStreams of typed rows: types declared or inferred from the values, order sorted in Python.

A path from the report is confined to the report's folder tree (or a folder the user
allowed); a path the user gave (`--data`) is not. Either way only a regular file under the
size cap of its kind is read, and numbers keep within the caps of engine.model.values.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.access import confine, open_regular, read_regular
from engine.errors import DataSourceError, ReportInputError
from engine.model import CsvOptions, CsvSource, FieldDef, JsonSource
from engine.model.values import decimal_from_text, int_from_text, shown

from .conversion import (
    CONVERSION_ERRORS,
    Converter,
    find_bad_value,
    infer_text_type,
    infer_value_type,
    json_text,
    plan_fields,
    row_builder,
    undeclared_error,
)
from .stream import FieldInfo, OrderKey, Row, RowStream, chunked, reader, resolve_path, sort_rows

logger = logging.getLogger(__name__)

# Files are read whole: JSON has to be parsed whole anyway, types are inferred from every
# value (so a late "N/A" makes a column text instead of failing half-way), and sorting
# needs every row. Rows are then handed out in chunks like an SQL stream.


def _declared(
    fields: Sequence[FieldDef] | None, names: Sequence[str], where: str
) -> dict[str, str]:
    declared: dict[str, str] = {field.name: field.type for field in fields or ()}
    error = undeclared_error(declared, names, where)
    if error is not None:
        raise error
    return declared


def _typed_rows(
    path: Path,
    names: Sequence[str],
    raw_rows: Sequence[Sequence[Any]],
    plan: tuple[list[FieldInfo], list[Converter | None]],
    place: Sequence[str],
) -> list[Row]:
    """Dicts of typed values; a value that does not convert is an error naming `place` (line or item)."""
    fields, converters = plan
    build = row_builder(names, converters)
    try:
        return build(raw_rows)
    except CONVERSION_ERRORS as exc:
        index, name, message = find_bad_value(raw_rows, names, converters)
        kind = next((f.type for f in fields if f.name == name), "?")
        raise DataSourceError(f"{path} {place[index]}, field '{name}' ({kind}): {message}") from exc


def _stream(
    path: Path,
    fields: list[FieldInfo],
    rows: list[Row],
    order_by: Sequence[OrderKey],
    chunk_size: int,
) -> RowStream:
    if order_by:
        sort_rows(rows, order_by, fields, str(path))
    logger.debug("read %d rows from %s: %s", len(rows), path, fields)
    return RowStream(
        fields, chunked(rows, chunk_size), ordered=True, rows_total=len(rows), description=str(path)
    )


def source_path(path: str, url: str | None, base_dir: Path | None, what: str) -> Path:
    """The file to read: the user's `url` (`--data`) as given, else the report's `path`, confined.

    Raises:
        AccessError: the report's path leads outside its folder tree and the allowed folders.
    """
    if url:
        return resolve_path(url, base_dir)
    return confine(path, base_dir, what=what)


# -- CSV ------------------------------------------------------------------------------------------


def _encoding(name: str) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError as exc:
        raise ReportInputError(f"unknown text encoding '{name}' in csv_options") from exc
    # utf-8-sig reads files with and without the byte order mark spreadsheets write
    return "utf-8-sig" if canonical == "utf-8" else name


def _check_header(path: Path, header: list[str]) -> None:
    for column, name in enumerate(header, start=1):
        if not name.strip():
            raise DataSourceError(f"{path} line 1: column {column} of the header has no name")
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise DataSourceError(f"{path} line 1: the header names column '{twice[0]}' more than once")


def _undecodable_line(path: Path, encoding: str) -> str:
    """' line N' for the first line that does not decode (text is decoded in blocks, not lines)."""
    try:
        lines = read_regular(path, kind="csv", what="CSV source").split(b"\n")
    except (OSError, ReportInputError):
        return ""
    for number, raw in enumerate(lines, start=1):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            return f" line {number}"
    return ""


def read_csv(
    path: Path, options: CsvOptions
) -> tuple[list[str], list[list[str | None]], list[int]]:
    """The header, the rows (empty cells as None) and each row's line number.

    Raises:
        DataSourceError: a missing or unreadable file, no header, a row with the wrong number of values.
    """
    encoding = _encoding(options.encoding)
    rows: list[list[str | None]] = []
    lines: list[int] = []
    line = 0
    try:
        raw = open_regular(path, kind="csv", what="CSV source")
        with io.TextIOWrapper(raw, encoding=encoding, newline="") as file:
            cells = csv.reader(file, delimiter=options.delimiter, strict=True)
            header = next(cells, None)
            if header is None:
                raise DataSourceError(
                    f"{path}: the file is empty; a CSV file starts with a header row"
                )
            _check_header(path, header)
            width = len(header)
            line = cells.line_num
            for values in cells:
                if not values:
                    line = cells.line_num
                    continue  # blank line
                if len(values) != width:
                    raise DataSourceError(
                        f"{path} line {cells.line_num}: {len(values)} values, "
                        f"but the header has {width} columns"
                    )
                rows.append([value or None for value in values])
                lines.append(cells.line_num)
                line = cells.line_num
    except FileNotFoundError as exc:
        raise DataSourceError(f"file not found: {path}") from exc
    except UnicodeDecodeError as exc:
        raise DataSourceError(
            f"{path}{_undecodable_line(path, encoding)}: not {options.encoding} text "
            f"({exc.reason}); set csv_options.encoding"
        ) from exc
    except csv.Error as exc:
        raise DataSourceError(f"{path} line {line + 1}: {exc}") from exc
    except OSError as exc:
        raise DataSourceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return header, rows, lines


@reader("csv")
def open_csv_rows(
    source: CsvSource,
    *,
    params: Mapping[str, Any],
    base_dir: Path | None,
    url: str | None,
    order_by: Sequence[OrderKey],
    chunk_size: int,
    on_open: Callable[[Callable[[], None]], None] | None = None,
    columns: Collection[str] | None = None,
) -> RowStream:
    """Read a CSV file with a header row (every column: `columns` is ignored); see engine.data.open_rows."""
    path = source_path(source.path, url, base_dir, "CSV source")
    names, raw_rows, lines = read_csv(path, source.csv_options or CsvOptions())
    declared = _declared(source.fields, names, str(path))
    by_column = [[row[index] for row in raw_rows] for index in range(len(names))]
    plan = plan_fields(names, [None] * len(names), declared, by_column, infer_text_type)
    rows = _typed_rows(path, names, raw_rows, plan, [f"line {line}" for line in lines])
    return _stream(path, plan[0], rows, order_by, chunk_size)


# -- JSON -----------------------------------------------------------------------------------------


def read_json(path: Path) -> tuple[list[str], list[list[Any]]]:
    """The field names (every key, in first-seen order) and the rows (missing keys as None).

    Numbers with a fraction become Decimal exactly as written; nested objects and arrays
    become JSON text.

    Raises:
        AccessError: not a regular file, or over the size cap for JSON.
        DataSourceError: a missing or unreadable file, bad JSON, not an array of objects, a
            number over the caps, nesting too deep.
    """
    try:
        text = read_regular(path, kind="json", what="JSON source")
        data = json.loads(
            text, parse_float=_json_decimal, parse_int=_json_int, parse_constant=_json_constant
        )
    except _JsonNumberError as exc:
        raise DataSourceError(f"{path}: {exc}") from exc
    except RecursionError as exc:
        # the C parser recurses per level: an array nested 100,000 deep ends here, at once
        raise _too_deep(path) from exc
    except FileNotFoundError as exc:
        raise DataSourceError(f"file not found: {path}") from exc
    except json.JSONDecodeError as exc:
        raise DataSourceError(
            f"{path} line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise DataSourceError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise DataSourceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not isinstance(data, list):
        raise DataSourceError(
            f"{path}: expected an array of objects, found a JSON {type(data).__name__}"
        )
    names: dict[str, None] = {}
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise DataSourceError(f"{path}: item {index} of the array is not an object")
        names.update(dict.fromkeys(item))
    try:
        rows = [[_scalar(item.get(name)) for name in names] for item in data]
    except RecursionError as exc:  # parsed just under the limit, written back as text over it
        raise _too_deep(path) from exc
    return list(names), rows


def _too_deep(path: Path) -> DataSourceError:
    return DataSourceError(
        f"{path}: arrays or objects nested too deeply (a data file nests a few levels)"
    )


class _JsonNumberError(ValueError):
    """A JSON number over the caps, or NaN/Infinity (not JSON)."""


def _json_decimal(text: str) -> Decimal:
    try:
        return decimal_from_text(text)
    except ValueError as exc:
        raise _JsonNumberError(f"the number {exc}") from exc


def _json_int(text: str) -> int:
    try:
        return int_from_text(text)
    except ValueError as exc:
        raise _JsonNumberError(f"the number {exc}") from exc


def _json_constant(text: str) -> Any:
    raise _JsonNumberError(f"{shown(text)} is not a JSON number; write null or a number")


def _scalar(value: Any) -> Any:
    return json_text(value) if isinstance(value, dict | list) else value


@reader("json")
def open_json_rows(
    source: JsonSource,
    *,
    params: Mapping[str, Any],
    base_dir: Path | None,
    url: str | None,
    order_by: Sequence[OrderKey],
    chunk_size: int,
    on_open: Callable[[Callable[[], None]], None] | None = None,
    columns: Collection[str] | None = None,
) -> RowStream:
    """Read a JSON file holding an array of objects (every key: `columns` is ignored); see engine.data.open_rows."""
    path = source_path(source.path, url, base_dir, "JSON source")
    names, raw_rows = read_json(path)
    if not raw_rows and source.fields:
        names = [field.name for field in source.fields]  # an empty array has no keys to tell
    declared = _declared(source.fields, names, str(path))
    by_column = [[row[index] for row in raw_rows] for index in range(len(names))]
    plan = plan_fields(names, [None] * len(names), declared, by_column, infer_value_type)
    rows = _typed_rows(
        path, names, raw_rows, plan, [f"item {n}" for n in range(1, len(raw_rows) + 1)]
    )
    return _stream(path, plan[0], rows, order_by, chunk_size)
