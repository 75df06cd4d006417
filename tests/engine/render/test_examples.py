"""The example reports rendered by the CLI: every total, count and page furniture checked against SQL."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest

from .helpers import EXAMPLES, chinook_sql, cli_popen, line_top, number, page_lines, usd

NAMES = ("invoices_by_country", "customers_by_country_city", "track_catalogue")
TITLES = {
    "invoices_by_country": "Invoices by Country",
    "customers_by_country_city": "Customers by Country and City",
    "track_catalogue": "Track Catalogue",
}
COLUMN_HEADERS = {
    "invoices_by_country": ["Date", "Invoice", "Customer", "Total"],
    "customers_by_country_city": ["Name", "Company", "Email", "Phone"],
    "track_catalogue": ["Track", "Artist", "Time", "Price"],
}
FOOTER = "AshReports example — Chinook sample database (MIT licence)"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Each example rendered once with `python -m engine render X.ashr -o X.pdf` (in parallel)."""
    out = tmp_path_factory.mktemp("examples")
    procs = {
        name: cli_popen("render", EXAMPLES / f"{name}.ashr", "-o", out / f"{name}.pdf")
        for name in NAMES
    }
    for name, proc in procs.items():
        _stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert stderr == "", f"{name}: unexpected warnings: {stderr}"
    return {name: out / f"{name}.pdf" for name in NAMES}


@pytest.fixture(scope="module")
def pages(pdfs) -> dict[str, list[list[str]]]:
    """The text lines of every page of every example."""
    texts = {}
    for name, path in pdfs.items():
        with pymupdf.open(path) as doc:
            texts[name] = [page_lines(page) for page in doc]
    return texts


def body(page: list[str], name: str, first: bool) -> list[str]:
    """A page's lines without the page furniture (title, column header, footer)."""
    start = 2 if first else 0
    if page[start : start + 4] == COLUMN_HEADERS[name]:  # checked on its own below
        start += 4
    assert page[-2] == FOOTER
    return page[start:-2]


def flow(pages: list[list[str]], name: str) -> list[str]:
    return [line for i, page in enumerate(pages) for line in body(page, name, i == 0)]


# -- page furniture, every example ----------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_page_numbers_count_the_real_pages(pdfs, name):
    with pymupdf.open(pdfs[name]) as doc:
        n = doc.page_count
        assert n > 1
        for i, page in enumerate(doc, start=1):
            assert page_lines(page)[-1] == f"Page {i} of {n}"


@pytest.mark.parametrize("name", NAMES)
def test_column_header_and_footer_on_every_page(pages, name):
    for i, page in enumerate(pages[name]):
        start = 2 if i == 0 else 0
        assert page[start : start + 4] == COLUMN_HEADERS[name], f"page {i + 1}"
        assert page[-2] == FOOTER, f"page {i + 1}"


@pytest.mark.parametrize("name", NAMES)
def test_title_above_column_header_on_page_one_only(pdfs, name):
    with pymupdf.open(pdfs[name]) as doc:
        first, second = doc[0], doc[1]
        title = line_top(first, TITLES[name])
        header = line_top(first, COLUMN_HEADERS[name][0])
        assert title < header
        assert header - title > 40  # the whole 54 pt title band lies between them
        assert TITLES[name] not in page_lines(second)
        # on page 2 the column header moves up by the height of the title band (54 pt)
        assert header - line_top(second, COLUMN_HEADERS[name][0]) == pytest.approx(54, abs=0.5)


@pytest.mark.parametrize("name", NAMES)
def test_fonts_are_embedded_liberation_sans(pdfs, name):
    with pymupdf.open(pdfs[name]) as doc:
        for i in range(doc.page_count):
            fonts = doc.get_page_fonts(i)
            assert fonts, f"page {i + 1} has no fonts"
            for _xref, ext, _type, basefont, _name, _enc in fonts:
                assert ext != "n/a", f"{basefont} is not embedded"
                # Typst names it LiberationSans-Bold; page numbers stamped on chunked
                # renders (PyMuPDF) name the same bundled file "Liberation Sans Regular"
                assert "LiberationSans" in basefont.replace(" ", ""), basefont
        names = {f[3].split("+")[-1] for f in doc.get_page_fonts(0)}
        assert {"LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic"} <= names


# -- invoices_by_country --------------------------------------------------------------------

COUNTRY_SQL = """
SELECT BillingCountry, COUNT(*), SUM(CAST(ROUND(Total * 100) AS INTEGER))
FROM Invoice WHERE InvoiceDate >= '2009-01-01'
GROUP BY BillingCountry ORDER BY BillingCountry
"""


def invoices_text(n: int) -> str:
    return f"{n} invoice" if n == 1 else f"{n} invoices"


def test_invoice_subtotals_and_counts_per_country(pages):
    lines = flow(pages["invoices_by_country"], "invoices_by_country")
    footers = [
        (lines[i][len("Subtotal ") :], lines[i - 1], lines[i + 1])
        for i, line in enumerate(lines)
        if line.startswith("Subtotal ")
    ]
    expected = [(c, invoices_text(n), usd(cents)) for c, n, cents in chinook_sql(COUNTRY_SQL)]
    assert footers == expected


