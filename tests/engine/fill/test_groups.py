"""Group breaks over three levels, resets at each level, forward totals and null group keys."""

from __future__ import annotations

from decimal import Decimal

from .conftest import band, el, fill, make_report, of_type, texts

LEVELS = [
    {"name": "country", "expression": "BillingCountry"},
    {"name": "city", "expression": "BillingCity"},
    {"name": "customer", "expression": "Customer"},
]
ORDER = "i.BillingCountry, i.BillingCity, Customer, i.InvoiceId"
CENTS = "SUM(CAST(ROUND(Total * 100) AS INTEGER))"
JOINED = "FROM Invoice i JOIN Customer c USING (CustomerId)"


def _report():
    variables = []
    bands = [
        band(
            "title",
            el("expression", expression="vars.grand"),
            el("expression", expression="vars.countries"),
        )
    ]
    for group in LEVELS:
        name = group["name"]
        variables.append(
            {
                "name": f"{name}_total",
                "expression": "Total",
                "calculation": "sum",
                "reset": "group",
                "reset_group": name,
            }
        )
        variables.append(
            {
                "name": f"{name}_n",
                "expression": "InvoiceId",
                "calculation": "count",
                "reset": "group",
                "reset_group": name,
            }
        )
        bands.append(
            band(
                "group_header",
                el("field", field=group["expression"]),
                el("expression", expression=f"vars.{name}_total"),
                el("expression", expression=f"vars.{name}_n"),
                group=name,
            )
        )
        bands.append(
            band(
                "group_footer",
                el("field", field=group["expression"]),
                el("expression", expression=f"vars.{name}_total"),
                el("expression", expression=f"vars.{name}_n"),
                group=name,
            )
        )
    variables.append({"name": "grand", "expression": "Total", "calculation": "sum"})
    variables.append(
        {"name": "countries", "expression": "BillingCountry", "calculation": "distinct_count"}
    )
    bands.append(band("detail", el("expression", expression="group_row_number")))
    bands.append(band("summary", el("expression", expression="vars.grand")))
    return make_report(groups=LEVELS, variables=variables, bands=bands)


def _sql_totals(sql, columns):
    return {
        key[:-2]: (Decimal(key[-2]) / 100, key[-1])
        for key in sql(f"SELECT {columns}, {CENTS}, COUNT(InvoiceId) {JOINED} GROUP BY {columns}")
    }


def test_three_level_totals_in_headers_and_footers_match_sql(invoices, sql):
    instances = fill(_report(), invoices(ORDER))
    columns = {
        "country": "BillingCountry",
        "city": "BillingCountry, BillingCity",
        "customer": "BillingCountry, BillingCity, c.FirstName || ' ' || c.LastName",
    }
    for level, (name, cols) in enumerate(columns.items()):
        expected = _sql_totals(sql, cols)
        for kind in ("group_header", "group_footer"):
            printed = of_type(instances, kind, name)
            assert len(printed) == len(expected), (name, kind)
            for instance in printed:
                key, total, count = texts(instance)
                assert instance.level == level
                assert key == instance.group_keys[level]
                assert (Decimal(total), int(count)) == expected[instance.group_keys[: level + 1]]


def test_title_forward_values_equal_report_totals(invoices, sql):
    instances = fill(_report(), invoices(ORDER))
    (title,) = of_type(instances, "title")
    (grand_cents, countries) = sql(f"SELECT {CENTS}, COUNT(DISTINCT BillingCountry) FROM Invoice")[
        0
    ]
    grand, distinct = texts(title)
    assert Decimal(grand) == Decimal(grand_cents) / 100
    assert int(distinct) == countries
    assert title.elements[0].text.resolved  # a DeferredText, resolved at the end of the report
    (summary,) = of_type(instances, "summary")
    assert texts(summary) == [grand]


def test_break_order_closes_inner_groups_first_and_opens_outer_first(invoices):
    instances = fill(_report(), invoices(ORDER))
    sequence = [(i.band_type, i.group) for i in instances]
    assert sequence[0] == ("title", None)
    assert sequence[1:4] == [
        ("group_header", "country"),
        ("group_header", "city"),
        ("group_header", "customer"),
    ]
    assert sequence[-4:] == [
        ("group_footer", "customer"), ("group_footer", "city"), ("group_footer", "country"), ("summary", None),
    ]  # fmt: skip
    # every country change closes customer, city, country then opens country, city, customer
    for i, (kind, group) in enumerate(sequence):
        if (kind, group) == ("group_footer", "country") and sequence[i + 1][0] != "summary":
            assert sequence[i - 2 : i + 4] == [
                ("group_footer", "customer"), ("group_footer", "city"), ("group_footer", "country"),
                ("group_header", "country"), ("group_header", "city"), ("group_header", "customer"),
            ]  # fmt: skip


