"""Band objects of the report model, one class per band `type`, joined in the `Band` union."""

from typing import Annotated, Literal

from pydantic import Field

from .base import AshrModel, Color, Expression, Flag, Identifier
from .elements import Element, Span

#: band types in the order the engine prints them
BAND_ORDER: tuple[str, ...] = (
    "title", "page_header", "column_header", "group_header", "detail", "group_footer",
    "column_footer", "page_footer", "summary", "no_data", "background",
)  # fmt: skip

#: band types a report may have at most one of
SINGLE_BANDS: frozenset[str] = frozenset(BAND_ORDER) - {"group_header", "group_footer", "detail"}

GROUP_BANDS: frozenset[str] = frozenset({"group_header", "group_footer"})


class _Type:
    type: str


class _GroupRef:
    group: Identifier


class _Body:
    height: Span
    can_grow: Flag = True
    can_shrink: Flag = False
    keep_together: Flag = True
    print_when: Expression | None = None
    background: Color | None = None
    elements: tuple[Element, ...] = ()


class TitleBand(_Body, _Type, AshrModel):
    """Printed once, at the start of the report."""

    type: Literal["title"]


class PageHeaderBand(_Body, _Type, AshrModel):
    """Printed at the top of every page."""

    type: Literal["page_header"]


class ColumnHeaderBand(_Body, _Type, AshrModel):
    """Printed at the top of every page, under the page header."""

    type: Literal["column_header"]


class GroupHeaderBand(_Body, _GroupRef, _Type, AshrModel):
    """Printed when an instance of its group starts."""

    type: Literal["group_header"]


class DetailBand(_Body, _Type, AshrModel):
    """Printed once per row."""

    type: Literal["detail"]


class GroupFooterBand(_Body, _GroupRef, _Type, AshrModel):
    """Printed when an instance of its group ends."""

    type: Literal["group_footer"]


class ColumnFooterBand(_Body, _Type, AshrModel):
    """Printed at the bottom of every page, above the page footer."""

    type: Literal["column_footer"]


class PageFooterBand(_Body, _Type, AshrModel):
    """Printed at the bottom of every page."""

    type: Literal["page_footer"]


class SummaryBand(_Body, _Type, AshrModel):
    """Printed once, at the end of the report."""

    type: Literal["summary"]


class NoDataBand(_Body, _Type, AshrModel):
    """Printed instead of everything else when there are no rows."""

    type: Literal["no_data"]


class BackgroundBand(_Body, _Type, AshrModel):
    """Drawn behind the content of every page."""

    type: Literal["background"]


BAND_TYPES: dict[str, type[AshrModel]] = {
    "title": TitleBand,
    "page_header": PageHeaderBand,
    "column_header": ColumnHeaderBand,
    "group_header": GroupHeaderBand,
    "detail": DetailBand,
    "group_footer": GroupFooterBand,
    "column_footer": ColumnFooterBand,
    "page_footer": PageFooterBand,
    "summary": SummaryBand,
    "no_data": NoDataBand,
    "background": BackgroundBand,
}

Band = Annotated[
    TitleBand
    | PageHeaderBand
    | ColumnHeaderBand
    | GroupHeaderBand
    | DetailBand
    | GroupFooterBand
    | ColumnFooterBand
    | PageFooterBand
    | SummaryBand
    | NoDataBand
    | BackgroundBand,
    Field(discriminator="type"),
]
