"""Parameter values from text or JSON → typed Python values (int, Decimal, date, ...), or a clear refusal."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}

# Caps on numbers read from text (parameters, CSV cells, JSON numbers, data text): without
# them "1e999999999" becomes an int or a plain decimal string of a billion digits (a hang and
# a gigabyte), and a million digits take seconds to parse and print. 100 significant digits
# is far above any amount a report prints (PostgreSQL's NUMERIC default shows 1000, but a
# double holds 17, Decimal's default context 28); an exponent of ±1000 stays inside the
# expression language's Decimal context (±9,999) and prints in at most about 1,100 characters.
#: most significant digits of a number read from text
MAX_DIGITS = 100
#: largest power of ten (of the leading digit) of a number read from text, either sign
MAX_EXPONENT = 1000
#: most characters of a number's text (digits, point, sign, exponent, spaces around it)
MAX_NUMBER_TEXT = 2 * MAX_DIGITS + 20

_NUMBER_RE = re.compile(r"\s*[+-]?(?P<int>\d*)(?:\.(?P<frac>\d*))?(?:[eE](?P<exp>[+-]?\d+))?\s*")


class NumberSizeError(ValueError):
    """A number read from text has more digits or a larger exponent than the caps allow."""


def shown(value: Any, limit: int = 40) -> str:
    """`repr(value)` cut to about `limit` characters, with the full length: for messages about huge values."""
    if isinstance(value, int) and value.bit_length() > 4 * limit:
        # repr of an int over 4,300 digits raises; its size is what the message needs
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    text = repr(value)
    if len(text) <= limit:
        return text
    size = len(value) if isinstance(value, str) else len(text)
    return f"{text[: limit - 5]}… ({size:,} characters)"


def _size_error(value: Any, why: str) -> NumberSizeError:
    return NumberSizeError(
        f"{shown(value)} {why} (a number may have at most {MAX_DIGITS} digits and an exponent "
        f"of at most ±{MAX_EXPONENT})"
    )


def check_number_text(text: str) -> str:
    """The text of a number, if it is within the digit and exponent caps.

    Text that is not a plain number (letters, `_`) is returned for the parser to refuse.

    Raises:
        NumberSizeError: too long, too many significant digits, or too large an exponent.
    """
    if len(text) > MAX_NUMBER_TEXT:
        raise _size_error(text, "is too long")
    match = _NUMBER_RE.fullmatch(text)
    if match is None:
        return text
    whole, fraction = match.group("int"), match.group("frac") or ""
    digits = (whole + fraction).lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise _size_error(text, "has too many digits")
    exponent = int(match.group("exp") or 0)  # short: the whole text is at most MAX_NUMBER_TEXT
    if whole.lstrip("0"):
        magnitude = exponent + len(whole.lstrip("0")) - 1
    elif fraction.strip("0"):
        magnitude = exponent - (len(fraction) - len(fraction.lstrip("0"))) - 1
    else:
        magnitude = exponent  # a zero keeps its exponent: 0E+999999999 prints a billion zeros
    if abs(magnitude) > MAX_EXPONENT:
        raise _size_error(text, "has too large an exponent")
    return text


def check_decimal(value: Decimal, text: Any = None) -> Decimal:
    """A Decimal within the digit and exponent caps (one from JSON, a driver or text).

    `text`, when given, is what the value was read from (named in the message).

    Raises:
        NumberSizeError: too many significant digits or too large an exponent.
    """
    if not value.is_finite():
        return value
    digits, exponent = value.as_tuple()[1:]
    magnitude = value.adjusted() if value else int(exponent)
    if len(digits) > MAX_DIGITS:
        raise _size_error(value if text is None else text, "has too many digits")
    if abs(magnitude) > MAX_EXPONENT:
        raise _size_error(value if text is None else text, "has too large an exponent")
    return value


def _plain(text: str) -> str:
    if "_" in text:  # Python's parsers accept 1_000, a Python-only spelling
        raise ValueError
    return check_number_text(text)


def decimal_from_text(text: str) -> Decimal:
    """`Decimal(text)` for text within the caps: never builds a huge number (see check_number_text)."""
    return Decimal(_plain(text))


def float_from_text(text: str) -> float:
    """A finite float from text within the caps (`inf`, `nan` and `1e400` are refused)."""
    result = float(_plain(text))
    if not math.isfinite(result):
        raise ValueError
    return result


def int_from_text(text: str) -> int:
    """An int from text of at most MAX_DIGITS digits (no exponent, no `_` separators)."""
    return int(_plain(text))


def int_from_decimal(value: Decimal) -> int:
    """The int a whole Decimal holds, within the caps: `int(Decimal("1e999999999"))` would never end."""
    check_decimal(value)
    if value != value.to_integral_value():
        raise ValueError
    return int(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        # the digit cap text gets: a huge int from the designer or a server's JSON too
        return int(check_decimal(Decimal(value), value))
    if isinstance(value, float) and value.is_integer():
        return int(check_decimal(Decimal(value), value))
    if isinstance(value, Decimal):
        return int_from_decimal(value)
    if isinstance(value, str):
        return int_from_text(value.strip())
    raise ValueError


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | Decimal):
        result = check_decimal(Decimal(value))
    elif isinstance(value, float):
        result = check_decimal(Decimal(str(value)))
    else:
        result = None
    if result is not None:
        if not result.is_finite():
            raise ValueError
        return result
    if isinstance(value, str):
        result = decimal_from_text(value.strip())
        if not result.is_finite():
            raise ValueError
        return result
    raise ValueError


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        if isinstance(value, int | Decimal):
            check_decimal(Decimal(value))
        result = float(value)
        if not math.isfinite(result):  # NaN, infinity, or a Decimal beyond the float range
            raise ValueError
        return result
    if isinstance(value, str):
        return float_from_text(value.strip())
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
    except NumberSizeError:
        raise
    except (ValueError, TypeError, InvalidOperation, binascii.Error, OverflowError) as exc:
        raise ValueError(f"{shown(value)} is not {_EXAMPLES[field_type]}") from exc


def to_json_value(value: Any) -> Any:
    """A typed value back to what a file or the JSON output holds (dates ISO, Decimal as text)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value
