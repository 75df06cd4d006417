"""Band selection: no data, print_when, filter, conditional styles, style precedence, page furniture and page values."""

from __future__ import annotations

from decimal import Decimal

from engine.calc import Totals
from engine.fill import DeferredText, PageNumberText, PageRef, compile_report, get_theme

from .conftest import band, el, fill, make_report, of_type, texts

ALL_BANDS = [
    band("title", el("label", text="T")),
    band("page_header", el("label", text="PH"), el("page_number")),
    band("detail", el("field", field="Total")),
    band("summary", el("label", text="S")),
    band("no_data", el("label", text="nothing to show")),
]


def test_no_rows_prints_only_the_no_data_band():
    instances = fill(make_report(bands=ALL_BANDS), [])
    assert [(i.band_type, texts(i)) for i in instances] == [("no_data", ["nothing to show"])]


def test_no_rows_without_no_data_prints_title_and_summary():
    instances = fill(make_report(bands=ALL_BANDS[:4]), [])
    assert [i.band_type for i in instances] == ["page_header", "title", "summary"]


def test_no_data_source_prints_bands_once_and_never_detail():
    instances = fill(make_report(bands=ALL_BANDS), None)
    assert [i.band_type for i in instances] == ["page_header", "title", "summary"]
    (header,) = of_type(instances, "page_header")
    assert isinstance(header.elements[1].text, PageNumberText)
    assert header.elements[1].text.render(2, 5) == "Page 2 of 5"


def test_filter_skips_rows_before_groups_variables_and_row_numbers(invoices, sql):
    report = make_report(
        filter="Total > 5",
        groups=[{"name": "country", "expression": "BillingCountry"}],
        variables=[
            {
                "name": "n",
                "expression": "InvoiceId",
                "calculation": "count",
                "reset": "group",
                "reset_group": "country",
            }
        ],
        bands=[
            band("detail", el("field", field="InvoiceId")),
            band("group_footer", el("expression", expression="vars.n"), group="country"),
        ],
    )
    instances = fill(report, invoices("i.BillingCountry, i.InvoiceId"))
    expected = sql(
        "SELECT InvoiceId FROM Invoice WHERE Total > 5 ORDER BY BillingCountry, InvoiceId"
    )
    details = of_type(instances, "detail")
    assert [texts(d)[0] for d in details] == [str(i) for (i,) in expected]
    assert [d.row_number for d in details] == list(range(1, len(expected) + 1))
    counts = sql(
        "SELECT COUNT(*) FROM Invoice WHERE Total > 5 GROUP BY BillingCountry ORDER BY BillingCountry"
    )
    assert [int(texts(f)[0]) for f in of_type(instances, "group_footer")] == [n for (n,) in counts]


def test_filter_removing_every_row_prints_no_data(invoices):
    instances = fill(make_report(filter="Total > 1000", bands=ALL_BANDS), invoices())
    assert [i.band_type for i in instances] == ["no_data"]


def test_print_when_on_bands_and_elements(invoices, sql):
    report = make_report(
        bands=[
            band(
                "detail",
                el("field", field="InvoiceId"),
                el("label", text="big", print_when="Total >= 10"),
                print_when="BillingCountry == 'France'",
            )
        ],
    )
    details = of_type(fill(report, invoices()), "detail")
    expected = sql(
        "SELECT InvoiceId, Total >= 10 FROM Invoice WHERE BillingCountry = 'France' ORDER BY InvoiceId"
    )
    assert [texts(d) for d in details] == [
        [str(i)] + (["big"] if big else []) for i, big in expected
    ]


