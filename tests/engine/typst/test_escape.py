"""typst_string: user text → a Typst string literal that prints exactly that text, read back from the PDF."""

from __future__ import annotations

import functools
import json
import unicodedata
from pathlib import Path

import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.render import compile_document
from engine.render.fonts import installed_families
from engine.typst import FALLBACK_FONTS, FONT_DIR, font_chain, typst_string
from engine.typst.metrics import read_advances

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CJK_FAMILIES = tuple(f.lower() for f in FALLBACK_FONTS if f not in ("DejaVu Sans", "Noto Sans"))

#: characters Typst or the PDF treat specially: markup, comments, raw, math, labels, escapes
SPECIAL = "#$*_[]<>@\\\"'`/~=-+.:;{}()|^%&!?"
HEBREW = "אבגדהוזחטיכלמנסעפצקרשת"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


@functools.cache
def covered() -> frozenset[str]:
    """Printable characters drawn by Liberation Sans or DejaVu Sans (the fonts of the test document)."""
    chars = set(read_advances(FONT_DIR / "LiberationSans-Regular.ttf"))
    if DEJAVU.exists():
        chars |= set(read_advances(DEJAVU))
    return frozenset(
        c
        for c in chars
        # letters, digits, punctuation and symbols only: combining marks, format characters
        # and spaces other than U+0020 do not survive as themselves (Typst shapes them away)
        if unicodedata.category(c)[0] in "LNPS"
        # right-to-left scripts are tested on their own: PyMuPDF re-orders mixed runs visually
        and unicodedata.bidirectional(c) not in ("R", "AL", "AN")
        # compatibility characters: PDF readers give the decomposition for a shared glyph
        and not unicodedata.decomposition(c).startswith("<")
    )


def round_trip(text: str) -> str:
    """Compile `#text("…")` in the test fonts and return what PyMuPDF extracts from the page."""
    source = (
        "#set page(width: 20cm, height: auto, margin: 1cm)\n"
        '#set text(font: ("Liberation Sans", "DejaVu Sans"), size: 10pt)\n'
        f"#text({typst_string(text)})\n"
    )
    pdf = compile_document(source).pages[0]
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        # flags=0: ligatures (fi, ffl) come back as their letters, never as U+FB01
        extracted = doc[0].get_text(flags=0)
    return extracted.removesuffix("\n")


def words(alphabet: str, max_words: int = 6) -> st.SearchStrategy[str]:
    """Single-spaced words, no leading or trailing space, short enough for one line of 18 cm."""
    word = st.text(alphabet=alphabet, min_size=1, max_size=8)
    return st.lists(word, min_size=1, max_size=max_words).map(" ".join)


def alphabet() -> str:
    return "".join(sorted(covered()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_text_prints_exactly_itself(data):
    chars = alphabet()
    mixed = st.sampled_from(SPECIAL) | st.sampled_from(chars)
    text = data.draw(words(mixed))
    assert round_trip(text) == text


@settings(max_examples=25, deadline=None)
@given(text=words(SPECIAL, max_words=8))
def test_markup_characters_are_inert(text):
    assert round_trip(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "#set page(width: 1cm)",
        "#let x = 1",
        "$x^2$ and *bold* and _emph_",
        "[link] <label> @ref",
        "// not a comment",
        "/* not a comment */",
        "`raw` ```block```",
        'a "quoted" \\ backslash \\u{41}',
        "\\n is not a newline",
        "= not a heading",
        "- not a list",
        "~ nbsp? no",
    ],
)
def test_typst_syntax_in_text_is_printed(text):
    assert round_trip(text) == text


@pytest.mark.parametrize(
    "text",
    ["שלום עולם", "ספר תורה אחד", "abc שלום def", "Total: 12 שקל"],
)
def test_hebrew_comes_back_in_logical_order(text):
    assert round_trip(text) == text


@settings(max_examples=15, deadline=None)
@given(text=words(ARABIC, max_words=4).filter(lambda t: "لا" not in t))
def test_arabic_comes_back_word_for_word(text):
    # PyMuPDF gives the words of an Arabic line in visual (right-to-left) order, so the
    # words are compared as a reversed list; each word's letters come back in logical order.
    # Lam + alef is drawn as one mandatory ligature glyph that PyMuPDF extracts as "ال"
    # reversed, so that pair is left out
    assert round_trip(text).split(" ") == text.split(" ")[::-1]


@pytest.mark.skipif(
    not any(f in installed_families() for f in CJK_FAMILIES), reason="no CJK font installed"
)
def test_cjk_round_trip():
    text = "漢字 かな 한국어 报表"
    source = (
        "#set page(width: 20cm, height: auto, margin: 1cm)\n"
        f"#text(font: ({', '.join(typst_string(f) for f in font_chain('Liberation Sans', installed_families()))}), {typst_string(text)})\n"
    )
    pdf = compile_document(source).pages[0]
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc[0].get_text(flags=0).removesuffix("\n") == text


# -- the literal itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "escape"),
    [
        ("\x00", "\\u{0}"),
        ("\x01", "\\u{1}"),
        ("\x1b", "\\u{1b}"),
        ("\x7f", "\\u{7f}"),
        ("\x85", "\\u{85}"),
        ("\u2028", "\\u{2028}"),
        ("\u2029", "\\u{2029}"),
    ],
)
def test_control_characters_become_unicode_escapes(char, escape):
    assert typst_string(f"a{char}b") == f'"a{escape}b"'


def test_not_json_escapes():
    literal = typst_string("\x01")
    assert "\\u0001" not in literal
    assert literal != json.dumps("\x01")


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("", '""'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("two\nlines", '"two\\nlines"'),
        ("tab\there", '"tab\\there"'),
        ("cr\r", '"cr\\r"'),
        ("#$*_[]<>@`/", '"#$*_[]<>@`/"'),
        ("é漢😀", '"é漢😀"'),
    ],
)
def test_literal_forms(text, literal):
    assert typst_string(text) == literal


def test_lone_surrogate_is_escaped():
    assert typst_string("a\ud800b") == '"a\\u{d800}b"'


def test_control_characters_compile_to_the_same_string():
    # Typst evaluates the literal back to the original string: its length survives
    text = "a\x01b\x7fc\u2028d"
    source = f"#let s = {typst_string(text)}\n#s.len()"
    pdf = compile_document(source + "\n").pages[0]
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert doc[0].get_text().strip() == str(len(text.encode("utf-8")))


@pytest.mark.parametrize("text", ["a\nb", "line one\nline two\nthree"])
def test_newlines_print_as_line_breaks(text):
    assert round_trip(text) == text
