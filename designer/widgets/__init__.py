"""Value fields the panes share (colour, font family, length, style keys): plain widgets, no document, no commands."""

from __future__ import annotations

from .colourfield import ColourField
from .fontfamily import INHERIT, FontFamilyCombo
from .lengthfield import LengthField
from .stylekeysform import StyleKeysForm

__all__ = ["INHERIT", "ColourField", "FontFamilyCombo", "LengthField", "StyleKeysForm"]
