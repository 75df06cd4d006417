"""Charts grouping by different fields share one database GROUP BY over their union: every chart still equals its own SQL aggregate."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from decimal import Decimal
from typing import Any

import pytest

import engine.data.grouping as queries
import engine.data.sample as sample
from engine.charts import OTHER, ChartData, plan_charts
from engine.data.grain import estimate_groups, merge_grains
from engine.data.grouping import SourceLink
from engine.fill import compile_report
from engine.model import FieldDef
from tests.engine.render.helpers import chinook_sql

from .helpers import chart, chart_data, report

#: invoices with two months left out (gaps), null countries (where the state is null too)
#: and null values (totals of 3 or less)
QUERY = (
    "SELECT InvoiceId, InvoiceDate, BillingState, BillingCity, CustomerId, Total, "
    "CASE WHEN BillingState IS NULL THEN NULL ELSE BillingCountry END AS Country, "
    "CASE WHEN Total > 3 THEN Total END AS Big FROM Invoice "
    "WHERE strftime('%Y-%m', InvoiceDate) NOT IN ('2022-03', '2022-04')"
)
WHERE = "WHERE strftime('%Y-%m', InvoiceDate) NOT IN ('2022-03', '2022-04')"
COUNTRY = "CASE WHEN BillingState IS NULL THEN NULL ELSE BillingCountry END"
BIG = "CASE WHEN Total > 3 THEN Total END"
WEEK = (
    "date(InvoiceDate, '-' || ((CAST(strftime('%w', InvoiceDate) AS INTEGER) + 6) % 7) || ' days')"
)
MONTH = "date(InvoiceDate, 'start of month')"
QUARTER = (
    "printf('%s-%02d-01', strftime('%Y', InvoiceDate), "
    "(CAST(strftime('%m', InvoiceDate) AS INTEGER) - 1) / 3 * 3 + 1)"
)


@pytest.fixture(autouse=True)
def _patient_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy machine must not stop the sample of a small query (the plans below rely on it)."""
    monkeypatch.setattr(sample, "BUDGET_SECONDS", 30.0)


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


def _points(data: ChartData) -> dict[tuple[str, Any], Any]:
    """(series name, category key as SQL gives it) → value, for every point with a value.

    A float (a field without a declared type) is rounded to cents, as _money rounds SQL's.
    """
    found = {}
    for s, name in enumerate(data.series):
        for key, value in zip(data.keys, data.values[s], strict=True):
            if isinstance(value, float):
                value = _money(value)
            if value is not None:
                found[(name, key.isoformat() if isinstance(key, dt.date) else key)] = value
    return found


def _sql_points(sql: str, convert: Any = _money) -> dict[tuple[str, Any], Any]:
    """(series, category, value) rows of an SQL query → the same mapping as _points (null series: "(empty)")."""
    return {
        ("" if s == "" else "(empty)" if s is None else s, c): convert(v)
        for s, c, v in chinook_sql(sql)
        if v is not None
    }


def _plan_queries(rep: Any) -> list[queries.GroupedQuery]:
    plan = plan_charts(compile_report(rep), {}, link=SourceLink(rep.data_source, {}, None, None))
    plan.close()
    assert plan.queries is not None
    return list(plan.queries.queries.values())


CHARTS = [
    chart(category="Country", value="Big", sort="category", max_points=100),
    chart(category="BillingState", calculation="average", max_points=100),
    chart(kind="line", category="InvoiceDate", bucket="month", calculation="min"),
    chart(kind="line", category="InvoiceDate", bucket="week", calculation="max", value="Big"),
    chart(category="CustomerId", value="Big", calculation="count", max_points=5),
    chart(kind="area", category="InvoiceDate", bucket="quarter", series="Country", stacked=True),
    chart(kind="line", category="InvoiceDate", bucket="day", calculation="count", max_points=5000),
]


def test_charts_over_different_fields_share_one_query() -> None:
    (query,) = _plan_queries(report(*CHARTS, query=QUERY))
    assert set(query.parts) == {
        ("BillingState",), ("InvoiceDate", "Country"), ("CustomerId",)
    }  # fmt: skip


