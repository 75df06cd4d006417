"""The report definition: pydantic models of the `.ashr` format, load/save, migrations and validation."""

from __future__ import annotations

from .bands import BAND_ORDER, BAND_TYPES, GROUP_BANDS, SINGLE_BANDS, Band
from .base import AshrModel
from .data import (
    CsvOptions,
    CsvSource,
    DataSource,
    FieldDef,
    JsonSource,
    Parameter,
    ParquetSource,
    SqlSource,
)
from .elements import (
    ELEMENT_TYPES,
    AggregateElement,
    BarcodeElement,
    BoxElement,
    Chart,
    ChartElement,
    Element,
    ExpressionElement,
    FieldElement,
    ImageElement,
    ImageSource,
    LabelElement,
    LineElement,
    PageNumberElement,
    SubreportElement,
)
from .files import (
    LoadResult,
    dump_report,
    load_report,
    read_report,
    report_from_data,
    report_to_data,
    save_report,
)
from .migrations import CURRENT_VERSION, MIGRATIONS, migration
from .params import parse_param_args, resolve_parameters
from .report import PAGE_SIZES, Group, Margins, Page, Report, SortKey, Variable
from .schema import report_schema
from .styles import STYLE_KEYS, ConditionalStyle, Format, Stroke, Style, StyleKeys
from .validate import checker, element_label, validate_report
from .values import convert_value, to_json_value

__all__ = [
    "BAND_ORDER",
    "BAND_TYPES",
    "CURRENT_VERSION",
    "ELEMENT_TYPES",
    "GROUP_BANDS",
    "MIGRATIONS",
    "PAGE_SIZES",
    "SINGLE_BANDS",
    "STYLE_KEYS",
    "AggregateElement",
    "AshrModel",
    "Band",
    "BarcodeElement",
    "BoxElement",
    "Chart",
    "ChartElement",
    "ConditionalStyle",
    "CsvOptions",
    "CsvSource",
    "DataSource",
    "Element",
    "ExpressionElement",
    "FieldDef",
    "FieldElement",
    "Format",
    "Group",
    "ImageElement",
    "ImageSource",
    "JsonSource",
    "LabelElement",
    "LineElement",
    "LoadResult",
    "Margins",
    "Page",
    "PageNumberElement",
    "Parameter",
    "ParquetSource",
    "Report",
    "SortKey",
    "SqlSource",
    "Stroke",
    "Style",
    "StyleKeys",
    "SubreportElement",
    "Variable",
    "checker",
    "convert_value",
    "dump_report",
    "element_label",
    "load_report",
    "migration",
    "parse_param_args",
    "read_report",
    "report_from_data",
    "report_schema",
    "report_to_data",
    "resolve_parameters",
    "save_report",
    "to_json_value",
    "validate_report",
]  # fmt: skip
