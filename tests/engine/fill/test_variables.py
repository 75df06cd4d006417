"""Variables: every calculation, resets, running values and nulls, checked against SQL and statistics."""

from __future__ import annotations

import random
import statistics
from decimal import Decimal

import pytest

from engine.calc import CALCULATIONS as REGISTRY
from engine.fill import fill_report

from .conftest import band, cents, el, fill, make_report, of_type, texts

CALCULATIONS = tuple(REGISTRY)


def _summary_values(report, rows):
    (summary,) = of_type(fill(report, rows), "summary")
    return texts(summary)


def test_every_calculation_over_the_report_matches_sql(invoices, sql):
    variables = [{"name": c, "expression": "Total", "calculation": c} for c in CALCULATIONS]
    report = make_report(
        variables=variables,
        bands=[band("summary", *(el("expression", expression=f"vars.{c}") for c in CALCULATIONS))],
    )
    got = dict(zip(CALCULATIONS, _summary_values(report, invoices("i.InvoiceId")), strict=True))

    (total_cents, count, distinct, low, high, avg) = sql(
        "SELECT SUM(CAST(ROUND(Total * 100) AS INTEGER)), COUNT(Total), COUNT(DISTINCT Total),"
        " MIN(Total), MAX(Total), AVG(Total) FROM Invoice"
    )[0]
    first = sql("SELECT Total FROM Invoice ORDER BY InvoiceId LIMIT 1")[0][0]
    last = sql("SELECT Total FROM Invoice ORDER BY InvoiceId DESC LIMIT 1")[0][0]
    values = [Decimal(str(t)) for (t,) in sql("SELECT Total FROM Invoice")]

    assert Decimal(got["sum"]) == Decimal(total_cents) / 100
    assert int(got["count"]) == count
    assert int(got["distinct_count"]) == distinct
    assert Decimal(got["min"]) == cents(low)
    assert Decimal(got["max"]) == cents(high)
    assert Decimal(got["first"]) == cents(first)
    assert Decimal(got["last"]) == cents(last)
    assert float(Decimal(got["average"])) == pytest.approx(avg, rel=1e-12)
    assert Decimal(got["average"]) == pytest.approx(statistics.mean(values), rel=Decimal("1e-20"))
    assert Decimal(got["stddev"]) == pytest.approx(statistics.stdev(values), rel=Decimal("1e-20"))
    assert Decimal(got["variance"]) == pytest.approx(
        statistics.variance(values), rel=Decimal("1e-20")
    )
    assert Decimal(got["median"]) == statistics.median(values)


def test_decimal_aggregates_stay_decimal(invoices):
    report = make_report(
        variables=[{"name": "avg", "expression": "Total", "calculation": "average"}],
        bands=[band("summary", el("expression", expression="vars.avg"))],
    )
    from engine.fill.compiled import compile_report
    from engine.fill.filler import ReportFiller as Filler

    filler = Filler(compile_report(report), {})
    list(filler.run(invoices()))
    assert isinstance(filler.vars["avg"], Decimal)


@pytest.mark.parametrize("calculation", CALCULATIONS)
def test_nulls_are_ignored_by_every_calculation(calculation):
    rng = random.Random(5)
    rows = [{"v": rng.choice([None, rng.randint(-50, 50)])} for _ in range(500)]
    values = [r["v"] for r in rows if r["v"] is not None]
    expected = {
        "sum": sum(values),
        "count": len(values),
        "distinct_count": len(set(values)),
        "average": statistics.mean(values),
        "min": min(values),
        "max": max(values),
        "first": values[0],
        "last": values[-1],
        "stddev": statistics.stdev(values),
        "variance": statistics.variance(values),
        "median": statistics.median(values),
    }[calculation]
    report = make_report(
        variables=[{"name": "x", "expression": "v", "calculation": calculation}],
        bands=[band("summary", el("expression", expression="vars.x"))],
    )
    (text,) = _summary_values(report, rows)
    assert float(text) == pytest.approx(float(expected), rel=1e-9)