def test_every_chart_of_a_shared_query_equals_its_own_sql() -> None:
    found = chart_data(report(*CHARTS, query=QUERY))
    (by_country,) = found["bands[0].elements[0]"]
    assert _points(by_country) == _sql_points(
        f"SELECT '', {COUNTRY}, SUM({BIG}) FROM Invoice {WHERE} GROUP BY 2"
    )
    assert "(empty)" in by_country.categories  # the null country is a category of its own
    (by_state,) = found["bands[0].elements[1]"]
    expected = _sql_points(
        f"SELECT '', BillingState, AVG(Total) FROM Invoice {WHERE} GROUP BY 2", float
    )
    got = _points(by_state)
    assert got.keys() == expected.keys()
    assert all(abs(float(v) - expected[k]) < 1e-9 for k, v in got.items())
    (by_month,) = found["bands[0].elements[2]"]
    assert _points(by_month) == _sql_points(
        f"SELECT '', {MONTH}, MIN(Total) FROM Invoice {WHERE} GROUP BY 2"
    )
    months = [k.isoformat() for k in by_month.keys]
    assert "2022-03-01" in months and "2022-04-01" in months  # the gaps, drawn empty
    assert len(months) == len(set(months)) == 60  # every month of 2021–2025
    (by_week,) = found["bands[0].elements[3]"]
    assert _points(by_week) == _sql_points(
        f"SELECT '', {WEEK}, MAX({BIG}) FROM Invoice {WHERE} GROUP BY 2"
    )
    weeks = by_week.keys
    assert all(b - a == dt.timedelta(days=7) for a, b in itertools.pairwise(weeks))
    (by_quarter,) = found["bands[0].elements[5]"]
    assert _points(by_quarter) == _sql_points(
        f"SELECT {COUNTRY}, {QUARTER}, SUM(Total) FROM Invoice {WHERE} GROUP BY 1, 2"
    )
    (by_day,) = found["bands[0].elements[6]"]
    assert _points(by_day) == _sql_points(
        f"SELECT '', date(InvoiceDate), COUNT(Total) FROM Invoice {WHERE} GROUP BY 2", int
    )
    (first, last) = chinook_sql(
        f"SELECT min(date(InvoiceDate)), max(date(InvoiceDate)) FROM Invoice {WHERE}"
    )[0]
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
    assert len(by_day.keys) == days  # every day between the first and the last, gaps empty


def test_other_folds_the_rest_of_a_shared_query() -> None:
    found = chart_data(report(*CHARTS, query=QUERY))
    (by_customer,) = found["bands[0].elements[4]"]
    counts = chinook_sql(
        f"SELECT CustomerId, COUNT({BIG}) FROM Invoice {WHERE} GROUP BY 1 ORDER BY 2 DESC, 1"
    )
    assert by_customer.categories == (*(str(c) for c, _ in counts[:4]), OTHER)
    assert by_customer.values[0] == (*(n for _, n in counts[:4]), sum(n for _, n in counts[4:]))
    assert by_customer.folded == len(counts) - 4


def test_shared_query_gives_the_streamed_data() -> None:
    def rounded(found: dict[str, list[ChartData]]) -> dict[str, list[Any]]:
        # float sums (the Big field has no declared type) differ in the last digits
        return {
            path: [
                (d.categories, d.keys, d.series, d.folded,
                 [[round(v, 6) if isinstance(v, float) else v for v in s] for s in d.values])
                for d in datas
            ]
            for path, datas in found.items()
        }  # fmt: skip

    rep = report(*CHARTS, query=QUERY)
    assert rounded(chart_data(rep, pushdown=True)) == rounded(chart_data(rep, pushdown=False))


def test_group_charts_share_a_query_with_report_charts() -> None:
    footer = {"type": "group_footer", "group": "country", "height": 210, "elements": [
        {"type": "chart", "x": 0, "y": 0, "width": 500, "height": 200,
         "chart": chart(category="InvoiceDate", bucket="year", scope="group:country")}]}  # fmt: skip
    summary = {"type": "summary", "height": 210, "elements": [
        {"type": "chart", "x": 0, "y": 0, "width": 500, "height": 200,
         "chart": chart(category="CustomerId", calculation="max", max_points=100)}]}  # fmt: skip
    rep = report(
        groups=[{"name": "country", "expression": "BillingCountry"}], bands=[footer, summary]
    )
    (query,) = _plan_queries(rep)
    assert set(query.parts) == {("BillingCountry", "InvoiceDate"), ("CustomerId",)}
    found = chart_data(rep)
    expected: dict[str, dict[tuple[str, Any], Any]] = {}
    for country, year, total in chinook_sql(
        "SELECT BillingCountry, strftime('%Y-01-01', InvoiceDate), SUM(Total) FROM Invoice "
        "GROUP BY 1, 2"
    ):
        expected.setdefault(country, {})[("", year)] = _money(total)
    per_country = found["bands[0].elements[0]"]
    assert [_points(data) for data in per_country] == [expected[c] for c in sorted(expected)]
    (by_customer,) = found["bands[1].elements[0]"]
    assert _points(by_customer) == _sql_points(
        "SELECT '', CustomerId, MAX(Total) FROM Invoice GROUP BY 2"
    )


