"""Chart numbers against the same aggregates computed independently in SQL on Chinook."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from engine.charts import OTHER
from tests.engine.render.helpers import chinook_sql

from .helpers import PIE_RE, chart, chart_data, notes, report, sql_totals, typst_of

BY_COUNTRY = "SELECT BillingCountry, SUM(Total) FROM Invoice GROUP BY BillingCountry"


@pytest.mark.parametrize("pushdown", [True, False], ids=["database", "rows"])
def test_every_bar_is_the_sql_total_of_its_country(pushdown: bool) -> None:
    rep = report(chart(title="Sales"))
    source = typst_of(rep, pushdown=pushdown)
    bars = notes(source)
    expected = sql_totals(BY_COUNTRY)
    assert {c: v for _, c, v in bars} == expected
    # sorted by value, highest first (the default sort)
    values = [v for _, _, v in bars]
    assert values == sorted(values, reverse=True)
    # each bar's height is proportional to its value (one scale for the whole chart)
    heights = [
        float(h)
        for h in re.findall(
            r"// point: .*\nplace\(dx: \S+, dy: \S+, rect\(width: \S+, height: ([\d.]+)pt", source
        )
    ]
    scales = [h / float(v) for h, v in zip(heights, values, strict=True)]
    assert max(scales) - min(scales) < 0.01 * max(scales)


def test_streamed_and_database_data_are_identical() -> None:
    charts = [
        chart(calculation="average", sort="category"),
        chart(calculation="count", value="InvoiceId", series="BillingCity", max_points=3),
        chart(kind="line", category="InvoiceDate", bucket="month", calculation="max"),
        chart(kind="area", category="InvoiceDate", bucket="year", series="BillingCountry",
              calculation="min", stacked=True),
    ]  # fmt: skip
    rep = report(*charts)
    assert chart_data(rep, pushdown=True) == chart_data(rep, pushdown=False)


def test_pie_shares_are_the_sql_shares() -> None:
    rep = report(chart(kind="pie", max_points=100))
    wedges = PIE_RE.findall(typst_of(rep))
    expected = sql_totals(BY_COUNTRY)
    total = sum(expected.values())
    assert {c: Decimal(v) for c, v, _ in wedges} == expected
    for country, _, share in wedges:
        assert abs(Decimal(share) - expected[country] / total) < Decimal("0.000001")


def test_monthly_line_with_gaps_filled() -> None:
    query = (
        "SELECT * FROM Invoice WHERE strftime('%Y-%m', InvoiceDate) NOT IN ('2022-03', '2022-04')"
    )
    rep = report(chart(kind="line", category="InvoiceDate", bucket="month"), query=query)
    (data,) = chart_data(rep)["bands[0].elements[0]"]
    months = chinook_sql(
        "SELECT strftime('%Y-%m', InvoiceDate), SUM(Total) FROM Invoice "
        "WHERE strftime('%Y-%m', InvoiceDate) NOT IN ('2022-03', '2022-04') GROUP BY 1 ORDER BY 1"
    )
    first, last = months[0][0], months[-1][0]
    y0, m0 = map(int, first.split("-"))
    y1, m1 = map(int, last.split("-"))
    assert len(data.categories) == (y1 - y0) * 12 + m1 - m0 + 1  # every month, none skipped
    assert (
        data.categories[0]
        == f"{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m0 - 1]} {y0}"
    )
    by_month = {k.strftime("%Y-%m"): v for k, v in zip(data.keys, data.values[0], strict=True)}
    assert by_month["2022-03"] is None and by_month["2022-04"] is None  # the gaps, drawn empty
    assert {m: v for m, v in by_month.items() if v is not None} == {
        m: Decimal(str(round(t, 2))) for m, t in months
    }
    points = notes(typst_of(rep))  # each drawn point carries its value
    assert len(points) == len(months)


def test_rest_folds_into_other() -> None:
    rep = report(chart(max_points=5))
    (data,) = chart_data(rep)["bands[0].elements[0]"]
    expected = sorted(sql_totals(BY_COUNTRY).items(), key=lambda kv: -kv[1])
    assert data.categories == (*(c for c, _ in expected[:4]), OTHER)
    assert data.values[0][:4] == tuple(v for _, v in expected[:4])
    assert data.values[0][4] == sum(v for _, v in expected[4:])
    assert data.folded == len(expected) - 4


def test_other_of_an_average_is_the_average_of_its_rows() -> None:
    rep = report(chart(calculation="average", max_points=3))
    (data,) = chart_data(rep, pushdown=False)["bands[0].elements[0]"]
    kept = data.categories[:2]
    placeholders = ",".join("?" * len(kept))
    (avg,) = chinook_sql(
        f"SELECT AVG(Total) FROM Invoice WHERE BillingCountry NOT IN ({placeholders})", *kept
    )[0:1][0]
    assert abs(float(data.values[0][2]) - avg) < 1e-9


def test_a_chart_per_group_instance() -> None:
    footer = {"type": "group_footer", "group": "country", "height": 210, "elements": [
        {"type": "chart", "x": 0, "y": 0, "width": 500, "height": 200,
         "chart": chart(kind="bar", category="InvoiceDate", bucket="year", scope="group:country",
                        title="Sales by year")}]}  # fmt: skip
    rep = report(groups=[{"name": "country", "expression": "BillingCountry"}], bands=[footer])
    expected: dict[str, dict[str, Decimal]] = {}
    for country, year, total in chinook_sql(
        "SELECT BillingCountry, strftime('%Y', InvoiceDate), SUM(Total) FROM Invoice GROUP BY 1, 2"
    ):
        expected.setdefault(country, {})[year] = Decimal(str(round(total, 2)))
    countries = sorted(expected)
    for pushdown in (True, False):
        found = chart_data(rep, pushdown=pushdown)["bands[0].elements[0]"]
        assert len(found) == len(countries)
        for country, data in zip(countries, found, strict=True):
            got = {
                k.strftime("%Y"): v
                for k, v in zip(data.keys, data.values[0], strict=True)
                if v is not None
            }
            assert got == expected[country], country


def test_series_split_values_per_series() -> None:
    rep = report(chart(series="BillingCountry", category="InvoiceDate", bucket="year",
                       kind="bar", stacked=True, max_points=50))  # fmt: skip
    (data,) = chart_data(rep)["bands[0].elements[0]"]
    rows = chinook_sql(
        "SELECT BillingCountry, strftime('%Y', InvoiceDate), SUM(Total) FROM Invoice GROUP BY 1, 2"
    )
    for country, year, total in rows:
        c = [k.strftime("%Y") for k in data.keys].index(year)
        assert data.values[data.series.index(country)][c] == Decimal(str(round(total, 2)))


def test_count_ignores_nulls() -> None:
    query = "SELECT BillingCountry, CASE WHEN Total > 5 THEN Total END AS Big FROM Invoice"
    rep = report(chart(value="Big", calculation="count", sort="category"), query=query)
    (data,) = chart_data(rep)["bands[0].elements[0]"]
    expected = dict(
        chinook_sql(
            "SELECT BillingCountry, COUNT(CASE WHEN Total > 5 THEN 1 END) FROM Invoice GROUP BY 1"
        )
    )
    assert dict(zip(data.categories, data.values[0], strict=True)) == expected


def test_charts_over_the_same_fields_share_one_query() -> None:
    from engine.charts import plan_charts
    from engine.data.grouping import SourceLink
    from engine.fill import compile_report

    rep = report(
        chart(),
        chart(calculation="count", value="InvoiceId", series="BillingCity", max_points=100),
        chart(kind="pie", calculation="average"),
    )
    plan = plan_charts(compile_report(rep), {}, link=SourceLink(rep.data_source, {}, None, None))
    assert plan.queries is not None and len(plan.queries.queries) == 1
    plan.close()
    found = chart_data(rep)
    (by_country,) = found["bands[0].elements[0]"]
    assert dict(zip(by_country.categories, by_country.values[0], strict=True)) == sql_totals(
        BY_COUNTRY
    )
    (by_city,) = found["bands[0].elements[1]"]
    for country, city, n in chinook_sql(
        "SELECT BillingCountry, BillingCity, COUNT(*) FROM Invoice GROUP BY 1, 2"
    ):
        assert by_city.value(country, city) == n
    (average,) = found["bands[0].elements[2]"]
    for country, avg in chinook_sql("SELECT BillingCountry, AVG(Total) FROM Invoice GROUP BY 1"):
        assert abs(float(average.value(country)) - avg) < 1e-9
