"""JSON text ↔ Python data for `.ashr` files: strict parsing with positions, stable diff-friendly writing."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ..errors import Diagnostic, error

#: a container whose one-line form is at most this wide is written on one line
ONE_LINE_WIDTH = 140

#: the most values (objects, arrays and their items) one file may hold: a report with
#: 10,000 bands of 10 elements is far below it; a file of a million `{}` is refused before
#: it is parsed into a million Python objects
MAX_VALUES = 1_000_000
#: the deepest nesting of objects and arrays (a report nests about 12 deep)
MAX_DEPTH = 100

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


class DuplicateKeyError(ValueError):
    """A JSON object has the same key twice."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(key)
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


#: the most digits of a whole number in a report file (Python's own cap is 4,300)
MAX_DIGITS = 100


class NumberError(ValueError):
    """A number in the file is too large to mean anything in a report."""


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999999 parses as infinity, which JSON cannot write back
        raise NumberError(f"the number {text[:20]}{'...' if len(text) > 20 else ''} is too large")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise NumberError(
            f"a whole number has {len(text.lstrip('-')):,} digits (at most {MAX_DIGITS})"
        )
    return int(text)


def count_values(raw: bytes) -> int:
    """An upper bound of the values a JSON text holds, counted on the bytes (strings left out)."""
    bare = _STRING.sub(b"", raw)
    return bare.count(b"{") + bare.count(b"[") + bare.count(b",") + 1


def json_depth(data: Any) -> int:
    """How deeply objects and arrays nest in parsed data (iterative: never a RecursionError)."""
    deepest = 0
    todo: list[tuple[Any, int]] = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, dict):
            items: Any = value.values()
        elif isinstance(value, list):
            items = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        todo.extend((item, depth + 1) for item in items)
    return deepest


def parse_json(text: bytes | str) -> tuple[Any, list[Diagnostic]]:
    """Parse JSON text; return (data, []) or (None, [diagnostic with line and column]).

    Bounded: more than MAX_VALUES values or nesting deeper than MAX_DEPTH is a diagnostic,
    checked before (values) and right after (depth) parsing, never a MemoryError or
    RecursionError.
    """
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    if count_values(raw) > MAX_VALUES:
        return None, [
            error(
                "too-many-values",
                f"the file holds more than {MAX_VALUES:,} JSON values; a report definition is "
                "far smaller (is it data saved under an .ashr name?)",
            )
        ]
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, [
                error("encoding", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
            ]
    try:
        data = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_constant,
            parse_float=_float,
            parse_int=_int,
        )
        if json_depth(data) > MAX_DEPTH:
            raise RecursionError
        return data, []
    except json.JSONDecodeError as exc:
        return None, [
            error(
                "json-syntax", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            )
        ]
    except NumberError as exc:
        return None, [error("json-number", f"{exc}; write numbers a report can use")]
    except DuplicateKeyError as exc:
        return None, [error("json-duplicate-key", f"the key '{exc}' appears twice in one object")]
    except ValueError as exc:
        return None, [error("json-syntax", f"invalid JSON: {exc}")]
    except RecursionError:
        return None, [
            error(
                "too-deep",
                f"objects and arrays nest more than {MAX_DEPTH} deep; a report nests about 12",
            )
        ]


def _write(data: Any, indent: int, out: list[str]) -> None:
    one_line = json.dumps(data, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)
    if not isinstance(data, dict | list) or not data or len(one_line) + indent <= ONE_LINE_WIDTH:
        out.append(one_line)
        return
    pad = " " * (indent + 2)
    if isinstance(data, dict):
        out.append("{\n")
        for i, (key, value) in enumerate(data.items()):
            out.append(f"{pad}{json.dumps(key, ensure_ascii=False)}: ")
            _write(value, indent + 2, out)
            out.append(",\n" if i < len(data) - 1 else "\n")
        out.append(" " * indent + "}")
    else:
        out.append("[\n")
        for i, value in enumerate(data):
            out.append(pad)
            _write(value, indent + 2, out)
            out.append(",\n" if i < len(data) - 1 else "\n")
        out.append(" " * indent + "]")


def dump_json(data: Any) -> str:
    """Write data as `.ashr` JSON text: keys in the given order, short objects on one line, final newline."""
    out: list[str] = []
    _write(data, 0, out)
    out.append("\n")
    return "".join(out)
