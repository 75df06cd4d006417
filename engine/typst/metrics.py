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
            units = font["head"].unitsPerEm
            metrics = font["hmtx"].metrics
            cmap = font.getBestCmap() or {}
        self._widths = {
            code: metrics[name][0] / units for code, name in cmap.items() if name != "g0"
        }

    def advance(self, ch: str) -> float | None:
        """The advance width of one character in em, or None when the font does not map it."""
        return self._widths.get(ord(ch))

    def advances(self) -> dict[str, float]:
        """Every character the font maps → its advance width in em."""
        return {chr(code): width for code, width in self._widths.items()}


def read_advances(path: Path) -> dict[str, float]:
    """Each character the font maps → its advance width in em."""
    return AdvanceTable(path).advances()
