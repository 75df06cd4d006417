"""How the designer names and orders bands: a report in, captions and print order out."""

from __future__ import annotations

from typing import Any

from engine.model import BAND_ORDER, Report


def band_caption(band: Any) -> str:
    """How the designer names a band: ``Group header: country``, ``Page footer``."""
    text = band.type.replace("_", " ").capitalize()
    group = getattr(band, "group", None)
    return f"{text}: {group}" if group else text


def print_order(report: Report) -> list[int]:
    """Indices of the report's bands in the order the engine prints them."""
    groups = {g.name: i for i, g in enumerate(report.groups)}

    def key(index: int) -> tuple[int, int, int]:
        band = report.bands[index]
        rank = groups.get(getattr(band, "group", None) or "", len(groups))
        if band.type == "group_footer":
            rank = -rank  # inner groups close first
        return BAND_ORDER.index(band.type), rank, index

    return sorted(range(len(report.bands)), key=key)
