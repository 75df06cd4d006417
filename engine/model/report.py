"""The report definition: page setup, sorting, groups, variables and the top-level Report object."""

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from . import migrations
from .bands import Band
from .base import (
    AshrModel,
    Expression,
    Flag,
    Identifier,
    Int,
    Text,
)
from .data import DataSource, Parameter
from .elements import Calculation, Extent, Span
from .styles import Style

#: (width, height) in points of the named page sizes, portrait
PAGE_SIZES: dict[str, tuple[float, float]] = {
    "a3": (841.89, 1190.55),
    "a4": (595.28, 841.89),
    "a5": (419.53, 595.28),
    "letter": (612.0, 792.0),
    "legal": (612.0, 1008.0),
}


class Margins(AshrModel):
    """Page margins in points."""

    top: Span = 36
    right: Span = 36
    bottom: Span = 36
    left: Span = 36


def default_margins() -> Margins:
    """The default margins, made without validating them (a default needs no validator built)."""
    return Margins.model_construct()


class Page(AshrModel):
    """Paper size, orientation, margins and newspaper columns."""

    size: Literal["a3", "a4", "a5", "letter", "legal", "custom"] = "a4"
    orientation: Literal["portrait", "landscape"] = "portrait"
    width: Extent | None = None  # at most 14400 pt (200 in), PDF's own limit
    height: Extent | None = None
    margins: Margins = Field(default_factory=default_margins)
    columns: Annotated[Int, Field(ge=1, le=20)] = 1
    column_gap: Span = 0

    @model_validator(mode="after")
    def _custom_size(self) -> "Page":
        if self.size == "custom" and (self.width is None or self.height is None):
            raise ValueError("size 'custom' needs both 'width' and 'height' in points")
        if self.size != "custom" and (self.width is not None or self.height is not None):
            raise ValueError(
                f"'width' and 'height' are only used with size 'custom'; remove them or set size to 'custom' (size is '{self.size}')"
            )
        return self

    @property
    def dimensions(self) -> tuple[float, float]:
        """Paper (width, height) in points after orientation."""
        if self.size == "custom":
            assert self.width is not None and self.height is not None
            w, h = self.width, self.height
        else:
            w, h = PAGE_SIZES[self.size]
        return (h, w) if self.orientation == "landscape" else (w, h)

    @property
    def content_width(self) -> float:
        """Width between the left and right margins, in points."""
        return self.dimensions[0] - self.margins.left - self.margins.right

    @property
    def content_height(self) -> float:
        """Height between the top and bottom margins, in points."""
        return self.dimensions[1] - self.margins.top - self.margins.bottom


def default_page() -> Page:
    """The default page (A4 portrait), made without validating it."""
    return Page.model_construct()


class SortKey(AshrModel):
    """One key of the detail row order."""

    expression: Expression
    descending: Flag = False


class Group(AshrModel):
    """A level of grouping: rows with equal values of `expression` form one instance."""

    name: Identifier
    expression: Expression
    descending: Flag = False
    keep_together: Flag = False
    start_new_page: Flag = False
    reprint_header: Flag = False


class Variable(AshrModel):
    """A named calculation over a scope, readable as `vars.NAME`."""

    name: Identifier
    expression: Expression
    calculation: Calculation
    reset: Literal["report", "group", "page", "none"] = "report"
    reset_group: Identifier | None = None
    running: Flag = False


class Report(AshrModel):
    """A whole `.ashr` report definition."""

    format: Literal["ashr"]
    version: Int
    name: Identifier
    title: Text = ""
    description: Text = ""
    locale: Annotated[Text, Field(min_length=2)] = "en_US"
    page: Page = Field(default_factory=default_page)
    data_source: DataSource | None = None
    parameters: tuple[Parameter, ...] = ()
    sort: tuple[SortKey, ...] = ()
    filter: Expression | None = None
    groups: tuple[Group, ...] = ()
    variables: tuple[Variable, ...] = ()
    styles: tuple[Style, ...] = ()
    theme: Literal["default", "corporate", "minimal", "vibrant"] = "default"
    bands: tuple[Band, ...] = ()

    @field_validator("version")
    @classmethod
    def _current_version(cls, version: int) -> int:
        # A Report in memory is always of the current version: files pass through
        # migrations.migrate first, and code that builds a report from older literal data
        # (a version 1 data dict) gets a model that saves as the current version.
        current = migrations.CURRENT_VERSION
        if not 1 <= version <= current:
            raise ValueError(f"must be between 1 and {current}")
        return current

    def bands_of(self, band_type: str, group: str | None = None) -> list[Band]:
        """The bands of one type (and group), in file order."""
        return [
            b
            for b in self.bands
            if b.type == band_type and (group is None or getattr(b, "group", None) == group)
        ]

    def group(self, name: str) -> Group | None:
        """The group of that name, or None."""
        return next((g for g in self.groups if g.name == name), None)

    def style(self, name: str) -> Style | None:
        """The named style, or None."""
        return next((s for s in self.styles if s.name == name), None)
