"""A theme and a brand colour in, the named styles, fills and rules of a generated report out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.fill import get_theme


def tint(colour: str, amount: float) -> str:
    """`colour` (`#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`) mixed with white: 0 keeps it, 1 gives white."""
    text = colour.lstrip("#")
    if len(text) in (3, 4):
        text = "".join(c * 2 for c in text)
    channels = [int(text[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(c + (255 - c) * amount) for c in channels]
    return "#" + "".join(f"{c:02x}" for c in mixed)


@dataclass(frozen=True)
class Look:
    """What the builder draws with: named styles, the header fill and the rules."""

    styles: tuple[dict[str, Any], ...]
    accent: str
    header_fill: str | None
    group_fill: str | None
    line_color: str
    line_width: float


def report_look(theme_name: str, brand: str | None = None) -> Look:
    """The look of a report in a theme, its accent (titles, headings, rules) replaced by a brand colour."""
    theme = get_theme(theme_name)
    body = theme.style
    accent = brand or theme.accent
    header_fill = tint(brand, 0.88) if brand and theme.header_fill else theme.header_fill
    size = body.size
    font, heading, text, muted = body.font, theme.heading_font, body.color, theme.muted

    def style(name: str, **keys: Any) -> dict[str, Any]:
        return {"name": name, "font": font, "color": text, "valign": "middle", **keys}

    styles = (
        style("title", font=heading, size=size + 8, bold=True, color=accent, valign="top"),
        style("subtitle", size=size - 1, italic=True, color=muted, valign="top"),
        style("column_header", size=size - 1, bold=True, color=accent, padding=2),
        style("group_heading", font=heading, size=size + 1, bold=True, color=accent, padding=2),
        style("detail", size=size - 1, padding=2),
        style("note", size=size - 1.5, italic=True, color=muted, padding=2),
        style("total", size=size - 0.5, bold=True, padding=2),
        style("footer", size=size - 2.5, color=muted),
    )
    return Look(
        styles=styles,
        accent=accent,
        header_fill=header_fill,
        group_fill=tint(accent, 0.93) if theme.header_fill else None,
        line_color=accent if brand else theme.line_color,
        line_width=theme.line_width,
    )
