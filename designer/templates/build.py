"""A ReportSpec (source, columns, grouping, totals, theme, brand, logo) in, a laid-out valid Report out."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from engine.errors import Diagnostic
from engine.fill import check_expressions
from engine.model import CURRENT_VERSION, DataSource, Page, Report, validate_report

from .look import Look, report_look

#: space between columns, in points
GAP = 6.0
#: how much of the width each field type asks for, and its least width in points
_WEIGHTS = {
    "string": 3.0,
    "date": 1.5,
    "datetime": 1.8,
    "integer": 1.0,
    "decimal": 1.4,
    "float": 1.4,
    "boolean": 0.8,
    "bytes": 1.0,
}
_MIN_WIDTHS = {
    "string": 80.0,
    "date": 58.0,
    "datetime": 70.0,
    "integer": 40.0,
    "decimal": 60.0,
    "float": 60.0,
    "boolean": 30.0,
    "bytes": 40.0,
}
NUMBER_TYPES = frozenset({"integer", "decimal", "float"})
_RESERVED = frozenset({"params", "vars", "row_number", "group_row_number", "True", "False", "None"})
_IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NUMBER_FORMAT = {"kind": "number", "pattern": "#,##0.00"}


@dataclass(frozen=True)
class Column:
    """A field shown as a column: its name and field type."""

    name: str
    type: str


@dataclass(frozen=True)
class ReportSpec:
    """Everything the wizard asked: what to read, what to show, how to group, total and look."""

    name: str
    title: str
    source: DataSource
    columns: tuple[Column, ...]
    group_by: Column | None = None
    #: numeric columns summed per group and for the whole report
    totals: tuple[str, ...] = ()
    sort: tuple[str, ...] = ()
    #: what one row is, for counts ("invoice" → "12 invoices")
    noun: str = "row"
    subtitle: str = ""
    theme: str = "default"
    brand: str | None = None
    #: an image file printed beside the title
    logo: str | None = None


def field_ref(name: str) -> str:
    """An expression reading a field: its bare name, or `field('…')` when that is not a plain name."""
    if _IDENTIFIER_RE.match(name) and not keyword.iskeyword(name) and name not in _RESERVED:
        return name
    return "field('" + name.replace("\\", "\\\\").replace("'", "\\'") + "')"


def identifier(text: str, fallback: str = "report") -> str:
    """A name the model accepts, made from any text (`Billing Country` → `billing_country`)."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text))
    name = name.strip("_").lower() or fallback
    return f"_{name}" if name[0].isdigit() else name


def caption(name: str) -> str:
    """A column heading from a field name: `InvoiceDate` → `Invoice Date`, `unit_price` → `Unit price`."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").strip()
    return spaced[:1].upper() + spaced[1:] if spaced else name


def count_text(count: str, noun: str) -> str:
    """An expression printing `1 invoice` or `12 invoices`."""
    return f"str({count}) + (' {noun}' if {count} == 1 else ' {noun}s')"


def _page(columns: Iterable[Column]) -> Page:
    least = sum(_MIN_WIDTHS.get(c.type, 60.0) + GAP for c in columns) - GAP
    portrait = Page()
    return portrait if least <= portrait.content_width else Page(orientation="landscape")


def column_spans(columns: tuple[Column, ...], width: float) -> list[tuple[float, float]]:
    """(x, width) of each column across `width`, shared by type weight, never below a type's least width."""
    free = width - GAP * (len(columns) - 1)
    weights = [_WEIGHTS.get(c.type, 1.0) for c in columns]
    widths = [
        max(_MIN_WIDTHS.get(c.type, 40.0), free * w / sum(weights))
        for c, w in zip(columns, weights, strict=True)
    ]
    scale = free / sum(widths)
    spans, x = [], 0.0
    for w in widths:
        spans.append((round(x, 1), round(w * scale, 1)))
        x += w * scale + GAP
    return spans


def _format(field_type: str) -> dict[str, Any] | None:
    if field_type in ("date", "datetime"):
        return {"kind": "date"}
    if field_type in ("decimal", "float"):
        return dict(_NUMBER_FORMAT)
    return None


def _text(
    kind: str, x: float, y: float, w: float, h: float, style: str, **keys: Any
) -> dict[str, Any]:
    return {"type": kind, "x": x, "y": y, "width": w, "height": h, "style": style, **keys}