def test_invoice_group_headers_show_the_whole_group_count(pages):
    lines = flow(pages["invoices_by_country"], "invoices_by_country")
    counts = {c: invoices_text(n) for c, n, _ in chinook_sql(COUNTRY_SQL)}
    headers = [
        (line, lines[i + 1])
        for i, line in enumerate(lines[:-1])
        if line in counts and re.fullmatch(r"\d+ invoices?", lines[i + 1])
    ]
    assert {c for c, _ in headers} == set(counts)
    for country, count in headers:
        assert count == counts[country], country


def test_invoice_header_reprinted_on_every_page_its_group_continues(pages):
    country_of = dict(chinook_sql("SELECT CAST(InvoiceId AS TEXT), BillingCountry FROM Invoice"))
    counts = {c: invoices_text(n) for c, n, _ in chinook_sql(COUNTRY_SQL)}
    continued = 0
    for number_, page in enumerate(pages["invoices_by_country"][1:], start=2):
        lines = body(page, "invoices_by_country", first=False)
        # the group of the first detail or group footer on the page
        first = next(
            (
                country_of[lines[i + 1]]
                if re.fullmatch(r"\d{4}-\d\d-\d\d", line)
                else line.removeprefix("Subtotal ")
                for i, line in enumerate(lines)
                if re.fullmatch(r"\d{4}-\d\d-\d\d", line) or line.startswith("Subtotal ")
            ),
            None,
        )
        if first is None:
            continue  # the summary page
        assert lines[:2] == [first, counts[first]], f"page {number_}"
        continued += first in " ".join(pages["invoices_by_country"][number_ - 2])
    assert continued >= 3  # groups really do continue across pages (Brazil, Canada, USA...)


def test_invoice_grand_total_count_and_average(pages):
    (count, cents, largest) = chinook_sql(
        "SELECT COUNT(*), SUM(CAST(ROUND(Total * 100) AS INTEGER)), "
        "MAX(CAST(ROUND(Total * 100) AS INTEGER)) FROM Invoice WHERE InvoiceDate >= '2009-01-01'"
    )[0]
    summary = pages["invoices_by_country"][-1]
    average = (Decimal(cents) / count).quantize(Decimal(1))
    assert summary[4:12] == [
        "Grand total",
        usd(cents),
        "Invoices",
        str(count),
        "Average invoice",
        usd(average),
        "Largest invoice",
        usd(largest),
    ]


def test_invoice_details_in_group_then_date_order(pages):
    lines = flow(pages["invoices_by_country"], "invoices_by_country")
    ids = [lines[i + 1] for i, line in enumerate(lines) if re.fullmatch(r"\d{4}-\d\d-\d\d", line)]
    expected = chinook_sql(
        "SELECT CAST(InvoiceId AS TEXT) FROM Invoice WHERE InvoiceDate >= '2009-01-01' "
        "ORDER BY BillingCountry, InvoiceDate, InvoiceId"
    )
    assert ids == [r[0] for r in expected]


# -- customers_by_country_city --------------------------------------------------------------


def customers_text(n: int) -> str:
    return f"{n} customer" if n == 1 else f"{n} customers"


def test_customer_counts_per_country_and_city(pages):
    lines = flow(pages["customers_by_country_city"], "customers_by_country_city")
    countries = [line for line in lines if line.startswith("Customers in ")]
    assert countries == [
        f"Customers in {c}: {n}"
        for c, n in chinook_sql(
            "SELECT Country, COUNT(*) FROM Customer GROUP BY Country ORDER BY Country"
        )
    ]
    cities = [
        line
        for line in lines
        if re.fullmatch(r"\d+ customers? in .*", line)
        and not re.fullmatch(r".* in \d+ cit(y|ies)", line)
    ]
    assert cities == [
        f"{customers_text(n)} in {city}"
        for city, n in chinook_sql(
            "SELECT COALESCE(City, '(no city)'), COUNT(*) FROM Customer "
            "GROUP BY Country, City ORDER BY Country, City"
        )
    ]


def test_customer_country_headers_count_customers_and_cities(pages):
    lines = flow(pages["customers_by_country_city"], "customers_by_country_city")
    expected = {
        c: f"{customers_text(n)} in {k} {'city' if k == 1 else 'cities'}"
        for c, n, k in chinook_sql(
            "SELECT Country, COUNT(*), COUNT(DISTINCT City) FROM Customer GROUP BY Country"
        )
    }
    headers = [
        (line, lines[i + 1])
        for i, line in enumerate(lines[:-1])
        if line in expected and re.fullmatch(r"\d+ customers? in \d+ cit(y|ies)", lines[i + 1])
    ]
    assert {c for c, _ in headers} == set(expected)
    assert len(headers) > len(expected)  # some headers are reprinted on the next page
    for country, text in headers:
        assert text == expected[country], country


def test_customer_summary(pages):
    summary = pages["customers_by_country_city"][-1]
    (customers, countries) = chinook_sql("SELECT COUNT(*), COUNT(DISTINCT Country) FROM Customer")[
        0
    ]
    assert summary[-6:-2] == ["Customers", str(customers), "Countries", str(countries)]