def test_conditional_styles_first_match_wins_and_override_own_keys(invoices, sql):
    report = make_report(
        styles=[{"name": "money", "align": "right", "color": "#222222", "size": 9}],
        theme="corporate",
        bands=[
            band(
                "detail",
                el(
                    "field",
                    field="Total",
                    style="money",
                    color="#000000",
                    conditional_styles=[
                        {"when": "Total > 15", "color": "#b91c1c", "bold": True},
                        {"when": "Total > 5", "color": "#15803d"},
                    ],
                ),
            )
        ],
    )
    details = of_type(fill(report, invoices()), "detail")
    totals = [t for (t,) in sql("SELECT Total FROM Invoice ORDER BY InvoiceId")]
    for d, total in zip(details, totals, strict=True):
        style = d.elements[0].style
        expected = "#b91c1c" if total > 15 else "#15803d" if total > 5 else "#000000"
        assert style.color == expected
        assert style.bold is (total > 15)
        assert (style.align, style.size, style.font) == (
            "right",
            9,
            get_theme("corporate").style.font,
        )
    # one shared object per distinct style: millions of rows allocate no styles
    assert len({id(d.elements[0].style) for d in details}) == 3


def test_style_precedence_own_keys_then_named_style_then_theme():
    report = make_report(
        theme="minimal",
        styles=[{"name": "heading", "size": 14, "bold": True, "color": "#1f2937"}],
        bands=[
            band(
                "title",
                el("label", text="a", style="heading", color="#ff0000"),
                el("label", text="b"),
            )
        ],
    )
    (title,) = fill(report, None)[:1]
    own, plain = title.elements
    assert (own.style.color, own.style.size, own.style.bold) == ("#ff0000", 14, True)
    assert plain.style == get_theme("minimal").style


def test_group_header_forward_value_is_a_deferred_text(invoices, sql):
    report = make_report(
        groups=[{"name": "country", "expression": "BillingCountry"}],
        variables=[
            {
                "name": "t",
                "expression": "Total",
                "calculation": "sum",
                "reset": "group",
                "reset_group": "country",
            }
        ],
        bands=[
            band(
                "group_header",
                el("expression", expression="BillingCountry + ': ' + str(vars.t)"),
                group="country",
            )
        ],
    )
    stream = iter(fill(report, invoices("i.BillingCountry, i.InvoiceId")))
    first = next(stream)
    assert isinstance(first.elements[0].text, DeferredText)
    headers = [first, *stream]
    expected = sql(
        "SELECT BillingCountry, SUM(CAST(ROUND(Total * 100) AS INTEGER)) FROM Invoice GROUP BY 1 ORDER BY 1"
    )
    assert [texts(h)[0] for h in headers] == [f"{c}: {Decimal(t).scaleb(-2)}" for c, t in expected]


def test_page_variables_become_page_refs_with_per_row_contributions(invoices, sql):
    report = make_report(
        variables=[
            {"name": "page_total", "expression": "Total", "calculation": "sum", "reset": "page"}
        ],
        bands=[
            band("detail", el("field", field="Total")),
            band("page_footer", el("expression", expression="vars.page_total")),
            band(
                "column_footer",
                el("aggregate", calculation="count", expression="InvoiceId", scope="page"),
            ),
        ],
    )
    instances = fill(report, invoices())
    footer, column_footer = (
        of_type(instances, "page_footer")[0],
        of_type(instances, "column_footer")[0],
    )
    ref = footer.elements[0].text
    assert isinstance(ref, PageRef) and ref.keys == {"page_total": "sum"}
    count_ref = column_footer.elements[0].text
    assert isinstance(count_ref, PageRef) and count_ref.keys == {"elem:2.0": "count"}
    # a pretend layout: the first 10 detail rows on page 1
    totals = Totals(compile_report(report).page_keys)
    for detail in of_type(instances, "detail")[:10]:
        totals.add(detail.page_values)
    (first_ten,) = sql(
        "SELECT SUM(CAST(ROUND(Total * 100) AS INTEGER)) FROM (SELECT Total FROM Invoice ORDER BY InvoiceId LIMIT 10)"
    )[0]
    assert Decimal(ref.render(totals.values())) == Decimal(first_ten) / 100
    assert count_ref.render(totals.values()) == "10"
