"""Raw values (driver values, CSV text, JSON values) → typed values: type inference, converters, row builders."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from engine.errors import DataSourceError
from engine.model import convert_value
from engine.model.values import MAX_DIGITS, check_number_text, int_from_decimal

from .stream import Columns, FieldInfo

Converter = Callable[[Any], Any]
RowBuilder = Callable[[Sequence[Sequence[Any]]], list[dict[str, Any]]]
ColumnBuilder = Callable[[Sequence[Sequence[Any]]], Columns]

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?"
)
_INTEGER_RE = re.compile(r"[+-]?(0|[1-9]\d*)")  # no leading zeros: "007" is a code, not 7
_DECIMAL_RE = re.compile(r"[+-]?(0|[1-9]\d*)?\.\d+|[+-]?(0|[1-9]\d*)\.")
_BOOLEANS = {"true", "false"}


# -- converters: any raw value → the field type, None stays None ------------------------------
# Each has fast paths for what drivers and parsers return; everything else goes through
# engine.model.convert_value, which parses text strictly and explains what it expected.


def _to_string(value: Any) -> Any:
    if value is None or type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes | bytearray | memoryview):
        return convert_value("string", value)  # refuses: bytes are not text
    return str(value)


def _to_integer(value: Any) -> Any:
    if value is None or type(value) is int:
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int_from_decimal(value)  # capped: int(Decimal("1e999999999")) would never end
    return convert_value("integer", value)


def _to_decimal(value: Any) -> Any:
    kind = type(value)
    if value is None or kind is Decimal:
        return value
    if kind is float:
        # repr gives the shortest text that reads back as the same float: 1.98 → Decimal("1.98")
        return Decimal(repr(value))
    if kind is int:
        return Decimal(value)
    if kind is str:
        try:  # SQLite NUMERIC stored as text, CSV cells: the common, well-formed case
            result = Decimal(check_number_text(value))
        except ArithmeticError:
            return convert_value("decimal", value)
        if result.is_finite() and "_" not in value:
            return result
    return convert_value("decimal", value)


def _to_float(value: Any) -> Any:
    if value is None or type(value) is float:
        return value
    return convert_value("float", value)


def _to_boolean(value: Any) -> Any:
    if value is None or type(value) is bool:
        return value
    if type(value) is int and value in (0, 1):
        return value == 1
    return convert_value("boolean", value)


def _to_date(value: Any) -> Any:
    if value is None or type(value) is dt.date:
        return value
    if type(value) is str and len(value) == 10:
        try:  # "2024-01-31", as SQLite stores dates
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if type(value) is str and len(value) > 10 and _DATETIME_RE.fullmatch(value):
        return dt.datetime.fromisoformat(
            value
        ).date()  # a DATE column holding "2024-01-31 00:00:00"
    return convert_value("date", value)


def _to_datetime(value: Any) -> Any:
    if value is None or type(value) is dt.datetime:
        return value
    if type(value) is str:
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    return convert_value("datetime", value)


def _to_bytes(value: Any) -> Any:
    if value is None or type(value) is bytes:
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return convert_value("bytes", value)


CONVERTERS: dict[str, Converter] = {
    "string": _to_string,
    "integer": _to_integer,
    "decimal": _to_decimal,
    "float": _to_float,
    "boolean": _to_boolean,
    "date": _to_date,
    "datetime": _to_datetime,
    "bytes": _to_bytes,
}

#: Python types drivers return that already are the field type, so a column of them needs no converter
NATIVE_TYPES: dict[str, type] = {"string": str, "integer": int, "float": float, "bytes": bytes}


def converter(field_type: str) -> Converter:
    """The function turning a raw value into `field_type` (None stays None; ValueError when it cannot)."""
    return CONVERTERS[field_type]


def json_text(value: Any) -> Any:
    """A JSON value as text for a string field: strings as they are, the rest as compact JSON."""
    if value is None or type(value) is str:
        return value
    return json.dumps(value, default=str, sort_keys=True, ensure_ascii=False)


# -- inference ------------------------------------------------------------------------------------

# Which field type a set of seen kinds makes; missing combinations fall back to "string".
_UNIONS: dict[frozenset[str], str] = {
    frozenset({"integer", "float"}): "float",
    frozenset({"integer", "decimal"}): "decimal",
    frozenset({"integer", "decimal", "float"}): "float",
    frozenset({"date", "datetime"}): "datetime",
}

_VALUE_KINDS: dict[type, str] = {
    bool: "boolean",
    int: "integer",
    float: "float",
    Decimal: "decimal",
    dt.datetime: "datetime",
    dt.date: "date",
    bytes: "bytes",
    bytearray: "bytes",
    memoryview: "bytes",
}


def _combine(kinds: set[str]) -> str | None:
    if not kinds:
        return None
    if len(kinds) == 1:
        return next(iter(kinds))
    return _UNIONS.get(frozenset(kinds), "string")


def _text_kind(text: str) -> str:
    """Kind of a text value from a database or JSON: only ISO dates are read from text."""
    if _DATE_RE.fullmatch(text):
        return "date"
    if _DATETIME_RE.fullmatch(text):
        return "datetime"
    return "string"


def infer_value_type(values: Iterable[Any]) -> str | None:
    """Field type of typed values (from a driver or JSON); ISO text counts as a date; None when all null."""
    kinds: set[str] = set()
    for value in values:
        if value is None:
            continue
        kind = type(value)
        found = _text_kind(value) if kind is str else _VALUE_KINDS.get(kind, "string")
        if found not in kinds:
            kinds.add(found)
            if len(kinds) > 1 and _combine(kinds) == "string":
                return "string"
    return _combine(kinds)


def _csv_kind(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_DIGITS:  # a number that long would be refused: a code, kept as text
        return _text_kind(text)
    if _INTEGER_RE.fullmatch(text):
        return "integer"
    if _DECIMAL_RE.fullmatch(text):
        return "decimal"
    if text.lower() in _BOOLEANS:
        return "boolean"
    return _text_kind(text)


def infer_text_type(values: Iterable[str | None]) -> str | None:
    """Field type of CSV cells: whole numbers, numbers with a '.' (decimal), true/false, ISO dates; None when all empty."""
    kinds: set[str] = set()
    for value in values:
        if value is None:
            continue
        found = _csv_kind(value)
        if found not in kinds:
            kinds.add(found)
            if found == "string" or _combine(kinds) == "string":
                return "string"
    return _combine(kinds)


def needs_converter(field_type: str, values: Iterable[Any]) -> bool:
    """False when every value already is the Python type of `field_type` (the converter would be identity)."""
    native = NATIVE_TYPES.get(field_type)
    if native is None:
        return True
    return any(value is not None and type(value) is not native for value in values)


# -- rows -----------------------------------------------------------------------------------------


def _native_column(native: type, convert: Converter) -> ColumnConverter:
    """A column converter that leaves a chunk alone when every value already is `native` or None (checked in C)."""
    allowed = {native, type(None)}

    def column(values: Sequence[Any]) -> Iterable[Any]:
        if set(map(type, values)) <= allowed:
            return values
        return map(convert, values)

    return column


# text a Decimal reads exactly as _to_decimal does and within the number caps: digits, point,
# sign, spaces (no "_" separators, no NaN/Infinity spelled in letters, no exponent: an
# exponent is checked value by value)
_DECIMAL_TEXT_RE = re.compile(r"[^0-9.+\- \x00]")


def _decimal_column(values: Sequence[Any]) -> Iterable[Any]:
    """Decimal text (SQLite NUMERIC, CSV cells) converted by the C Decimal constructor when the whole chunk is plain."""
    if (
        set(map(type, values)) == {str}
        and max(map(len, values), default=0) <= MAX_DIGITS
        and not _DECIMAL_TEXT_RE.search("\x00".join(values))
    ):
        try:
            return list(map(Decimal, values))
        except ArithmeticError:
            pass  # a malformed value: the per-value converter explains it
    return map(_to_decimal, values)


def _date_column(values: Sequence[Any]) -> Iterable[Any]:
    """ISO date text ("2024-01-31", as SQLite stores dates) parsed in C when the whole chunk is such text."""
    if set(map(type, values)) == {str} and set(map(len, values)) == {10}:
        try:
            return list(map(dt.date.fromisoformat, values))
        except ValueError:
            pass
    return map(_to_date, values)


#: a column of raw values (a chunk's) → its values converted; same results as the per-value converter
ColumnConverter = Callable[[Sequence[Any]], Iterable[Any]]

_COLUMN_CONVERTERS: dict[Converter, ColumnConverter] = {
    _to_string: _native_column(str, _to_string),
    _to_integer: _native_column(int, _to_integer),
    _to_float: _native_column(float, _to_float),
    _to_bytes: _native_column(bytes, _to_bytes),
    _to_decimal: _decimal_column,
    _to_date: _date_column,
}


def column_converter(convert: Converter) -> ColumnConverter:
    """The chunk-at-a-time form of a converter (fast paths in C for the common cases)."""
    fast = _COLUMN_CONVERTERS.get(convert)
    if fast is not None:
        return fast
    return lambda values: map(convert, values)


def column_builder(names: Sequence[str], converters: Sequence[Converter | None]) -> ColumnBuilder:
    """A function turning a list of value sequences into Columns, applying each column's converter.

    A chunk is transposed to columns and each column that needs it converted a column at a
    time (`column_converter`): the per-value work stays in C.
    """
    keys = tuple(names)
    steps = tuple((i, column_converter(c)) for i, c in enumerate(converters) if c is not None)

    def build(rows: Sequence[Sequence[Any]]) -> Columns:
        if not rows:
            return Columns(keys, [[] for _ in keys], 0)
        columns: list[Any] = list(zip(*rows, strict=False))
        for index, convert in steps:
            converted = convert(columns[index])
            if converted is not columns[index]:
                columns[index] = converted if isinstance(converted, list) else list(converted)
        return Columns(keys, columns, len(rows))

    return build


def row_builder(names: Sequence[str], converters: Sequence[Converter | None]) -> RowBuilder:
    """A function turning a list of value sequences into a list of dicts, applying each column's converter.

    The rows are rebuilt with `zip` from the typed columns of `column_builder`; when no
    column needs converting they are built from the value rows at once.
    """
    keys = tuple(names)
    if all(c is None for c in converters):
        return lambda rows: [dict(zip(keys, r, strict=False)) for r in rows]
    columns = column_builder(names, converters)
    return lambda rows: columns(rows).rows()


def find_bad_value(
    rows: Sequence[Sequence[Any]], names: Sequence[str], converters: Sequence[Converter | None]
) -> tuple[int, str, str]:
    """After a row builder failed: (row index, field name, message) of the first value that does not convert."""
    for row_index, row in enumerate(rows):
        for name, convert, value in zip(names, converters, row, strict=False):
            if convert is None:
                continue
            try:
                convert(value)
            except (ValueError, TypeError, ArithmeticError) as exc:
                return row_index, name, str(exc) or f"{value!r} cannot be converted"
    return 0, "?", "a value cannot be converted"


CONVERSION_ERRORS = (ValueError, TypeError, ArithmeticError)


def plan_fields(
    names: Sequence[str],
    known: Sequence[str | None],
    declared: Mapping[str, str],
    columns: Sequence[Sequence[Any]],
    infer: Callable[[Iterable[Any]], str | None],
) -> tuple[list[FieldInfo], list[Converter | None]]:
    """Each column's field type and converter (None when values already have the type).

    The type is the one `declared` in the report, else the one `known` from the source
    (database column types), else `infer`red from the column's sample values, else string.
    """
    fields, converters = [], []
    for name, known_type, values in zip(names, known, columns, strict=True):
        if name in declared:
            field_type = declared[name]
            convert: Converter | None = converter(field_type)
        else:
            field_type = known_type or infer(values) or "string"
            convert = converter(field_type) if needs_converter(field_type, values) else None
        fields.append(FieldInfo(name, field_type))
        converters.append(convert)
    return fields, converters


def undeclared_error(
    declared: Iterable[str], names: Sequence[str], where: str
) -> DataSourceError | None:
    """The error for a field declared in the report that the source does not have, if any."""
    missing = [name for name in declared if name not in names]
    if not missing:
        return None
    return DataSourceError(
        f"field '{missing[0]}' is declared in the data source but {where} has no such column; "
        f"columns: {', '.join(names)}"
    )
