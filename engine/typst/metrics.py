"""A TrueType/OpenType font file → advance widths in em per character (fontTools: the best Unicode cmap and hmtx)."""

from __future__ import annotations

from pathlib import Path


class AdvanceTable:
    """One font file's advance widths in em, for every character the font maps."""

    def __init__(self, path: Path) -> None:
        from fontTools.ttLib import TTFont  # ~14 ms: only for a process that measures text

        # lazy: only the tables asked for are read; glyphs are named by index (g0, g1...)
        # instead of by the post table, which takes longer to read than the widths themselves
        with TTFont(path, lazy=True) as font:
            font.setGlyphOrder([f"g{i}" for i in range(font["maxp"].numGlyphs)])
            self._units = font["head"].unitsPerEm
            self._metrics = font["hmtx"].metrics
            self._cmap = font.getBestCmap() or {}

    def advance(self, ch: str) -> float | None:
        """The advance width of one character in em, or None when the font does not map it."""
        glyph = self._cmap.get(ord(ch), "g0")
        return None if glyph == "g0" else self._metrics[glyph][0] / self._units

    def advances(self) -> dict[str, float]:
        """Every character the font maps → its advance width in em."""
        return {
            chr(code): self._metrics[glyph][0] / self._units
            for code, glyph in self._cmap.items()
            if glyph != "g0"
        }


def read_advances(path: Path) -> dict[str, float]:
    """Each character the font maps → its advance width in em."""
    return AdvanceTable(path).advances()