def _line(x: float, y: float, x2: float, width: float, colour: str) -> dict[str, Any]:
    return {
        "type": "line",
        "x": x,
        "y": y,
        "x2": x2,
        "y2": y,
        "stroke": {"width": width, "color": colour},
    }


def _box(y: float, w: float, h: float, fill: str) -> dict[str, Any]:
    return {
        "type": "box",
        "x": 0.0,
        "y": y,
        "width": w,
        "height": h,
        "fill": fill,
        "stroke": None,
        "radius": 2,
    }


class _Layout:
    """Builds the bands of one spec; holds the page width, the column spans and the look."""

    def __init__(self, spec: ReportSpec, page: Page, look: Look) -> None:
        self.spec = spec
        self.look = look
        self.width = round(page.content_width, 1)
        self.spans = column_spans(spec.columns, self.width)
        self.total_columns = [
            (c, span)
            for c, span in zip(spec.columns, self.spans, strict=True)
            if c.name in spec.totals
        ]

    def title(self) -> dict[str, Any]:
        spec, look = self.spec, self.look
        elements: list[dict[str, Any]] = []
        left = 0.0
        if spec.logo:
            elements.append(
                {
                    "type": "image",
                    "name": "logo",
                    "x": 0.0,
                    "y": 0.0,
                    "width": 72.0,
                    "height": 42.0,
                    "source": {"file": spec.logo},
                    "fit": "contain",
                }
            )
            left = 82.0
        elements.append(
            _text(
                "label", left, 0.0, self.width - left, 26.0, "title", text=spec.title, name="title"
            )
        )
        if spec.subtitle:
            elements.append(
                _text("label", left, 28.0, self.width - left, 14.0, "subtitle", text=spec.subtitle)
            )
        elements.append(_line(0.0, 50.0, self.width, look.line_width * 2, look.accent))
        return {"type": "title", "height": 58.0, "elements": elements}

    def column_header(self) -> dict[str, Any]:
        look = self.look
        elements: list[dict[str, Any]] = []
        if look.header_fill:
            elements.append(_box(2.0, self.width, 18.0, look.header_fill))
        for column, (x, w) in zip(self.spec.columns, self.spans, strict=True):
            align = "right" if column.type in NUMBER_TYPES else "left"
            elements.append(
                _text(
                    "label",
                    x,
                    2.0,
                    w,
                    18.0,
                    "column_header",
                    text=caption(column.name),
                    align=align,
                )
            )
        elements.append(_line(0.0, 21.0, self.width, look.line_width, look.line_color))
        return {"type": "column_header", "height": 24.0, "elements": elements}

    def detail(self) -> dict[str, Any]:
        elements = []
        for column, (x, w) in zip(self.spec.columns, self.spans, strict=True):
            keys: dict[str, Any] = {"field": column.name}
            if column.type in NUMBER_TYPES:
                keys["align"] = "right"
            if _format(column.type) is not None:
                keys["format"] = _format(column.type)
            elements.append(_text("field", x, 0.0, w, 15.0, "detail", **keys))
        return {"type": "detail", "height": 15.0, "elements": elements}

    def _totals(self, y: float, suffix: str) -> list[dict[str, Any]]:
        return [
            _text(
                "expression",
                x,
                y,
                w,
                16.0,
                "total",
                expression=f"vars.{identifier(c.name)}_{suffix}",
                align="right",
                **({"format": _format(c.type)} if _format(c.type) else {}),
            )
            for c, (x, w) in self.total_columns
        ]

    def _label_width(self) -> float:
        return self.total_columns[0][1][0] - GAP if self.total_columns else self.width

    def _total_band(self, kind: str, label: str, suffix: str, **band: Any) -> dict[str, Any]:
        """A footer or summary: a rule over the totals, the label, the totals under their columns."""
        look = self.look
        label_width = self._label_width()
        below = label_width < 120  # a total in the first columns: the label gets its own line
        label_y, totals_y = (5.0, 22.0) if below else (5.0, 5.0)
        start = self.total_columns[0][1][0] if self.total_columns and not below else 0.0
        weight = look.line_width * (2 if kind == "summary" else 1)
        elements = [_line(start, 2.0, self.width, weight, look.line_color)]
        elements.append(
            _text(
                "expression",
                0.0,
                label_y,
                self.width if below else label_width,
                16.0,
                "total",
                expression=label,
            )
        )
        elements.extend(self._totals(totals_y, suffix))
        height = totals_y + 22.0
        return {"type": kind, "height": height, "elements": elements, **band}

    def group_bands(self, group: str) -> list[dict[str, Any]]:
        spec, look = self.spec, self.look
        assert spec.group_by is not None
        value = field_ref(spec.group_by.name)
        count = f"vars.{group}_count"
        header: list[dict[str, Any]] = []
        if look.group_fill:
            header.append(_box(4.0, self.width, 20.0, look.group_fill))
        header.append(
            _text(
                "expression",
                4.0,
                4.0,
                self.width * 0.6,
                20.0,
                "group_heading",
                expression=f"str({value})",
                null_text="(none)",
            )
        )
        header.append(
            _text(
                "expression",
                self.width * 0.6,
                4.0,
                self.width * 0.4 - 4.0,
                20.0,
                "note",
                expression=count_text(count, spec.noun),
                align="right",
            )
        )
        word = "'Subtotal ' + " if spec.totals else ""
        label = f"{word}str({value}) + ' · ' + {count_text(count, spec.noun)}"
        footer = self._total_band("group_footer", label, "subtotal", group=group)
        return [
            {"type": "group_header", "group": group, "height": 28.0, "elements": header},
            footer,
        ]

    def summary(self) -> dict[str, Any]:
        label = "'Grand total · ' + " + count_text("vars.row_count", self.spec.noun)
        return self._total_band("summary", label, "total")

    def page_footer(self) -> dict[str, Any]:
        half = round(self.width / 2, 1)
        return {
            "type": "page_footer",
            "height": 20.0,
            "elements": [
                _line(0.0, 3.0, self.width, 0.25, self.look.line_color),
                _text("label", 0.0, 6.0, half, 12.0, "footer", text=self.spec.title),
                _text("page_number", half, 6.0, half, 12.0, "footer", align="right"),
            ],
        }


