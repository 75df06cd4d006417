"""The built-in report templates: what each one reads from the bundled Chinook sample and how it groups and totals."""

from __future__ import annotations

from dataclasses import dataclass

from engine.model import SqlSource
from engine.paths import RESOURCES

#: the bundled sample database the templates start from
CHINOOK = RESOURCES / "examples" / "chinook.sqlite"


@dataclass(frozen=True)
class Template:
    """A starting point: the sample query, the fields shown, grouping, totals and sort order."""

    key: str
    caption: str
    description: str
    title: str
    #: the query over the Chinook sample
    query: str
    #: fields shown, in order
    fields: tuple[str, ...]
    group_by: str | None
    #: numeric fields summed per group and for the report
    totals: tuple[str, ...]
    sort: tuple[str, ...]
    #: what one row is, for counts ("invoice" → "12 invoices")
    noun: str


def chinook_source(query: str) -> SqlSource:
    """An SQL source reading the bundled Chinook sample by its absolute path."""
    return SqlSource(kind="sql", url=f"sqlite:///{CHINOOK}", query=query)


TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template(
            key="sales",
            caption="Sales",
            description="Invoices grouped by country, with a subtotal per country and a grand total.",
            title="Sales by Country",
            query=(
                "SELECT i.InvoiceId, i.InvoiceDate, i.BillingCountry, i.BillingCity,\n"
                "       c.FirstName || ' ' || c.LastName AS Customer, i.Total\n"
                "FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId"
            ),
            fields=("InvoiceDate", "InvoiceId", "Customer", "BillingCity", "Total"),
            group_by="BillingCountry",
            totals=("Total",),
            sort=("InvoiceDate", "InvoiceId"),
            noun="invoice",
        ),
        Template(
            key="customers",
            caption="Customer list",
            description="Customers with their company, city and e-mail, listed by country with counts.",
            title="Customer List",
            query=(
                "SELECT CustomerId, FirstName || ' ' || LastName AS Name, Company, City,\n"
                "       Country, Email, Phone\n"
                "FROM Customer"
            ),
            fields=("Name", "Company", "City", "Email"),
            group_by="Country",
            totals=(),
            sort=("Name",),
            noun="customer",
        ),
        Template(
            key="inventory",
            caption="Inventory",
            description="The track catalogue by genre: album, media type and price, with price totals.",
            title="Track Inventory",
            query=(
                "SELECT t.TrackId, t.Name AS Track, a.Title AS Album, g.Name AS Genre,\n"
                "       m.Name AS Media, t.UnitPrice\n"
                "FROM Track t\n"
                "JOIN Album a ON a.AlbumId = t.AlbumId\n"
                "JOIN Genre g ON g.GenreId = t.GenreId\n"
                "JOIN MediaType m ON m.MediaTypeId = t.MediaTypeId"
            ),
            fields=("Track", "Album", "Media", "UnitPrice"),
            group_by="Genre",
            totals=("UnitPrice",),
            sort=("Track", "TrackId"),
            noun="track",
        ),
    )
}
