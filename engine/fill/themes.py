"""Report themes: a theme name in, its default text style, heading font, colours, rules and chart palette out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .instances import ResolvedStyle


@dataclass(frozen=True, slots=True)
class Theme:
    """The defaults a theme gives every element, its chart colors, and the look report templates take from it.

    `style` is what the renderer applies to every element without a style of its own; the
    rest (heading font, accent, muted text, header fill, rule width) is what the designer's
    templates build their named styles, boxes and lines from.
    """

    name: str
    style: ResolvedStyle
    palette: tuple[str, ...]
    line_color: str
    #: font family of titles and headings (the body font is `style.font`)
    heading_font: str = "Liberation Sans"
    #: colour of titles, group headings and the rule under the title (a brand colour replaces it)
    accent: str = "#1f2937"
    #: colour of secondary text: subtitles, notes, page footers
    muted: str = "#6b7280"
    #: background of column headers and group headings; None for none
    header_fill: str | None = None
    #: width in points of the rules under headers and above totals
    line_width: float = 0.5


#: theme name → Theme, filled by @theme
THEMES: dict[str, Theme] = {}


def theme(fn: Callable[[], Theme]) -> Callable[[], Theme]:
    """Register the Theme a function builds under its name."""
    built = fn()
    THEMES[built.name] = built
    return fn


def _style(
    color: str, *, font: str = "Liberation Sans", size: float = 10, padding: float = 0
) -> ResolvedStyle:
    return ResolvedStyle(
        font=font,
        size=size,
        bold=False,
        italic=False,
        underline=False,
        color=color,
        background=None,
        align="left",
        valign="top",
        padding=padding,
    )


@theme
def _default() -> Theme:
    return Theme(
        name="default",
        style=_style("#000000"),
        palette=(
            "#4e79a7",
            "#f28e2b",
            "#e15759",
            "#76b7b2",
            "#59a14f",
            "#edc948",
            "#b07aa1",
            "#ff9da7",
        ),
        line_color="#000000",
        accent="#1f2937",
        header_fill="#eef2f7",
        line_width=0.75,
    )


@theme
def _corporate() -> Theme:
    return Theme(
        name="corporate",
        style=_style("#1f2937"),
        palette=(
            "#1e3a8a",
            "#2563eb",
            "#60a5fa",
            "#0f766e",
            "#14b8a6",
            "#64748b",
            "#94a3b8",
            "#f59e0b",
        ),
        line_color="#1f2937",
        heading_font="Liberation Serif",
        accent="#1e3a8a",
        muted="#64748b",
        header_fill="#e8eef6",
        line_width=1.0,
    )


@theme
def _minimal() -> Theme:
    return Theme(
        name="minimal",
        style=_style("#333333", size=9),
        palette=(
            "#333333",
            "#666666",
            "#999999",
            "#bbbbbb",
            "#dddddd",
            "#555555",
            "#888888",
            "#aaaaaa",
        ),
        line_color="#999999",
        accent="#333333",
        muted="#888888",
        line_width=0.25,
    )


@theme
def _vibrant() -> Theme:
    return Theme(
        name="vibrant",
        style=_style("#111827"),
        palette=(
            "#e11d48",
            "#f97316",
            "#eab308",
            "#22c55e",
            "#06b6d4",
            "#3b82f6",
            "#8b5cf6",
            "#ec4899",
        ),
        line_color="#111827",
        accent="#e11d48",
        muted="#6b7280",
        header_fill="#fff1f2",
        line_width=1.5,
    )


def get_theme(name: str) -> Theme:
    """The theme of that name; the default theme for an unknown name (the model refuses those)."""
    return THEMES.get(name, THEMES["default"])
