"""JSON text ↔ Python data for `.ashr` files: strict parsing with positions, stable diff-friendly writing."""

from __future__ import annotations

import json
from typing import Any

from ..errors import Diagnostic, error

#: a container whose one-line form is at most this wide is written on one line
ONE_LINE_WIDTH = 140


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


def parse_json(text: bytes | str) -> tuple[Any, list[Diagnostic]]:
    """Parse JSON text; return (data, []) or (None, [diagnostic with line and column])."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, [
                error("encoding", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
            ]
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant), []
    except json.JSONDecodeError as exc:
        return None, [
            error(
                "json-syntax", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            )
        ]
    except DuplicateKeyError as exc:
        return None, [error("json-duplicate-key", f"the key '{exc}' appears twice in one object")]
    except ValueError as exc:
        return None, [error("json-syntax", f"invalid JSON: {exc}")]
    except RecursionError:
        return None, [error("json-syntax", "invalid JSON: nested too deeply")]


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
