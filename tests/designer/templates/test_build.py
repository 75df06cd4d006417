"""The template builder (no Qt): every template validates and renders to a PDF whose totals match SQL."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pymupdf
import pytest

from designer.templates import (
    CHINOOK,
    TEMPLATES,
    Column,
    ReportSpec,
    build_report,
    chinook_source,
    report_problems,
)
from designer.templates.build import caption, field_ref, identifier
from designer.templates.look import report_look, tint
from engine.data import introspect_fields
from engine.model import dump_report, load_report
from engine.render import render_report


def template_spec(key, **changes):
    template = TEMPLATES[key]
    source = chinook_source(template.query)
    fields = {f.name: f for f in introspect_fields(source)}
    spec = ReportSpec(
        name=key,
        title=template.title,
        source=source,
        columns=tuple(Column(n, fields[n].type) for n in template.fields),
        group_by=Column(template.group_by, fields[template.group_by].type),
        totals=template.totals,
        sort=template.sort,
        noun=template.noun,
        subtitle=template.description,
    )
    return spec.__class__(**{**spec.__dict__, **changes}), fields


def sql(query):
    with sqlite3.connect(CHINOOK) as conn:
        return conn.execute(query).fetchall()


def money(value) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.01')):,}"


def pdf_lines(report):
    result = render_report(report)
    doc = pymupdf.open(stream=result.pages[0], filetype="pdf")
    lines = [line for page in doc for line in page.get_text().splitlines()]
    return doc, lines


def footers(lines, prefix):
    """{label line: the line after it} for every line starting with `prefix`."""
    return {line: lines[i + 1] for i, line in enumerate(lines) if line.startswith(prefix)}


def plural(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_validates_and_survives_save_and_load(key, tmp_path):
    spec, fields = template_spec(key)
    report = build_report(spec)
    assert report_problems(report, fields) == []
    path = tmp_path / f"{key}.ashr"
    path.write_text(dump_report(report), encoding="utf-8")
    assert load_report(path) == report


def test_sales_subtotals_and_grand_total_match_sql():
    spec, _ = template_spec("sales", theme="corporate")
    doc, lines = pdf_lines(build_report(spec))
    expected = {
        f"Subtotal {country} · {plural(n, 'invoice')}": money(total)
        for country, n, total in sql(
            "SELECT BillingCountry, COUNT(*), SUM(Total) FROM Invoice GROUP BY BillingCountry"
        )
    }
    assert footers(lines, "Subtotal ") == expected
    ((n, total),) = sql("SELECT COUNT(*), SUM(Total) FROM Invoice")
    assert footers(lines, "Grand total") == {f"Grand total · {n} invoices": money(total)}
    assert lines[0] == "Sales by Country"
    # the corporate theme sets serif headings
    assert any("Serif" in font[3] for font in doc[0].get_fonts())


def test_customer_list_counts_per_country_match_sql():
    spec, _ = template_spec("customers", theme="minimal")
    _, lines = pdf_lines(build_report(spec))
    counts = sql("SELECT Country, COUNT(*) FROM Customer GROUP BY Country")
    footer_lines = [line for line in lines if " · " in line and not line.startswith("Grand")]
    assert footer_lines == [f"{c} · {plural(n, 'customer')}" for c, n in counts]
    ((n,),) = sql("SELECT COUNT(*) FROM Customer")
    assert f"Grand total · {n} customers" in lines


@pytest.mark.slow
def test_inventory_price_totals_per_genre_match_sql():
    spec, _ = template_spec("inventory", theme="vibrant", brand="#0f766e")
    doc, lines = pdf_lines(build_report(spec))
    query = """SELECT g.Name, COUNT(*), SUM(t.UnitPrice) FROM Track t JOIN Genre g ON g.GenreId = t.GenreId
               GROUP BY g.Name"""
    expected = {
        f"Subtotal {genre} · {plural(n, 'track')}": money(total) for genre, n, total in sql(query)
    }
    assert footers(lines, "Subtotal ") == expected
    ((n, total),) = sql("SELECT COUNT(*), SUM(UnitPrice) FROM Track")
    assert footers(lines, "Grand total") == {f"Grand total · {n} tracks": money(total)}
    assert doc.page_count > 50


def test_no_grouping_and_a_logo(tmp_path):
    import pymupdf

    logo = tmp_path / "logo.png"
    picture = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 20), False)
    picture.set_rect(picture.irect, (15, 118, 110))
    picture.save(str(logo))
    spec, fields = template_spec("sales", group_by=None, logo=str(logo))
    report = build_report(spec)
    assert report.groups == ()
    assert report_problems(report, fields) == []
    doc, lines = pdf_lines(report)
    assert not any(line.startswith("Subtotal") for line in lines)
    assert doc[0].get_images()  # the logo is drawn


def test_themes_and_brand_colour_set_the_look():
    looks = {name: report_look(name) for name in ("default", "corporate", "minimal", "vibrant")}
    assert len({look.accent for look in looks.values()}) == 4
    assert {s["font"] for s in looks["corporate"].styles if s["name"] == "title"} == {
        "Liberation Serif"
    }
    branded = report_look("corporate", "#0f766e")
    assert branded.accent == "#0f766e" and branded.line_color == "#0f766e"
    assert branded.header_fill == tint("#0f766e", 0.88)
    assert tint("#0f76", 0.5) == tint("#00ff77", 0.5) == "#80ffbb"
    assert report_look("minimal", "#0f766e").header_fill is None  # minimal draws no fills
    assert {s["color"] for s in branded.styles if s["name"] in ("title", "group_heading")} == {
        "#0f766e"
    }


def test_names_and_refs_of_awkward_fields():
    assert field_ref("Total") == "Total"
    assert field_ref("Unit Price") == "field('Unit Price')"
    assert field_ref("class") == "field('class')"
    assert identifier("Billing Country") == "billing_country"
    assert identifier("InvoiceDate") == "invoice_date"
    assert identifier("2024 sales") == "_2024_sales"
    assert caption("InvoiceDate") == "Invoice Date"


def test_a_total_must_be_a_column():
    spec, _ = template_spec("sales", totals=("Nope",))
    with pytest.raises(ValueError, match="Nope"):
        build_report(spec)
