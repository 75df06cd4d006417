"""Element objects of the report model, one class per `type`, joined in the `Element` union."""

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from .base import (
    AshrModel,
    Expression,
    Flag,
    Identifier,
    Int,
    Length,
    NonNegativeLength,
    PositiveLength,
    Text,
    _After,
)
from .styles import Color, ConditionalStyle, Format, Stroke, StyleKeys, default_stroke

Calculation = Literal[
    "sum", "count", "distinct_count", "average", "min", "max",
    "first", "last", "stddev", "variance", "median",
]  # fmt: skip
Scope = Annotated[Text, Field(pattern=r"^(report|page|group:[A-Za-z_][A-Za-z0-9_]*)$")]

#: the largest length in a report, in points: 200 inches, the largest page a PDF may have
#: (Typst itself takes larger, but aborts the process drawing one as PNG)
MAX_LENGTH = 14400.0


def _within_largest_page(value: float) -> float:
    if not -MAX_LENGTH <= value <= MAX_LENGTH:
        raise ValueError(
            f"{value:g} pt is more than the largest page a PDF may have: "
            f"at most {MAX_LENGTH:g} pt (200 in)"
        )
    return value


def _standard_bounds(schema: dict[str, Any]) -> None:
    # the bounds follow validators, so pydantic writes them raw (ge/le): say them as JSON Schema does
    for raw, standard in (("ge", "minimum"), ("le", "maximum")):
        if raw in schema:
            schema[standard] = schema.pop(raw)


_BOUNDED = _After(_within_largest_page)  # runs first: its message names the limit and why
#: a position, or an end of a line: at most one largest page away from its band's corner
#: (the ge/le bounds also tell the designer's inspector the range of its spin boxes)
Coordinate = Annotated[
    Length, _BOUNDED, Field(ge=-MAX_LENGTH, le=MAX_LENGTH, json_schema_extra=_standard_bounds)
]
#: a width or height: above 0, at most the largest page
Extent = Annotated[
    PositiveLength, _BOUNDED, Field(le=MAX_LENGTH, json_schema_extra=_standard_bounds)
]
#: a margin, gap, radius or band height: 0 or more, at most the largest page
Span = Annotated[
    NonNegativeLength, _BOUNDED, Field(le=MAX_LENGTH, json_schema_extra=_standard_bounds)
]


class _Head:
    type: str
    name: Identifier | None = None
    x: Coordinate
    y: Coordinate


class _Size:
    width: Extent
    height: Extent


class _StyleRef:
    style: Identifier | None = None


class _Tail:
    print_when: Expression | None = None
    conditional_styles: tuple[ConditionalStyle, ...] = ()


# -- text elements ---------------------------------------------------------------


class _LabelKeys:
    text: Text = ""


class _FieldKeys:
    field: Annotated[Text, Field(min_length=1)]
    format: Format | None = None
    null_text: Text = ""


class _ExpressionKeys:
    expression: Expression
    format: Format | None = None
    null_text: Text = ""


class _AggregateKeys:
    calculation: Calculation
    expression: Expression
    scope: Scope = "report"
    format: Format | None = None
    null_text: Text = ""


class _PageNumberKeys:
    text: Text = "Page {page} of {pages}"


class LabelElement(_Tail, StyleKeys, _StyleRef, _LabelKeys, _Size, _Head):
    """Static text, printed character for character."""

    type: Literal["label"]


class FieldElement(_Tail, StyleKeys, _StyleRef, _FieldKeys, _Size, _Head):
    """The value of one data field."""

    type: Literal["field"]


class ExpressionElement(_Tail, StyleKeys, _StyleRef, _ExpressionKeys, _Size, _Head):
    """The value of an expression."""

    type: Literal["expression"]


class AggregateElement(_Tail, StyleKeys, _StyleRef, _AggregateKeys, _Size, _Head):
    """An aggregate over a scope, like a variable declared in place."""

    type: Literal["aggregate"]


