"""Helpers for chart tests: Chinook reports with charts, their chart data through the real fill, notes read back from Typst."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from engine.charts import ChartData, plan_charts
from engine.data.grouping import SourceLink
from engine.fill import ChartRef, fill_report
from engine.model import report_from_data
from engine.prepare import prepare_report, read_rows
from engine.render import render_report
from tests.engine.render.helpers import CHINOOK, chinook_sql

QUERY = "SELECT InvoiceId, InvoiceDate, BillingCountry, BillingCity, CustomerId, Total FROM Invoice"
NOTE_RE = re.compile(r"^// point: (?:(.*) \| )?(.*) = (\S+)$", re.M)
PIE_RE = re.compile(r"^// point: (.*) = (\S+) \((\S+)\)$", re.M)


def chart(**keys: Any) -> dict[str, Any]:
    """A chart definition: bar of Total by BillingCountry unless keys say otherwise."""
    return {"kind": "bar", "category": "BillingCountry", "value": "Total", **keys}


def report(*charts: dict[str, Any], band: str = "summary", query: str = QUERY, **top: Any) -> Any:
    """A Chinook report printing the charts side by side in one band (more bands via ``bands``)."""
    elements = [
        {"type": "chart", "x": 0, "y": i * 210, "width": 500, "height": 200, "chart": c}
        for i, c in enumerate(charts)
    ]
    bands = top.pop("bands", None) or [
        {"type": band, "height": max(210, 210 * len(charts)), "elements": elements}
    ]
    data = {
        "format": "ashr", "version": 1, "name": "charts", "title": "Charts",
        "data_source": {"kind": "sql", "url": f"sqlite:///{CHINOOK}", "query": query},
        "bands": bands, **top,
    }  # fmt: skip
    return report_from_data(data).report


def chart_data(
    rep: Any, *, pushdown: bool = True, params: dict[str, Any] | None = None
) -> dict[str, list[ChartData]]:
    """Every printed chart's final data, by element path, through the real read, plan and fill."""
    prepared = prepare_report(rep, params)
    values, compiled = prepared.params, prepared.compiled
    rows = read_rows(prepared, pushdown=False)
    link = SourceLink(rep.data_source, values, None, None)
    plan = plan_charts(compiled, values, link=link, pushdown=pushdown)
    found: dict[str, list[ChartData]] = {}
    try:
        refs: list[tuple[str, ChartRef]] = []
        for instance in fill_report(compiled, rows.rows, params=values, charts=plan.feeds):
            band = rep.bands[instance.band_index]
            for value in instance.elements:
                if isinstance(value.text, ChartRef):
                    path = f"bands[{instance.band_index}].elements[{value.element_index}]"
                    assert band.elements[value.element_index].type == "chart"
                    refs.append((path, value.text))
        for path, ref in refs:
            assert ref.resolved
            found.setdefault(path, []).append(ref.data)
    finally:
        plan.close()
    return found


def typst_of(rep: Any, **options: Any) -> str:
    """The generated Typst source of a report."""
    result = render_report(rep, fmt="typ", **options)
    return result.pages[0].decode("utf-8")


def notes(source: str) -> list[tuple[str, str, Decimal]]:
    """(series, category, value) of every bar/point note in generated Typst."""
    return [(s, c, Decimal(v)) for s, c, v in NOTE_RE.findall(source)]


def sql_totals(query: str, *args: Any) -> dict[Any, Decimal]:
    """key → exact Decimal total of a two-column (key, sum) SQL result (money has 2 decimals)."""
    return {key: Decimal(str(round(total, 2))) for key, total in chinook_sql(query, *args)}