def test_row_numbers_and_group_row_numbers(invoices, sql):
    instances = fill(_report(), invoices(ORDER))
    details = of_type(instances, "detail")
    assert [d.row_number for d in details] == list(range(1, 413))
    expected = [
        n
        for (n,) in sql(
            "SELECT ROW_NUMBER() OVER (PARTITION BY BillingCountry, BillingCity, c.FirstName || ' ' || c.LastName"
            f" ORDER BY InvoiceId) {JOINED} ORDER BY BillingCountry, BillingCity,"
            " c.FirstName || ' ' || c.LastName, InvoiceId"
        )
    ]
    assert [int(texts(d)[0]) for d in details] == expected


def test_footers_see_the_last_row_of_their_group(invoices, sql):
    report = make_report(
        groups=[LEVELS[0]],
        bands=[band("group_footer", el("field", field="InvoiceId"), group="country")],
    )
    footers = of_type(fill(report, invoices("i.BillingCountry, i.InvoiceId")), "group_footer")
    expected = [
        str(n)
        for (n,) in sql(
            "SELECT MAX(InvoiceId) FROM Invoice GROUP BY BillingCountry ORDER BY BillingCountry"
        )
    ]
    assert [texts(f)[0] for f in footers] == expected


def test_null_group_keys_sort_first_and_form_their_own_group(invoices, sql):
    report = make_report(
        groups=[{"name": "state", "expression": "BillingState"}],
        variables=[
            {
                "name": "n",
                "expression": "InvoiceId",
                "calculation": "count",
                "reset": "group",
                "reset_group": "state",
            }
        ],
        bands=[
            band(
                "group_footer",
                el("field", field="BillingState", null_text="(none)"),
                el("expression", expression="vars.n"),
                group="state",
            )
        ],
    )
    footers = of_type(fill(report, invoices("i.BillingState, i.InvoiceId")), "group_footer")
    expected = sql(
        "SELECT BillingState, COUNT(*) FROM Invoice GROUP BY BillingState ORDER BY BillingState"
    )
    assert expected[0][0] is None  # SQLite sorts NULL first too
    assert footers[0].group_keys == (None,)
    assert [(t[0], int(t[1])) for t in map(texts, footers)] == [
        (s or "(none)", n) for s, n in expected
    ]


def test_running_group_values_reset_per_group(invoices, sql):
    report = make_report(
        groups=[LEVELS[0]],
        variables=[
            {
                "name": "run",
                "expression": "Total",
                "calculation": "sum",
                "reset": "group",
                "reset_group": "country",
                "running": True,
            }
        ],
        bands=[
            band("detail", el("expression", expression="vars.run")),
            band("group_header", el("expression", expression="vars.run"), group="country"),
        ],
    )
    instances = fill(report, invoices("i.BillingCountry, i.InvoiceId"))
    expected = sql(
        f"SELECT {CENTS} OVER (PARTITION BY BillingCountry ORDER BY InvoiceId ROWS UNBOUNDED PRECEDING),"
        " Total FROM Invoice ORDER BY BillingCountry, InvoiceId"
    )
    details = of_type(instances, "detail")
    assert [Decimal(texts(d)[0]) for d in details] == [Decimal(c) / 100 for c, _ in expected]
    # a running value in a header is evaluated straight away, with the group's first row
    headers = of_type(instances, "group_header")
    assert all(isinstance(h.elements[0].text, str) for h in headers)


def test_group_without_bands_still_resets(invoices, sql):
    report = make_report(
        groups=[LEVELS[0]],
        variables=[
            {
                "name": "n",
                "expression": "InvoiceId",
                "calculation": "count",
                "reset": "group",
                "reset_group": "country",
            }
        ],
        bands=[band("summary", el("expression", expression="vars.n"))],
    )
    (summary,) = of_type(fill(report, invoices("i.BillingCountry, i.InvoiceId")), "summary")
    (last,) = sql(
        "SELECT COUNT(*) FROM Invoice GROUP BY BillingCountry ORDER BY BillingCountry DESC LIMIT 1"
    )[0]
    assert texts(summary) == [
        str(last)
    ]  # after the report the variable holds its last instance's total
