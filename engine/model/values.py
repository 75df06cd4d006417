"""Parameter values from text or JSON → typed Python values (int, Decimal, date, ...), or a clear refusal."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if "_" in text:  # int() would accept 1_000, a Python-only spelling
            raise ValueError
        return int(text)
    raise ValueError


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        result = Decimal(value.strip())
        if not result.is_finite():
            raise ValueError
        return result
    raise ValueError


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        return float(value)
    if isinstance(value, str):
        return float(value.strip())
    raise ValueError


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    raise ValueError


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value.strip())
    raise ValueError


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        return str(value)
    raise ValueError


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return base64.b64decode(value, validate=True)
    raise ValueError


_CONVERTERS = {
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "float": _float,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "bytes": _bytes,
}

_EXAMPLES = {
    "string": "any text",
    "integer": "a whole number such as 42",
    "decimal": "a number such as 12.50",
    "float": "a number such as 0.5",
    "boolean": "true or false",
    "date": "a date as YYYY-MM-DD, e.g. 2024-01-31",
    "datetime": "a date and time as YYYY-MM-DD HH:MM[:SS], e.g. 2024-01-31 14:30",
    "bytes": "base64 text",
}


def convert_value(field_type: str, value: Any) -> Any:
    """Convert text or a JSON value to `field_type`; raise ValueError with a message naming the expected form.

    `None` stays `None`. A whole float is accepted for an integer; text is parsed.
    """
    if value is None:
        return None
    try:
        return _CONVERTERS[field_type](value)
    except (ValueError, TypeError, InvalidOperation, binascii.Error, OverflowError) as exc:
        raise ValueError(f"{value!r} is not {_EXAMPLES[field_type]}") from exc


def to_json_value(value: Any) -> Any:
    """A typed value back to what a file or the JSON output holds (dates ISO, Decimal as text)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value
