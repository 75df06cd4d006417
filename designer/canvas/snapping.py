"""Snapping: a length and a grid step in, the nearest grid line out; moving edges in, the nearest element edge out."""

from __future__ import annotations

import bisect

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


#: how close an edge must come to another element's edge to snap to it, in pixels (any zoom)
SNAP_PIXELS = 4.0


class EdgeSnapper:
    """Snaps moving edges (left, centre, right or top, middle, bottom) to the other elements' edges."""

    def __init__(self, lines: list[float]) -> None:
        self.lines = sorted(set(lines))

    def nearest(self, values: list[float], tolerance: float) -> tuple[float, float | None]:
        """(shift, line): the smallest shift that puts one of ``values`` on a line, if within tolerance."""
        best_shift, best_line = 0.0, None
        lines = self.lines
        for value in values:
            i = bisect.bisect_left(lines, value)
            for j in (i - 1, i):
                if 0 <= j < len(lines):
                    shift = lines[j] - value
                    if abs(shift) <= tolerance and (
                        best_line is None or abs(shift) < abs(best_shift)
                    ):
                        best_shift, best_line = shift, lines[j]
        return best_shift, best_line
