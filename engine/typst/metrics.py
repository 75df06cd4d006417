"""A TrueType font file → advance widths per character (cmap + hmtx tables), read with `struct`, no font library.

`AdvanceTable` looks characters up one at a time (a text measures only the characters it
has); `read_advances` lists every character the font maps.
"""

from __future__ import annotations

import struct
from bisect import bisect_left
from pathlib import Path


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = (offset, length)
    return tables


def _best_cmap(data: bytes, offset: int) -> tuple[int, int] | None:
    """(format, offset) of the best Unicode subtable: format 12, else format 4."""
    (count,) = struct.unpack_from(">H", data, offset + 2)
    best: tuple[int, int] | None = None
    for i in range(count):
        platform, encoding, sub = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
        (fmt,) = struct.unpack_from(">H", data, offset + sub)
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and fmt == 12:
            return (12, offset + sub)
        if (platform, encoding) in ((3, 1), (0, 3), (0, 1)) and fmt == 4 and best is None:
            best = (4, offset + sub)
    return best


class _Format4:
    """A cmap format 4 subtable: segments of 16-bit code points."""

    def __init__(self, data: bytes, at: int) -> None:
        (segx2,) = struct.unpack_from(">H", data, at + 6)
        segs = segx2 // 2
        self.data = data
        self.ends = struct.unpack_from(f">{segs}H", data, at + 14)
        self.starts = struct.unpack_from(f">{segs}H", data, at + 16 + segx2)
        self.deltas = struct.unpack_from(f">{segs}h", data, at + 16 + 2 * segx2)
        self.range_at = at + 16 + 3 * segx2
        self.offsets = struct.unpack_from(f">{segs}H", data, self.range_at)

    def segment_glyph(self, s: int, code: int) -> int:
        if code == 0xFFFF:
            return 0
        if self.offsets[s] == 0:
            return (code + self.deltas[s]) & 0xFFFF
        where = self.range_at + 2 * s + self.offsets[s] + 2 * (code - self.starts[s])
        (glyph,) = struct.unpack_from(">H", self.data, where)
        return (glyph + self.deltas[s]) & 0xFFFF if glyph else 0

    def glyph(self, code: int) -> int:
        s = bisect_left(self.ends, code)
        if s == len(self.ends) or self.starts[s] > code:
            return 0
        return self.segment_glyph(s, code)

    def mapping(self) -> dict[int, int]:
        mapping: dict[int, int] = {}
        for s in range(len(self.ends)):
            for code in range(self.starts[s], self.ends[s] + 1):
                glyph = self.segment_glyph(s, code)
                if glyph:
                    mapping[code] = glyph
        return mapping


class _Format12:
    """A cmap format 12 subtable: groups of consecutive code points (any plane)."""

    def __init__(self, data: bytes, at: int) -> None:
        (count,) = struct.unpack_from(">I", data, at + 12)
        flat = struct.unpack_from(f">{3 * count}I", data, at + 16)
        self.starts = flat[0::3]
        self.ends = tuple(min(end, 0x10FFFF) for end in flat[1::3])
        self.glyphs = flat[2::3]

    def glyph(self, code: int) -> int:
        g = bisect_left(self.ends, code)
        if g == len(self.ends) or self.starts[g] > code:
            return 0
        return self.glyphs[g] + code - self.starts[g]

    def mapping(self) -> dict[int, int]:
        mapping: dict[int, int] = {}
        for start, end, glyph in zip(self.starts, self.ends, self.glyphs, strict=True):
            for code in range(start, end + 1):
                mapping[code] = glyph + code - start
        return mapping


class AdvanceTable:
    """One font file's advance widths in em, looked up per character."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        tables = _tables(data)
        (self.units,) = struct.unpack_from(">H", data, tables[b"head"][0] + 18)
        (metrics,) = struct.unpack_from(">H", data, tables[b"hhea"][0] + 34)
        # hmtx: (advance, left side bearing) pairs; the advances are every other value
        self.widths = struct.unpack_from(f">{2 * metrics}H", data, tables[b"hmtx"][0])[0::2]
        self.last = self.widths[-1] if self.widths else self.units
        best = _best_cmap(data, tables[b"cmap"][0])
        self.cmap: _Format4 | _Format12 | None = None
        if best is not None:
            fmt, at = best
            self.cmap = _Format12(data, at) if fmt == 12 else _Format4(data, at)

    def _width(self, glyph: int) -> float:
        return (self.widths[glyph] if glyph < len(self.widths) else self.last) / self.units

    def advance(self, ch: str) -> float | None:
        """The advance width of one character in em, or None when the font does not map it."""
        glyph = self.cmap.glyph(ord(ch)) if self.cmap is not None else 0
        return self._width(glyph) if glyph else None

    def advances(self) -> dict[str, float]:
        """Every character the font maps → its advance width in em."""
        mapping = self.cmap.mapping() if self.cmap is not None else {}
        return {chr(code): self._width(glyph) for code, glyph in mapping.items()}


def read_advances(path: Path) -> dict[str, float]:
    """Each character the font maps → its advance width in em."""
    return AdvanceTable(path).advances()