def test_empty_scope_values_follow_sql():
    report = make_report(
        variables=[{"name": c, "expression": "v", "calculation": c} for c in CALCULATIONS],
        bands=[
            band(
                "summary",
                *(el("expression", expression=f"vars.{c}", null_text="NULL") for c in CALCULATIONS),
            )
        ],
    )
    got = dict(zip(CALCULATIONS, _summary_values(report, [{"v": None}, {"v": None}]), strict=True))
    assert got.pop("count") == "0"
    assert got.pop("distinct_count") == "0"
    assert set(got.values()) == {"NULL"}


def test_running_sum_and_count_per_row(invoices, sql):
    report = make_report(
        variables=[
            {"name": "run", "expression": "Total", "calculation": "sum", "running": True},
            {"name": "n", "expression": "InvoiceId", "calculation": "count", "running": True},
        ],
        bands=[
            band(
                "detail",
                el("expression", expression="vars.run"),
                el("expression", expression="vars.n"),
            )
        ],
    )
    details = of_type(fill(report, invoices("i.InvoiceId")), "detail")
    expected = sql(
        "SELECT SUM(CAST(ROUND(Total * 100) AS INTEGER)) OVER w, COUNT(*) OVER w FROM Invoice"
        " WINDOW w AS (ORDER BY InvoiceId ROWS UNBOUNDED PRECEDING) ORDER BY InvoiceId"
    )
    assert len(details) == len(expected) == 412
    for d, (run_cents, count) in zip(details, expected, strict=True):
        run, n = texts(d)
        assert (Decimal(run), int(n)) == (Decimal(run_cents) / 100, count)
        assert d.row_number == count


def test_variables_read_earlier_variables_in_declaration_order(invoices, sql):
    report = make_report(
        variables=[
            {"name": "total", "expression": "Total", "calculation": "sum", "running": True},
            {"name": "peak", "expression": "vars.total", "calculation": "max"},
        ],
        bands=[band("summary", el("expression", expression="vars.peak"))],
    )
    (text,) = _summary_values(report, invoices())
    (total_cents,) = sql("SELECT SUM(CAST(ROUND(Total * 100) AS INTEGER)) FROM Invoice")[0]
    assert Decimal(text) == Decimal(total_cents) / 100  # the running total peaks at the end


def test_reset_none_never_resets_and_params_are_readable(invoices, sql):
    report = make_report(
        parameters=[{"name": "rate", "type": "decimal"}],
        groups=[{"name": "country", "expression": "BillingCountry"}],
        variables=[
            {
                "name": "taxed",
                "expression": "Total * params.rate",
                "calculation": "sum",
                "reset": "none",
            }
        ],
        bands=[band("group_footer", el("expression", expression="vars.taxed"), group="country")],
    )
    rows = invoices("i.BillingCountry, i.InvoiceId")
    footers = of_type(
        list(fill_report(report, rows, params={"rate": Decimal("0.5")})), "group_footer"
    )
    (total_cents,) = sql("SELECT SUM(CAST(ROUND(Total * 100) AS INTEGER)) FROM Invoice")[0]
    # a non-running variable prints the total of its scope (the whole report) everywhere
    assert {Decimal(texts(f)[0]) for f in footers} == {Decimal(total_cents) / 200}


def test_variable_errors_name_the_variable():
    from engine.errors import EvaluationError

    report = make_report(
        variables=[
            {"name": "ok", "expression": "v", "calculation": "sum"},
            {"name": "bad", "expression": "v / w", "calculation": "sum"},
        ],
        bands=[band("summary", el("expression", expression="vars.ok"))],
    )
    with pytest.raises(EvaluationError, match=r"variables\[1\]\.expression \(bad\)"):
        fill(report, [{"v": 1, "w": 1}, {"v": 1, "w": 0}])
