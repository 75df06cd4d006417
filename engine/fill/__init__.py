"""The fill stage: a Report and its sorted rows in, the stream of printed band instances out.

``fill_report`` yields, in print order: the page furniture templates (page_header,
column_header, column_footer, page_footer, background — once each; the layout repeats
them per page; their elements see no row), the title (evaluated with the first row),
then group headers, detail bands and group footers as the rows go, and the summary.
With rows but none left after ``filter``, a report with a ``no_data`` band prints that
band alone; without one it prints page furniture, title and summary. With ``rows=None``
(no data source) page furniture, title and summary print once and detail never.

Totals printed before their scope ends are ``DeferredText`` objects resolved when the
scope instance closes; values of ``reset: "page"`` variables and ``scope: "page"``
aggregates are ``PageRef`` objects the layout renders with ``engine.calc.Totals``;
page_number elements print a ``PageNumberText`` template.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from engine.model import Report

from .charts import ChartFeed, ChartFeeds, ChartRef
from .checks import check_expressions, used_fields
from .compiled import CompiledReport, compile_report
from .elements import plain_field
from .filler import ReportFiller
from .instances import (
    PAGE_BAND_TYPES,
    BandInstance,
    DeferredText,
    ElementValue,
    PageNumberText,
    PageRef,
    ResolvedStyle,
    element_text,
)
from .sorting import sort_rows
from .themes import THEMES, Theme, get_theme


def fill_report(
    report: Report | CompiledReport,
    rows: Iterable[Mapping[str, Any]] | None,
    *,
    params: Mapping[str, Any] | None = None,
    charts: ChartFeeds | None = None,
) -> Iterator[BandInstance]:
    """The printed band instances of ``report`` over ``rows``, in print order.

    :param report: a Report (compiled here) or a CompiledReport (to compile once and fill often).
    :param rows: row mappings already ordered by group expressions then ``sort`` (see
        ``sort_rows``); None when the report has no data source.
    :param params: parameter values by name, already converted to their types.
    :param charts: a ChartFeed per chart element path (``engine.charts.plan_charts``);
        without one a chart prints None (drawn empty).
    :raises ReportValidationError: an expression or format of the report is wrong.
    :raises EvaluationError: an expression failed on a row; the message names its path.
    """
    compiled = report if isinstance(report, CompiledReport) else compile_report(report)
    return ReportFiller(compiled, params or {}, charts).run(rows)


__all__ = [
    "PAGE_BAND_TYPES",
    "THEMES",
    "BandInstance",
    "ChartFeed",
    "ChartFeeds",
    "ChartRef",
    "CompiledReport",
    "DeferredText",
    "ElementValue",
    "PageNumberText",
    "PageRef",
    "ResolvedStyle",
    "Theme",
    "check_expressions",
    "compile_report",
    "element_text",
    "fill_report",
    "get_theme",
    "plain_field",
    "sort_rows",
    "used_fields",
]  # fmt: skip