def test_past_the_cap_each_chart_gets_its_own_query(monkeypatch: pytest.MonkeyPatch) -> None:
    # the sample (first 20 rows, in country order) shows few cities: the planner merges,
    # then the real query finds more groups than the cap and runs one query per field set
    monkeypatch.setattr(queries, "SAMPLE_ROWS", 20)
    monkeypatch.setattr(queries, "GRAIN_CAP", 10)
    query = "SELECT * FROM Invoice ORDER BY BillingCountry, BillingCity"
    rep = report(
        chart(sort="category", max_points=100),
        chart(category="BillingCity", calculation="count", sort="category", max_points=100),
        query=query,
    )
    plan = plan_charts(compile_report(rep), {}, link=SourceLink(rep.data_source, {}, None, None))
    try:
        assert plan.queries is not None
        (merged,) = plan.queries.queries.values()
        assert merged.parts == (("BillingCountry",), ("BillingCity",))
        merged.start(plan.queries.pool)
        assert set(merged.result()) == {("BillingCountry",), ("BillingCity",)}  # fell back
    finally:
        plan.close()
    found = chart_data(rep)
    (by_country,) = found["bands[0].elements[0]"]
    assert _points(by_country) == _sql_points(
        "SELECT '', BillingCountry, SUM(Total) FROM Invoice GROUP BY 2"
    )
    (by_city,) = found["bands[0].elements[1]"]
    assert _points(by_city) == _sql_points(
        "SELECT '', BillingCity, COUNT(*) FROM Invoice GROUP BY 2", int
    )


def test_a_fine_union_is_never_merged() -> None:
    # 2,000 rows: a product (20 values) and a day each; product and day together are unique
    sample = [(f"P{i % 20}", i, i % 7) for i in range(2000)]
    columns = ["product", "day", "weekday"]
    assert estimate_groups([(p,) for p, _, _ in sample]) == 20
    assert estimate_groups([(p, d) for p, d, _ in sample]) > 100_000
    grains = merge_grains([("product",), ("day",), ("weekday",)], sample, columns, 1_000)
    assert grains == [
        (("product", "weekday"), (("product",), ("weekday",))),
        (("day",), (("day",),)),
    ]


def test_a_shared_query_the_database_cannot_sum_exactly_reads_the_rows_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # sevenths have more decimals than SQLite sums exactly: the rows are read (once) instead
    rep = report(
        chart(value="Share", sort="category", max_points=100),
        chart(category="BillingCity", value="Share", calculation="average", max_points=100),
        query="SELECT BillingCountry, BillingCity, Total / 7.0 AS Share FROM Invoice",
    )
    source = rep.data_source.model_copy(
        update={"fields": (FieldDef(name="Share", type="decimal"),)}
    )
    rep = rep.model_copy(update={"data_source": source})
    (query,) = _plan_queries(rep)
    assert len(query.parts) == 2
    with caplog.at_level(logging.INFO, logger="engine.data.grouping"):
        found = chart_data(rep)
    assert caplog.text.count("read row by row") == 1
    (by_country,) = found["bands[0].elements[0]"]
    expected = dict(chinook_sql("SELECT BillingCountry, SUM(Total / 7.0) FROM Invoice GROUP BY 1"))
    assert by_country.categories == tuple(sorted(expected))
    for country, value in zip(by_country.categories, by_country.values[0], strict=True):
        assert isinstance(value, Decimal) and abs(float(value) - expected[country]) < 1e-9
    (by_city,) = found["bands[0].elements[1]"]
    for city, average in chinook_sql(
        "SELECT BillingCity, AVG(Total / 7.0) FROM Invoice GROUP BY 1"
    ):
        assert abs(float(by_city.value(city)) - average) < 1e-9


def test_a_big_table_grouped_in_rowid_ranges_shares_one_query(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from engine.data import split

    # Invoice as a table: sampled at spread rowids, grouped in three rowid ranges at once
    monkeypatch.setattr(queries, "SAMPLE_ROWS", 100)
    monkeypatch.setattr(split, "MIN_ROWS", 2)
    monkeypatch.setattr(split, "worker_count", lambda: 3)
    rep = report(
        chart(sort="category", max_points=100),
        chart(category="CustomerId", calculation="average", max_points=100),
        chart(kind="line", category="InvoiceDate", bucket="year", series="BillingCountry"),
    )
    source = rep.data_source.model_copy(update={"query": None, "table": "Invoice"})
    rep = rep.model_copy(update={"data_source": source})
    (query,) = _plan_queries(rep)
    assert query.parts == (("InvoiceDate", "BillingCountry"), ("CustomerId",))
    found = chart_data(rep)
    (by_country,) = found["bands[0].elements[0]"]
    assert _points(by_country) == _sql_points(
        "SELECT '', BillingCountry, SUM(Total) FROM Invoice GROUP BY 2"
    )
    (by_customer,) = found["bands[0].elements[1]"]
    expected = _sql_points("SELECT '', CustomerId, AVG(Total) FROM Invoice GROUP BY 2", float)
    got = _points(by_customer)
    assert got.keys() == expected.keys()
    assert all(abs(float(v) - expected[k]) < 1e-9 for k, v in got.items())
    (by_year,) = found["bands[0].elements[2]"]
    assert _points(by_year) == _sql_points(
        "SELECT BillingCountry, strftime('%Y-01-01', InvoiceDate), SUM(Total) FROM Invoice "
        "GROUP BY 1, 2"
    )
