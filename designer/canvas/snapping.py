"""Snapping to the grid: a length in points and a grid step in, the nearest grid line out."""

from __future__ import annotations

from PySide6.QtCore import QSettings

#: the grid step when the preference is unset, in points
DEFAULT_GRID = 5.0
_SETTING = "canvas/grid"


def snap(value: float, grid: float) -> float:
    """The multiple of ``grid`` nearest to ``value``; ``grid`` <= 0 turns snapping off."""
    if grid <= 0:
        return round(value, 3)
    return round(round(value / grid) * grid, 3)


def grid_preference(settings: QSettings | None = None) -> float:
    """The grid step the user chose (Preferences), or DEFAULT_GRID."""
    settings = settings or QSettings()
    try:
        return float(settings.value(_SETTING, DEFAULT_GRID))
    except (TypeError, ValueError):
        return DEFAULT_GRID


def set_grid_preference(grid: float, settings: QSettings | None = None) -> None:
    """Remember the grid step for later sessions."""
    (settings or QSettings()).setValue(_SETTING, float(grid))
