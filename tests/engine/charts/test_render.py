"""Charts in rendered reports: text a reader sees in the PDF, empty data, forward references, lazy charts, telemetry."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pymupdf
import pytest

from engine.render import render_report
from engine.render.chunks import CHUNK_PAGES
from engine.render.telemetry import add_listener, remove_listener
from tests.engine.render.helpers import chinook_sql

from .helpers import QUERY, chart, chart_data, notes, report, sql_totals, typst_of

BY_COUNTRY = "SELECT BillingCountry, SUM(Total) FROM Invoice GROUP BY BillingCountry"


def pdf_text(rep, **options) -> str:  # type: ignore[no-untyped-def]
    result = render_report(rep, fmt="pdf", **options)
    with pymupdf.open(stream=result.pages[0], filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


def test_title_axis_labels_and_legend_read_in_the_pdf() -> None:
    rep = report(
        chart(title="Revenue by year", series="BillingCountry", category="InvoiceDate",
              bucket="year", x_label="Year", y_label="Revenue (USD)", legend="bottom", max_points=10),
        query=QUERY + " WHERE BillingCountry IN ('USA', 'Canada', 'France')",
    )  # fmt: skip
    text = pdf_text(rep)
    for expected in ("Revenue by year", "Year", "Revenue (USD)", "USA", "Canada", "France", "2021"):
        assert expected in text


def test_pie_percentages_and_data_labels_in_the_locale() -> None:
    rep = report(chart(kind="pie", max_points=3, data_labels=True), locale="de_DE")
    totals = sorted(sql_totals(BY_COUNTRY).values(), reverse=True)
    total = sum(totals)
    text = pdf_text(rep)
    usa = f"{totals[0] / total * 100:.1f}%".replace(".", ",")
    assert usa in text  # German decimal comma
    assert f"{totals[0]}".replace(".", ",") in text  # the value label, 523,06


def test_empty_data_draws_an_empty_chart_with_its_title() -> None:
    rep = report(chart(title="Nothing here"), query=QUERY + " WHERE 1 = 0")
    text = pdf_text(rep)
    assert "Nothing here" in text and "No data" in text
    assert notes(typst_of(rep)) == []


@pytest.mark.parametrize("pushdown", [True, False], ids=["database", "rows"])
def test_report_chart_in_the_title_shows_every_row(pushdown: bool) -> None:
    rep = report(chart(title="All sales"), band="title")
    assert {c: v for _, c, v in notes(typst_of(rep, pushdown=pushdown))} == sql_totals(BY_COUNTRY)


def test_chart_in_a_band_that_never_prints_is_never_computed() -> None:
    bands = [
        {"type": "summary", "height": 210, "print_when": "params.show", "elements": [
            {"type": "chart", "x": 0, "y": 0, "width": 300, "height": 200, "chart": chart()}]},
        {"type": "group_footer", "group": "country", "height": 210, "print_when": "vars.n < 0",
         "elements": [{"type": "chart", "x": 0, "y": 0, "width": 300, "height": 200,
                       "chart": chart(category="InvoiceDate", scope="group:country")}]},
    ]  # fmt: skip
    rep = report(
        bands=bands,
        parameters=[{"name": "show", "type": "boolean", "default": False}],
        groups=[{"name": "country", "expression": "BillingCountry"}],
        variables=[{"name": "n", "expression": "Total", "calculation": "count", "reset": "group",
                    "reset_group": "country"}],
    )  # fmt: skip
    result = render_report(rep, fmt="typ")
    stats = {s.path: s for s in result.charts}
    assert "bands[0].elements[0]" not in stats  # no feed at all: its band cannot print
    footer = stats["bands[1].elements[0]"]
    assert footer.drawn == 0 and footer.points == 0 and footer.seconds == 0
    assert "// point:" not in result.pages[0].decode()
    shown = render_report(rep, {"show": "true"}, fmt="typ")
    assert {s.path: s.drawn for s in shown.charts}["bands[0].elements[0]"] == 1


def test_telemetry_event_and_profile_name_every_chart() -> None:
    seen = []
    add_listener(seen.append)
    try:
        render_report(report(chart(), chart(kind="pie")), fmt="pdf")
    finally:
        remove_listener(seen.append)
    (stats,) = seen
    assert [(c.path, c.kind, c.drawn) for c in stats.charts] == [
        ("bands[0].elements[0]", "bar", 1), ("bands[0].elements[1]", "pie", 1),
    ]  # fmt: skip
    assert all(c.points == 24 or c.kind == "pie" for c in stats.charts)


def test_profile_output_lists_charts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from engine.model import save_report
    from tests.engine.render.helpers import run_main

    path = tmp_path / "charts.ashr"
    save_report(report(chart()), path)
    status, _, err = run_main("render", path, "-o", tmp_path / "out.typ", "--profile")
    assert status == 0, err
    assert "chart bands[0].elements[0] (bar, database)" in err and "24 points" in err


def test_a_chart_in_a_detail_band_is_drawn_once() -> None:
    bands = [{"type": "detail", "height": 60, "elements": [
        {"type": "chart", "x": 0, "y": 0, "width": 200, "height": 50, "chart": chart()}]}]  # fmt: skip
    rep = report(bands=bands, query=QUERY + " LIMIT 5")
    source = typst_of(rep)
    assert source.count('C.at("1", default: none)') == 5
    assert len(notes(source)) == len(
        sql_totals(
            "SELECT BillingCountry, SUM(Total) FROM (SELECT * FROM Invoice LIMIT 5) GROUP BY 1"
        )
    )
    assert chart_data(rep)["bands[0].elements[0]"][0].point_count == len(notes(source))


def test_a_bucket_over_text_is_an_error_naming_the_chart() -> None:
    from engine.errors import EvaluationError

    rep = report(chart(bucket="month"))  # BillingCountry is text
    with pytest.raises(EvaluationError) as caught:
        render_report(rep, fmt="typ", pushdown=False)
    assert "bands[0].elements[0].chart" in caught.value.message
    assert "month bucket needs a date category" in caught.value.message


def test_chart_expressions_over_fields_and_parameters() -> None:
    rep = report(
        chart(category="upper(BillingCountry)", value="Total * params.rate",
              sort="category", max_points=100),
        parameters=[{"name": "rate", "type": "decimal", "default": "2"}],
    )  # fmt: skip
    (data,) = chart_data(rep)["bands[0].elements[0]"]
    expected = {
        key: Decimal(str(round(total, 2)))
        for key, total in chinook_sql(
            "SELECT upper(BillingCountry), 2 * SUM(Total) FROM Invoice GROUP BY 1"
        )
    }
    assert dict(zip(data.categories, data.values[0], strict=True)) == expected


def test_title_chart_of_a_report_compiled_in_early_chunks() -> None:
    bands = [
        {"type": "title", "height": 210, "elements": [
            {"type": "chart", "x": 0, "y": 0, "width": 500, "height": 200,
             "chart": chart(title="Early chart", max_points=100)}]},
        {"type": "detail", "height": 14, "elements": [
            {"type": "field", "x": 0, "y": 0, "width": 200, "height": 12, "field": "BillingCountry"}]},
    ]  # fmt: skip
    query = "SELECT i.* FROM Invoice i JOIN InvoiceLine l USING (InvoiceId)"
    rep = report(bands=bands, query=query)
    result = render_report(rep, fmt="pdf", workers=2)
    assert result.page_count > 2 * CHUNK_PAGES  # compiled in more than one chunk
    assert result.chunks == -(-result.page_count // CHUNK_PAGES)
    with pymupdf.open(stream=result.pages[0], filetype="pdf") as doc:
        assert "Early chart" in doc[0].get_text()
    expected = sql_totals(f"SELECT BillingCountry, SUM(Total) FROM ({query}) GROUP BY 1")
    assert {c: v for _, c, v in notes(typst_of(rep))} == expected


@pytest.mark.parametrize("kind", ["bar", "scatter"])
def test_value_axis_labels_across_the_chart_never_overlap(kind: str) -> None:
    """Big numbers on a narrow chart: fewer ticks rather than labels running into each other."""
    spec = chart(kind=kind, max_points=12)
    if kind == "bar":
        spec["orientation"] = "horizontal"
    else:  # the category (x) axis is numeric: the customer number times a million
        spec.update(category="CustomerId", value="Total")
    element = {"type": "chart", "x": 0, "y": 0, "width": 258, "height": 145, "chart": spec}
    query = (
        "SELECT InvoiceId, substr(BillingCountry, 1, 2) AS BillingCountry, "
        "CustomerId * 1000000 AS CustomerId, "
        "Total * 1000000 AS Total FROM Invoice"
    )
    rep = report(bands=[{"type": "summary", "height": 150, "elements": [element]}], query=query)
    with pymupdf.open(stream=render_report(rep).pages[0], filetype="pdf") as doc:
        words = doc[0].get_text("words")
    numbers = [w for w in words if w[4].replace(",", "").isdigit() and "," in w[4]]
    bottom = max(w[3] for w in numbers)
    axis = sorted((w for w in numbers if abs(w[3] - bottom) < 1), key=lambda w: w[0])
    assert len(axis) >= 2, [w[4] for w in numbers]
    for left, right in itertools.pairwise(axis):
        assert right[0] >= left[2] + 2, f"{left[4]!r} runs into {right[4]!r}"
