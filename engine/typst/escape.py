"""Python values → Typst code literals; the one place user text enters Typst (as string literals, never markup)."""

from __future__ import annotations

import math
import re
from decimal import Decimal

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    special = _ESCAPES.get(ch)
    if special is not None:
        return special
    code = ord(ch)
    # control characters, DEL, C1 controls, line/paragraph separators and lone surrogates
    if code < 0x20 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029) or 0xD800 <= code <= 0xDFFF:
        return f"\\u{{{code:x}}}"
    return ch


_SURROGATE = re.compile("[\ud800-\udfff]")

#: str.translate table of every character below U+3000 that `_escape_char` changes
_TABLE = {
    i: _escape_char(chr(i))
    for i in (*map(ord, _ESCAPES), *range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
}


def typst_string(text: str) -> str:
    """A Typst string literal (code mode) that evaluates to exactly `text`.

    Typst string escapes are `\\\\ \\" \\n \\r \\t \\u{hex}`; every other character
    stands for itself inside quotes, so markup characters (`# $ * _ @ < > [ ]`),
    comment openers and backticks are inert. `json.dumps` is not a substitute: its
    `\\u0001` is printed literally by Typst.
    """
    escaped = text.translate(_TABLE)
    if _SURROGATE.search(escaped):
        escaped = "".join(_escape_char(c) for c in escaped)
    return f'"{escaped}"'


def typst_value(value: object) -> str:
    """A Typst literal for a plain Python value: None, bool, int, float, Decimal, str, list, tuple, dict."""
    if value is None:
        return "none"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        number = float(value)
        if number != number:
            return "float.nan"
        if number in (math.inf, -math.inf):  # `inf` alone would be an unknown Typst name
            return "float.inf" if number > 0 else "-float.inf"
        return repr(number)
    if isinstance(value, str):
        return typst_string(value)
    if isinstance(value, dict):
        if not value:
            return "(:)"
        return (
            "("
            + ", ".join(f"{typst_string(str(k))}: {typst_value(v)}" for k, v in value.items())
            + ")"
        )
    if isinstance(value, list | tuple):
        items = [typst_value(v) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    raise TypeError(f"no Typst literal for {type(value).__name__}")


def typst_length(points: float) -> str:
    """A length in points as Typst code: `12.5pt`."""
    return f"{round(points, 3):g}pt"


def typst_color(color: str | None) -> str:
    """A `#rgb`/`#rrggbb`/`#rrggbbaa` colour as Typst code, or `none`.

    The model checks colours on load; the string is escaped all the same, so a colour built
    without that check (an API caller) is a compile error at worst, never code.
    """
    if color is None:
        return "none"
    return f"rgb({typst_string(color)})"
