"""AdvanceTable: a font file's advance widths in em, as the font's own tables give them (fontTools)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.typst import FONT_DIR, text_width
from engine.typst.metrics import AdvanceTable, read_advances

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # a format 12 cmap


def test_widths_are_the_fonts_advances_in_em() -> None:
    # Liberation Sans is metric-compatible with Arial: 2048 units per em, W 1933, i 455
    table = AdvanceTable(FONT_DIR / "LiberationSans-Regular.ttf")
    assert table.advance("W") == 1933 / 2048
    assert table.advance("i") == 455 / 2048
    assert table.advance(" ") == table.advance("!") == 569 / 2048
    mono = read_advances(FONT_DIR / "LiberationMono-Bold.ttf")
    assert len(mono) > 2000
    assert {w for ch, w in mono.items() if ch.isascii() and ch.isalnum()} == {1229 / 2048}


def test_a_character_the_font_does_not_map_has_no_width() -> None:
    table = AdvanceTable(FONT_DIR / "LiberationSans-Regular.ttf")
    whole = table.advances()
    unmapped = [chr(c) for c in range(0x3000) if chr(c) not in whole and not 0xD800 <= c <= 0xDFFF]
    assert unmapped and all(table.advance(ch) is None for ch in unmapped)
    assert table.advance("中") is None and table.advance("\U0010ffff") is None


def test_characters_beyond_the_basic_plane_are_read_from_a_format_12_cmap() -> None:
    if not DEJAVU.exists():
        pytest.skip(f"{DEJAVU} is not installed")
    table = AdvanceTable(DEJAVU)
    assert table.advance("\U00010300") is not None  # Old Italic A
    assert len(table.advances()) > 5000


def test_text_width_sums_the_advances_and_counts_missing_characters_one_em() -> None:
    whole = read_advances(FONT_DIR / "LiberationSans-Bold.ttf")
    expected = (whole["W"] + whole["i"] + whole["!"] + 1.0) * 10  # 中: not in the font
    assert text_width("Wi!中", "Liberation Sans", 10, bold=True) == pytest.approx(expected)
    # a family that is not bundled: Liberation Sans widths, 15 % wider (an upper estimate)
    wide = text_width("Wi!", "Some Font", 10, bold=True)
    assert wide == pytest.approx((whole["W"] + whole["i"] + whole["!"]) * 10 * 1.15)
