"""Names in messages: a field, parameter or variable name in, the text a one-line diagnostic quotes out.

Field names come from databases and CSV headers, so they may hold anything: a newline
would split a diagnostic in two, a carriage return or a bidi override would make a
terminal show other text than the message holds, and a Cyrillic 'а' looks exactly like
a Latin 'a' ("unknown field 'Total'; did you mean 'Total'?"). These functions quote
such characters as `\\u0430` so what a person reads is what the name is.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

#: longest name quoted whole; longer ones are cut with their length (a name may be 100,000 long)
MAX_SHOWN = 80

#: categories never shown as themselves: controls, format characters (bidi overrides,
#: zero-width), line and paragraph separators, private use, unassigned, surrogates
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"})


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shown_name(name: str, *, ascii_only: bool = False, limit: int = MAX_SHOWN) -> str:
    """`name` as a diagnostic quotes it: invisible and control characters (and, with
    `ascii_only`, every non-ASCII character) escaped, and cut to `limit` characters."""
    cut = name if len(name) <= limit else name[: limit - 1]
    text = "".join(
        _escape(ch)
        if unicodedata.category(ch) in _HIDDEN or (ascii_only and ord(ch) > 0x7E)
        else ch
        for ch in cut
    )
    if len(name) > limit:
        text += f"… ({len(name):,} characters)"
    return text


def suggestion(name: str, known: Iterable[str]) -> str:
    """`; did you mean 'X'?` for the known name closest to `name`, or ''.

    When the two look the same once printed (they differ only in characters outside ASCII,
    as `Total` and a `Tot\\u0430l` with a Cyrillic a do), both are quoted with every
    non-ASCII character escaped and the message says so.
    """
    matches = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    if not matches:
        return ""
    match = matches[0]
    if _looks_alike(name, match):
        return (
            f"; did you mean '{shown_name(match, ascii_only=True)}'? (it looks the same but "
            f"is a different name: '{shown_name(name, ascii_only=True)}' was written)"
        )
    return f"; did you mean '{shown_name(match)}'?"


def _looks_alike(a: str, b: str) -> bool:
    """Two different names a reader cannot tell apart: equal once compatibility forms
    (fullwidth letters) are reduced, look-alike letters of other scripts read as Latin and
    invisible characters and accents removed."""
    return a != b and _skeleton(a) == _skeleton(b)


def _skeleton(name: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.category(ch) in _HIDDEN or unicodedata.combining(ch):
            continue
        out.append(_CONFUSABLE.get(ch, ch))
    return "".join(out).casefold()


#: the letters of other scripts most often passed off as Latin ones (Unicode's confusables
#: list has thousands; these are the ones a keyboard or a copied column name brings in)
_CONFUSABLE = dict(
    zip(
        "аеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅαοιντΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
        "aeopcyxijsdqwABEKMHOPCTXIJSaoivtABEZHIKMNOPTYX",
        strict=True,
    )
)