def _variables(spec: ReportSpec, group: str | None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [{"name": "row_count", "expression": "1", "calculation": "count"}]
    if group is not None:
        found.append(
            {
                "name": f"{group}_count",
                "expression": "1",
                "calculation": "count",
                "reset": "group",
                "reset_group": group,
            }
        )
    for name in spec.totals:
        ref, var = field_ref(name), identifier(name)
        found.append({"name": f"{var}_total", "expression": ref, "calculation": "sum"})
        if group is not None:
            found.append(
                {
                    "name": f"{var}_subtotal",
                    "expression": ref,
                    "calculation": "sum",
                    "reset": "group",
                    "reset_group": group,
                }
            )
    return found


def build_report(spec: ReportSpec) -> Report:
    """The report a spec describes: title, column headers, detail, group header/footer with subtotals, summary.

    Raises:
        ValueError: no columns, or a total or group field that is not a column / field of the spec.
    """
    if not spec.columns:
        raise ValueError("choose at least one field to show")
    names = {c.name for c in spec.columns}
    missing = [t for t in spec.totals if t not in names]
    if missing:
        raise ValueError(f"a total needs its field among the columns: {', '.join(missing)}")
    look = report_look(spec.theme, spec.brand)
    page = _page(spec.columns)
    layout = _Layout(spec, page, look)
    group = identifier(spec.group_by.name, "group") if spec.group_by is not None else None
    header, footer = layout.group_bands(group) if group is not None else (None, None)
    bands = [layout.title(), layout.column_header(), header, layout.detail(), footer]
    bands = [b for b in bands if b is not None] + [layout.summary(), layout.page_footer()]
    data: dict[str, Any] = {
        "format": "ashr",
        "version": CURRENT_VERSION,
        "name": identifier(spec.name),
        "title": spec.title,
        "page": page.model_dump(mode="json", exclude_defaults=True),
        "data_source": spec.source.model_dump(mode="json", exclude_defaults=True),
        "sort": [{"expression": field_ref(name)} for name in spec.sort],
        "groups": [
            {"name": group, "expression": field_ref(spec.group_by.name), "reprint_header": True}
        ]
        if group is not None and spec.group_by is not None
        else [],
        "variables": _variables(spec, group),
        "styles": list(look.styles),
        "theme": spec.theme,
        "bands": bands,
    }
    return Report.model_validate(data)


def report_problems(report: Report, field_names: Iterable[str] | None) -> list[Diagnostic]:
    """The errors `ashr validate` would report, expressions checked against the source's fields."""
    names = set(field_names) if field_names is not None else None
    found = validate_report(report) + check_expressions(report, names)
    return [d for d in found if d.is_error]
