"""Element formats in four locales (expected strings from CLDR), defaults, null_text and type errors."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from engine.errors import EvaluationError
from engine.expr.formatting import format_currency, format_number, format_percent

from .conftest import band, el, fill, make_report, of_type, texts

NBSP, NNBSP = "\xa0", "\u202f"

CASES = {
    # locale: (number #,##0.00 of 1234567.891, EUR of -1234.5, percent of 0.256, date d MMMM y of 2024-03-05)
    "en_US": ("1,234,567.89", "-€1,234.50", "26%", "5 March 2024"),
    "de_DE": ("1.234.567,89", f"-1.234,50{NBSP}€", f"26{NBSP}%", "5 März 2024"),
    "fr_FR": (f"1{NNBSP}234{NNBSP}567,89", f"-1{NNBSP}234,50{NBSP}€", f"26{NBSP}%", "5 mars 2024"),
    "ja_JP": ("1,234,567.89", "-€1,234.50", "26%", "5 3月 2024"),
}


def _formatted(locale, value, fmt):
    report = make_report(locale=locale, bands=[band("detail", el("field", field="v", format=fmt))])
    (detail,) = of_type(fill(report, [{"v": value}]), "detail")
    return texts(detail)[0]


@pytest.mark.parametrize("locale", sorted(CASES))
def test_number_currency_percent_and_date_in_four_locales(locale):
    number, currency, percent, date = CASES[locale]
    assert (
        _formatted(locale, Decimal("1234567.891"), {"kind": "number", "pattern": "#,##0.00"})
        == number
    )
    assert (
        _formatted(locale, Decimal("-1234.5"), {"kind": "currency", "currency": "EUR"}) == currency
    )
    assert _formatted(locale, Decimal("0.256"), {"kind": "percent"}) == percent
    assert _formatted(locale, dt.date(2024, 3, 5), {"kind": "date", "pattern": "d MMMM y"}) == date


def test_currency_digits_and_rounding_half_up():
    assert (
        _formatted("ja_JP", Decimal("1234.5"), {"kind": "currency", "currency": "JPY"}) == "￥1,235"
    )
    assert _formatted("en_US", 2.345, {"kind": "number", "pattern": "0.00"}) == "2.35"
    assert _formatted("de_DE", 7, {"kind": "percent", "pattern": "#,##0.0%"}) == "700,0%"
    assert (
        _formatted(
            "en_US",
            dt.datetime(2024, 3, 5, 14, 7),
            {"kind": "datetime", "pattern": "yyyy-MM-dd HH:mm"},
        )
        == "2024-03-05 14:07"
    )


def test_chinook_totals_in_french_euros(invoices, sql):
    report = make_report(
        locale="fr_FR",
        bands=[
            band(
                "detail", el("field", field="Total", format={"kind": "currency", "currency": "EUR"})
            )
        ],
    )
    details = of_type(fill(report, invoices()), "detail")
    totals = [t for (t,) in sql("SELECT printf('%.2f', Total) FROM Invoice ORDER BY InvoiceId")]
    assert [texts(d)[0] for d in details] == [t.replace(".", ",") + f"{NBSP}€" for t in totals]


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR", "ja_JP", "hi_IN"])
def test_fast_number_path_agrees_with_the_expression_formatting(locale):
    rng = random.Random(locale)
    values = [Decimal(rng.randint(-(10**9), 10**9)).scaleb(-rng.randint(0, 5)) for _ in range(300)]
    values += [rng.uniform(-1e6, 1e6) for _ in range(100)] + [
        rng.randint(-(10**8), 10**8) for _ in range(100)
    ]
    formats = [
        (
            {"kind": "number", "pattern": "#,##0.###"},
            lambda v: format_number(v, "#,##0.###", locale),
        ),
        ({"kind": "number"}, lambda v: format_number(v, None, locale)),
        ({"kind": "percent", "pattern": "0.0%"}, lambda v: format_percent(v, "0.0%", locale)),
        (
            {"kind": "currency", "currency": "USD"},
            lambda v: format_currency(v, "USD", None, locale),
        ),
    ]
    for fmt, reference in formats:
        report = make_report(
            locale=locale, bands=[band("detail", el("field", field="v", format=fmt))]
        )
        details = of_type(fill(report, [{"v": v} for v in values]), "detail")
        assert [texts(d)[0] for d in details] == [reference(v) for v in values]


def test_default_text_and_null_text():
    report = make_report(
        bands=[band("detail", *(el("field", field=k, null_text="n/a") for k in "abcdef"))]
    )
    row = {"a": 12, "b": Decimal("1.50"), "c": dt.date(2024, 1, 31), "d": True, "e": None, "f": "x"}
    (detail,) = of_type(fill(report, [row]), "detail")
    assert texts(detail) == ["12", "1.50", "2024-01-31", "true", "n/a", "x"]


def test_wrong_value_type_names_the_element():
    report = make_report(
        bands=[
            band("title"),
            band(
                "detail",
                el("field", field="a"),
                el("field", name="when", field="b", format={"kind": "date", "pattern": "yyyy"}),
            ),
        ],
    )
    with pytest.raises(EvaluationError, match=r"bands\[1\]\.elements\[1\] \(field 'when'\).*date"):
        fill(report, [{"a": 1, "b": "not a date"}])
    report = make_report(
        bands=[band("summary", el("expression", expression="'x'", format={"kind": "number"}))]
    )
    with pytest.raises(EvaluationError, match=r"bands\[0\]\.elements\[0\] \(expression\)"):
        fill(report, None)