def test_customer_cities_kept_together(pages):
    """keep_together on the city group: a city's header, customers and footer share one page."""
    names: dict[tuple[str, str], list[str]] = {}
    for country, city, name in chinook_sql(
        "SELECT Country, City, FirstName || ' ' || LastName FROM Customer"
    ):
        names.setdefault((country, city), []).append(name)
    seen = 0
    for number_, page in enumerate(pages["customers_by_country_city"], start=1):
        for i, line in enumerate(page):
            match = re.fullmatch(r"\d+ customers? in (.*)", line)
            if not match or " cit" in line[-7:]:
                continue
            city = match.group(1)
            group = [k for k in names if k[1] == city]
            assert len(group) == 1, city
            assert city in page[:i], f"city header of {city} not on page {number_}"
            for name in names[group[0]]:
                assert name in page[:i], f"{name} ({city}) not on page {number_}"
            seen += 1
    assert seen == len(names)


# -- track_catalogue --------------------------------------------------------------------------

ALBUM_SQL = """
SELECT g.Name, al.Title, COUNT(*), SUM(t.Milliseconds)
FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId JOIN Genre g ON g.GenreId = t.GenreId
GROUP BY g.Name, al.Title ORDER BY g.Name, al.Title
"""
GENRE_SQL = """
SELECT g.Name, COUNT(DISTINCT al.Title), COUNT(*), SUM(t.Milliseconds)
FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId JOIN Genre g ON g.GenreId = t.GenreId
GROUP BY g.Name ORDER BY g.Name
"""
ALBUM_FOOTER = re.compile(r"\d+ tracks?, [\d,]+\.\d min")


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def test_track_album_footers_count_tracks_and_minutes(pages):
    lines = flow(pages["track_catalogue"], "track_catalogue")
    footers = [line for line in lines if ALBUM_FOOTER.fullmatch(line)]
    expected = [
        f"{plural(n, 'track')}, {number(Decimal(ms) / 60000, '#,##0.0')} min"
        for _g, _a, n, ms in chinook_sql(ALBUM_SQL)
    ]
    assert footers == expected


def test_track_genre_headers_and_footers(pages):
    lines = flow(pages["track_catalogue"], "track_catalogue")
    genres = chinook_sql(GENRE_SQL)
    footers = [line for line in lines if re.fullmatch(r".*: \d+ albums?, .* hours", line)]
    assert footers == [
        f"{g}: {plural(a, 'album')}, {plural(n, 'track')}, "
        f"{number(Decimal(ms) / 3600000, '#,##0.0')} hours"
        for g, a, n, ms in genres
    ]
    expected = {g: f"{plural(a, 'album')}, {plural(n, 'track')}" for g, a, n, _ in genres}
    headers = [
        (line, lines[i + 1])
        for i, line in enumerate(lines[:-1])
        if line in expected and re.fullmatch(r"\d+ albums?, \d+ tracks?", lines[i + 1])
    ]
    assert {g for g, _ in headers} == set(expected)
    for genre, text in headers:
        assert text == expected[genre], genre


def test_track_summary(pages):
    (tracks, albums, genres, ms) = chinook_sql(
        "SELECT COUNT(*), COUNT(DISTINCT al.Title), COUNT(DISTINCT g.Name), SUM(t.Milliseconds) "
        "FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId JOIN Genre g ON g.GenreId = t.GenreId"
    )[0]
    assert pages["track_catalogue"][-1][-10:-2] == [
        "Tracks",
        str(tracks),
        "Albums",
        str(albums),
        "Genres",
        str(genres),
        "Total playing time",
        f"{number(Decimal(ms) / 3600000, '#,##0.0')} hours",
    ]


def test_track_albums_kept_together(pages):
    """keep_together on the album group: every album footer has all its tracks above it on its page."""
    checked = 0
    for number_, page in enumerate(pages["track_catalogue"], start=1):
        durations = 0
        for line in page:
            if re.fullmatch(r"\d+:\d\d", line):
                durations += 1
            elif ALBUM_FOOTER.fullmatch(line):
                assert line.startswith(f"{durations} track"), f"page {number_}: {line}"
                durations = 0
                checked += 1
            elif re.fullmatch(r"\d+ albums?, \d+ tracks?", line):
                durations = 0  # a genre header: a new album starts below it
    assert checked == len(chinook_sql(ALBUM_SQL))


def test_track_durations_formatted_as_minutes_and_seconds(pages):
    lines = flow(pages["track_catalogue"], "track_catalogue")
    durations = [line for line in lines if re.fullmatch(r"\d+:\d\d", line)]
    expected = chinook_sql(
        "SELECT (t.Milliseconds / 60000) || ':' || printf('%02d', (t.Milliseconds / 1000) % 60) "
        "FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId JOIN Genre g ON g.GenreId = t.GenreId "
        "ORDER BY g.Name, al.Title, t.TrackId"
    )
    assert durations == [r[0] for r in expected]
