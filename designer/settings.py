"""User preferences kept with QSettings: the length unit, recent files; points in, the user's unit out."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QSettings

#: unit → points per unit
UNITS: dict[str, float] = {"mm": 72 / 25.4, "in": 72.0, "pt": 1.0}
DEFAULT_UNIT = "mm"
#: decimals a length shows in each unit (a hundredth of a mm is finer than the 3 decimals of a pt)
_DECIMALS = {"mm": 2, "in": 3, "pt": 2}
#: how many files File ▸ Open Recent lists
MAX_RECENT = 10

_UNIT_KEY = "display/unit"
_RECENT_KEY = "files/recent"


def to_unit(points: float, unit: str) -> float:
    """A length in points expressed in ``unit`` (mm, in, pt)."""
    return points / UNITS[unit]


def format_length(points: float, unit: str) -> str:
    """``12.3 mm``, ``0.48 in``, ``35 pt``: the precision suits the unit."""
    value = to_unit(points, unit)
    digits = {"mm": 1, "in": 2, "pt": 0}[unit]
    return f"{value:.{digits}f} {unit}"


def length_text(points: float, unit: str) -> str:
    """A length in points as a number in ``unit`` without the unit (``10``, ``0.394``, ``28.35``)."""
    value = round(to_unit(points, unit), _DECIMALS[unit])
    text = f"{value:.{_DECIMALS[unit]}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def parse_length(text: str, unit: str) -> float:
    """Points (3 decimals, as the model keeps them) of a length typed in ``unit`` (``10``, ``10 mm``,
    ``0.5in``: a unit written after the number wins).

    Raises:
        ValueError: when the text is not a number, optionally followed by mm, in or pt.
    """
    text = text.strip().lower()
    for suffix in UNITS:
        if text.endswith(suffix):
            text, unit = text.removesuffix(suffix).strip(), suffix
            break
    number = float(text.replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a length")
    return round(number * UNITS[unit], 3)


def unit_preference(settings: QSettings | None = None) -> str:
    """The unit the user chose for positions and rulers (mm when unset)."""
    unit = str((settings or QSettings()).value(_UNIT_KEY, DEFAULT_UNIT))
    return unit if unit in UNITS else DEFAULT_UNIT


def set_unit_preference(unit: str, settings: QSettings | None = None) -> None:
    """Remember the unit for later sessions.

    Raises:
        KeyError: for a unit other than mm, in, pt.
    """
    UNITS[unit]
    (settings or QSettings()).setValue(_UNIT_KEY, unit)


def recent_files(settings: QSettings | None = None) -> list[Path]:
    """The files opened or saved last, newest first (files that no longer exist are left out)."""
    value = (settings or QSettings()).value(_RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a lone string for a one-item list
        value = [value]
    return [Path(v) for v in (value or []) if v and Path(v).exists()][:MAX_RECENT]


def add_recent_file(path: Path, settings: QSettings | None = None) -> list[Path]:
    """Put a file first in the recent list (once), keep at most MAX_RECENT; returns the list."""
    path = Path(path).resolve()
    files = [path] + [p for p in recent_files(settings) if p != path]
    files = files[:MAX_RECENT]
    (settings or QSettings()).setValue(_RECENT_KEY, [str(p) for p in files])
    return files


def clear_recent_files(settings: QSettings | None = None) -> None:
    (settings or QSettings()).setValue(_RECENT_KEY, [])
