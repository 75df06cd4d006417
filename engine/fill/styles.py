"""Style resolution: an element, the report's named styles and theme in, interned ResolvedStyle objects out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from engine.model import STYLE_KEYS, Report

from .instances import ResolvedStyle
from .themes import get_theme

_RESOLVED_KEYS = tuple(f.name for f in fields(ResolvedStyle))


class StyleResolver:
    """Resolves element styles once per report and hands out one shared object per distinct style."""

    def __init__(self, report: Report) -> None:
        self._theme = get_theme(report.theme).style
        self._named = {s.name: s for s in report.styles}
        self._interned: dict[tuple[Any, ...], ResolvedStyle] = {}

    def intern(self, style: ResolvedStyle) -> ResolvedStyle:
        """The shared instance equal to ``style``."""
        key = tuple(getattr(style, k) for k in _RESOLVED_KEYS)
        return self._interned.setdefault(key, style)

    def _resolve(self, layers: list[Any]) -> ResolvedStyle:
        values: dict[str, Any] = {k: getattr(self._theme, k) for k in _RESOLVED_KEYS}
        for layer in reversed(layers):  # lowest precedence first
            for key in STYLE_KEYS:
                value = getattr(layer, key, None)
                if value is not None:
                    values[key] = value
        return self.intern(ResolvedStyle(**values))

    def element_style(self, element: Any) -> ResolvedStyle:
        """Own keys → named style → theme."""
        return self._resolve(self._layers(element))

    def conditional_style(self, element: Any, conditional: Any) -> ResolvedStyle:
        """A matching conditional style's keys override own keys → named style → theme."""
        return self._resolve([conditional, *self._layers(element)])

    def _layers(self, element: Any) -> list[Any]:
        layers: list[Any] = [element]
        name = getattr(element, "style", None)
        if name is not None and name in self._named:
            layers.append(self._named[name])
        return layers

    @property
    def count(self) -> int:
        """How many distinct styles were resolved."""
        return len(self._interned)

    def styles(self) -> Mapping[tuple[Any, ...], ResolvedStyle]:
        """The interned styles (read-only use)."""
        return self._interned
