"""AdvanceTable: advance widths read per character agree with the font's whole cmap (read_advances)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.typst import FONT_DIR, text_width
from engine.typst.metrics import AdvanceTable, read_advances

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # a format 12 cmap


@pytest.mark.parametrize(
    "path", [FONT_DIR / "LiberationSans-Regular.ttf", FONT_DIR / "LiberationMono-Bold.ttf", DEJAVU]
)
def test_lookup_per_character_matches_the_whole_table(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is not installed")
    whole = read_advances(path)
    table = AdvanceTable(path)
    assert len(whole) > 2000
    assert all(table.advance(ch) == width for ch, width in whole.items())
    unmapped = [chr(c) for c in range(0x3000) if chr(c) not in whole and not 0xD800 <= c <= 0xDFFF]
    assert unmapped and all(table.advance(ch) is None for ch in unmapped)
    assert table.advance("\U0010ffff") is None


def test_text_width_sums_the_advances_and_counts_missing_characters_one_em() -> None:
    whole = read_advances(FONT_DIR / "LiberationSans-Bold.ttf")
    expected = (whole["W"] + whole["i"] + whole["!"] + 1.0) * 10  # 中: not in the font
    assert text_width("Wi!中", "Liberation Sans", 10, bold=True) == pytest.approx(expected)
    # a family that is not bundled: Liberation Sans widths, 15 % wider (an upper estimate)
    wide = text_width("Wi!", "Some Font", 10, bold=True)
    assert wide == pytest.approx((whole["W"] + whole["i"] + whole["!"]) * 10 * 1.15)