class PageNumberElement(_Tail, StyleKeys, _StyleRef, _PageNumberKeys, _Size, _Head):
    """Page number and page count, from a template with {page} and {pages}."""

    type: Literal["page_number"]


# -- graphics ----------------------------------------------------------------------


class _LineKeys:
    x2: Coordinate
    y2: Coordinate
    stroke: Stroke = Field(default_factory=default_stroke)


class _BoxKeys:
    fill: Color | None = None
    stroke: Stroke | None = Field(default_factory=default_stroke)
    radius: Span = 0


class ImageSource(AshrModel):
    """Where an image comes from: exactly one of a file, a data field or inline base64 data."""

    file: Text | None = None
    field: Text | None = None
    data: Text | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "ImageSource":
        given = [k for k in ("file", "field", "data") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'file', 'field' or 'data'")
        return self


class _ImageKeys:
    source: ImageSource
    fit: Literal["contain", "cover", "stretch"] = "contain"


class LineElement(_Tail, StyleKeys, _StyleRef, _LineKeys, _Head):
    """A straight line from (x, y) to (x2, y2)."""

    type: Literal["line"]


class BoxElement(_Tail, StyleKeys, _StyleRef, _BoxKeys, _Size, _Head):
    """A rectangle, optionally filled and rounded."""

    type: Literal["box"]


class ImageElement(_Tail, StyleKeys, _StyleRef, _ImageKeys, _Size, _Head):
    """A PNG, JPEG, GIF or SVG picture."""

    type: Literal["image"]


# -- composite elements -------------------------------------------------------------


class Chart(AshrModel):
    """What a chart element draws and from which data."""

    kind: Literal["bar", "line", "pie", "area", "scatter"]
    category: Expression
    value: Expression
    calculation: Literal["sum", "count", "average", "min", "max"] = "sum"
    series: Expression | None = None
    scope: Scope = "report"
    bucket: Literal["day", "week", "month", "quarter", "year"] | None = None
    stacked: Flag = False
    orientation: Literal["vertical", "horizontal"] = "vertical"
    title: Text = ""
    x_label: Text = ""
    y_label: Text = ""
    legend: Literal["right", "left", "top", "bottom", "none"] = "right"
    data_labels: Flag = False
    max_points: Annotated[Int, Field(ge=1, le=100_000)] = 500
    sort: Literal["value_desc", "value_asc", "category", "none"] = "value_desc"


class _ChartKeys:
    chart: Chart


class _BarcodeKeys:
    symbology: Literal["qr", "code128", "ean13"]
    value: Expression


class _SubreportKeys:
    report: Annotated[Text, Field(min_length=1)]
    parameters: dict[Identifier, Expression] = Field(default_factory=dict)


class ChartElement(_Tail, StyleKeys, _StyleRef, _ChartKeys, _Size, _Head):
    """A chart drawn from the report's data."""

    type: Literal["chart"]


class BarcodeElement(_Tail, StyleKeys, _StyleRef, _BarcodeKeys, _Size, _Head):
    """A QR, Code 128 or EAN-13 barcode of an expression's value."""

    type: Literal["barcode"]


class SubreportElement(_Tail, StyleKeys, _StyleRef, _SubreportKeys, _Size, _Head):
    """Another report printed inside this band, parameters taken from the current row."""

    type: Literal["subreport"]


Element = Annotated[
    LabelElement
    | FieldElement
    | ExpressionElement
    | AggregateElement
    | PageNumberElement
    | LineElement
    | BoxElement
    | ImageElement
    | ChartElement
    | BarcodeElement
    | SubreportElement,
    Field(discriminator="type"),
]

ELEMENT_TYPES: dict[str, type[Any]] = {
    cls.model_fields["type"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in (
        LabelElement, FieldElement, ExpressionElement, AggregateElement, PageNumberElement,
        LineElement, BoxElement, ImageElement, ChartElement, BarcodeElement, SubreportElement,
    )
}  # fmt: skip
