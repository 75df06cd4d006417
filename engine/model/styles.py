"""Style objects of the report model: style keys, named styles, conditional styles, strokes, formats."""

from typing import Annotated, Literal

from pydantic import Field

from .base import (
    Align,
    AshrModel,
    Color,
    Expression,
    Flag,
    FontSize,
    Identifier,
    NonNegativeLength,
    Text,
    VAlign,
)


class StyleKeys(AshrModel):
    """The style keys an element or a named style may set; None inherits."""

    font: Text | None = None
    size: FontSize | None = None
    bold: Flag | None = None
    italic: Flag | None = None
    underline: Flag | None = None
    color: Color | None = None
    background: Color | None = None
    align: Align | None = None
    valign: VAlign | None = None
    padding: NonNegativeLength | None = None


STYLE_KEYS: tuple[str, ...] = tuple(StyleKeys.model_fields)


class _Named:
    name: Identifier


class _Conditioned:
    when: Expression


class Style(StyleKeys, _Named):
    """A named style elements refer to with `style`."""


class ConditionalStyle(StyleKeys, _Conditioned):
    """Style keys applied when `when` is true; the first match wins."""


class Stroke(AshrModel):
    """How a line or a box outline is drawn."""

    width: NonNegativeLength = 0.5
    color: Color = "#000"
    dash: Literal["solid", "dashed", "dotted"] = "solid"


def default_stroke() -> Stroke:
    """The default stroke (0.5 pt solid black), made without validating it."""
    return Stroke.model_construct()


class CurrencyFormat(AshrModel):
    kind: Literal["currency"]
    currency: Annotated[Text, Field(pattern=r"^[A-Z]{3}$")]
    pattern: Text | None = None


class NumberFormat(AshrModel):
    kind: Literal["number"]
    pattern: Text | None = None


class PercentFormat(AshrModel):
    kind: Literal["percent"]
    pattern: Text | None = None


class DateFormat(AshrModel):
    kind: Literal["date"]
    pattern: Text = "yyyy-MM-dd"


class DateTimeFormat(AshrModel):
    kind: Literal["datetime"]
    pattern: Text = "yyyy-MM-dd HH:mm"


Format = Annotated[
    CurrencyFormat | NumberFormat | PercentFormat | DateFormat | DateTimeFormat,
    Field(discriminator="kind"),
]
