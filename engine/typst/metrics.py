"""A TrueType font file → advance widths per character (cmap + hmtx tables), read with `struct`, no font library."""

from __future__ import annotations

import struct
from pathlib import Path


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    (count,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = (offset, length)
    return tables


def _cmap(data: bytes, offset: int) -> dict[int, int]:
    """Code point → glyph id from the best Unicode subtable (format 12, else format 4)."""
    (count,) = struct.unpack_from(">H", data, offset + 2)
    best: tuple[int, int] | None = None
    for i in range(count):
        platform, encoding, sub = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
        (fmt,) = struct.unpack_from(">H", data, offset + sub)
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and fmt == 12:
            best = (12, offset + sub)
            break
        if (platform, encoding) in ((3, 1), (0, 3), (0, 1)) and fmt == 4 and best is None:
            best = (4, offset + sub)
    mapping: dict[int, int] = {}
    if best is None:
        return mapping
    fmt, at = best
    if fmt == 12:
        (groups,) = struct.unpack_from(">I", data, at + 12)
        for g in range(groups):
            start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * g)
            for code in range(start, min(end, 0x10FFFF) + 1):
                mapping[code] = glyph + code - start
        return mapping
    (segx2,) = struct.unpack_from(">H", data, at + 6)
    segs = segx2 // 2
    ends = struct.unpack_from(f">{segs}H", data, at + 14)
    starts = struct.unpack_from(f">{segs}H", data, at + 16 + segx2)
    deltas = struct.unpack_from(f">{segs}h", data, at + 16 + 2 * segx2)
    range_at = at + 16 + 3 * segx2
    offsets = struct.unpack_from(f">{segs}H", data, range_at)
    for s in range(segs):
        for code in range(starts[s], ends[s] + 1):
            if code == 0xFFFF:
                continue
            if offsets[s] == 0:
                glyph = (code + deltas[s]) & 0xFFFF
            else:
                where = range_at + 2 * s + offsets[s] + 2 * (code - starts[s])
                (glyph,) = struct.unpack_from(">H", data, where)
                if glyph:
                    glyph = (glyph + deltas[s]) & 0xFFFF
            if glyph:
                mapping[code] = glyph
    return mapping


def read_advances(path: Path) -> dict[str, float]:
    """Each character the font maps → its advance width in em."""
    data = path.read_bytes()
    tables = _tables(data)
    (units,) = struct.unpack_from(">H", data, tables[b"head"][0] + 18)
    (metrics,) = struct.unpack_from(">H", data, tables[b"hhea"][0] + 34)
    hmtx = tables[b"hmtx"][0]
    widths = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(metrics)]
    last = widths[-1] if widths else units
    return {
        chr(code): (widths[glyph] if glyph < metrics else last) / units
        for code, glyph in _cmap(data, tables[b"cmap"][0]).items()
    }
