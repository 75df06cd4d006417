"""The grouped listing as a ReportBro report definition, and a worker that renders it from SQLite to PDF.

The definition is the JSON document ReportBro Designer saves (``docElements``, ``parameters``,
``styles``, ``documentProperties``), written here by hand from reportbro-lib's source. The
listing is one table element over the array parameter ``items``: a header band that repeats
on every page, a content row with ``groupExpression`` before the detail row (the group
header), the detail row, a content row with the same ``groupExpression`` after it (the group
footer, where the ``sum`` parameter is evaluated over the group's row range) and a table
footer with the grand total (the same ``sum`` over all rows). "Page x of y" is a text
element in the page footer band.

``python -m bench.reportbro_listing DB OUT.pdf`` reads the ``items`` table, builds the
``Report`` and writes the PDF; the clock inside covers read, build and ``generate_pdf``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from .measure import report

INSTALL_HINT = (
    "reportbro-lib is not installed, so the ReportBro comparison cannot run. Install the pinned "
    "version with: .venv/bin/pip install -r bench/requirements.txt"
)

# Column widths in pt: the same boxes as bench/grouped_listing.ashr (A4, 36 pt margins, 523 pt).
_WIDTHS = (60, 210, 113, 140)
_FONT = {"font": "helvetica", "fontSize": 9, "lineSpacing": 1, "textColor": "#000000"}
_PAD = {"paddingLeft": 1, "paddingTop": 1, "paddingRight": 1, "paddingBottom": 1}


def reportbro_available() -> bool:
    try:
        import reportbro  # noqa: F401
    except ImportError:
        return False
    return True


class _Ids:
    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


def _cell(ids: _Ids, content: str, *, align: str = "left", bold: bool = False,
          pattern: str = "", width: int, **style: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "id": ids.next(), "width": width, "content": content, "eval": False, "pattern": pattern,
        "horizontalAlignment": align, "verticalAlignment": "middle", "bold": bold,
        **_FONT, **_PAD, **style,
    }  # fmt: skip


def _band(ids: _Ids, height: int, cells: list[dict[str, Any]], **keys: Any) -> dict[str, Any]:
    return {"id": ids.next(), "height": height, "columnData": cells, **keys}


def reportbro_definition() -> dict[str, Any]:
    """The grouped listing as a ReportBro report definition (a fresh dict: Report mutates it)."""
    ids = _Ids()
    w_id, w_name, w_day, w_amount = _WIDTHS
    rule = {"borderColor": "#000000", "borderWidth": 0.75}
    header = _band(ids, 18, [
        _cell(ids, "Id", align="right", bold=True, width=w_id, borderBottom=True, **rule),
        _cell(ids, "Name", bold=True, width=w_name, borderBottom=True, **rule),
        _cell(ids, "Date", bold=True, width=w_day, borderBottom=True, **rule),
        _cell(ids, "Amount", align="right", bold=True, width=w_amount, borderBottom=True, **rule),
    ], repeatHeader=True)  # fmt: skip
    group_header = _band(ids, 18, [
        _cell(ids, "${category}", bold=True, width=w_id, colspan=4),
        _cell(ids, "", width=w_name), _cell(ids, "", width=w_day), _cell(ids, "", width=w_amount),
    ], groupExpression="${category}")  # fmt: skip
    detail = _band(ids, 14, [
        _cell(ids, "${id}", align="right", width=w_id, pattern="0"),
        _cell(ids, "${name}", width=w_name),
        _cell(ids, "${day}", width=w_day, pattern="yyyy-MM-dd"),
        _cell(ids, "${amount}", align="right", width=w_amount, pattern="#,##0.00"),
    ])  # fmt: skip
    group_footer = _band(ids, 18, [
        _cell(ids, "", width=w_id),
        _cell(ids, "Subtotal ${category}", bold=True, width=w_name, colspan=2),
        _cell(ids, "", width=w_day),
        _cell(ids, "${category_total}", align="right", bold=True, width=w_amount, pattern="#,##0.00"),
    ], groupExpression="${category}")  # fmt: skip
    footer = _band(ids, 20, [
        _cell(ids, "", width=w_id, borderTop=True, **rule),
        _cell(ids, "Grand total", bold=True, width=w_name, colspan=2, borderTop=True, **rule),
        _cell(ids, "", width=w_day, borderTop=True, **rule),
        _cell(ids, "${grand_total}", align="right", bold=True, width=w_amount, pattern="#,##0.00",
              borderTop=True, **rule),
    ])  # fmt: skip
    table = {
        "elementType": "table", "id": ids.next(), "containerId": "0_content",
        "x": 0, "y": 0, "width": sum(_WIDTHS), "height": 0,
        "dataSource": "${items}", "columns": 4, "border": "none",
        "header": True, "headerData": header,
        "contentDataRows": [group_header, detail, group_footer],
        "footer": True, "footerData": footer,
    }  # fmt: skip
    page_footer = {
        "elementType": "text", "id": ids.next(), "containerId": "0_footer",
        "x": 323, "y": 2, "width": 200, "height": 14,
        "content": "Page ${page_number} of ${page_count}", "eval": False,
        "horizontalAlignment": "right", "verticalAlignment": "middle", **_FONT, **_PAD,
    }  # fmt: skip
    item_fields = [("id", "number"), ("name", "string"), ("category", "string"),
                   ("day", "date"), ("amount", "number")]  # fmt: skip
    parameters = [
        {"id": ids.next(), "name": "page_count", "type": "number", "eval": False},
        {"id": ids.next(), "name": "page_number", "type": "number", "eval": False},
        {"id": ids.next(), "name": "items", "type": "array", "eval": False,
         "children": [{"id": ids.next(), "name": n, "type": t, "eval": False} for n, t in item_fields]},
        {"id": ids.next(), "name": "category_total", "type": "sum", "expression": "${items.amount}"},
        {"id": ids.next(), "name": "grand_total", "type": "sum", "expression": "${items.amount}"},
    ]  # fmt: skip
    return {
        "docElements": [table, page_footer],
        "parameters": parameters,
        "styles": [],
        "version": 6,
        "documentProperties": {
            "pageFormat": "A4", "orientation": "portrait", "unit": "mm",
            "contentHeight": "", "marginLeft": 36, "marginTop": 36, "marginRight": 36,
            "marginBottom": 36, "header": False, "footer": True, "footerDisplay": "always",
            "footerSize": 18, "patternLocale": "en", "patternCurrencySymbol": "$",
            "creationDate": "2024-01-01 00:00:00",
        },
    }  # fmt: skip


def read_items(db: Path) -> list[dict[str, Any]]:
    """The ``items`` rows in print order (category, then id) with ReportBro's value types."""
    con = sqlite3.connect(db)
    try:
        cursor = con.execute(
            "SELECT id, name, category, day, amount FROM items ORDER BY category, id"
        )
        return [
            {"id": Decimal(i), "name": name, "category": category,
             "day": dt.datetime.fromisoformat(day), "amount": Decimal(amount)}
            for i, name, category, day, amount in cursor
        ]  # fmt: skip
    finally:
        con.close()


def render_reportbro(db: Path, out: Path) -> dict[str, Any]:
    """Read, build and render the listing with ReportBro; the timings of each step."""
    from reportbro import Report

    start = time.perf_counter()
    items = read_items(db)
    read = time.perf_counter()
    rb_report = Report(reportbro_definition(), {"items": items})
    if rb_report.errors:
        raise RuntimeError(f"ReportBro refused the definition: {rb_report.errors}")
    built = time.perf_counter()
    pdf = rb_report.generate_pdf()
    done = time.perf_counter()
    out.write_bytes(bytes(pdf))
    return {
        "seconds": done - start,
        "read": read - start,
        "build": built - read,
        "generate_pdf": done - built,
        "pages": rb_report.page_count,
    }


def _worker(argv: list[str]) -> int:
    if not reportbro_available():
        sys.stderr.write(INSTALL_HINT + "\n")
        return 3
    db, out = Path(argv[0]), Path(argv[1])
    import reportbro  # noqa: F401  (imported before the clock, like the engine in our worker)

    report(render_reportbro(db, out))
    return 0


if __name__ == "__main__":
    raise SystemExit(_worker(sys.argv[1:]))
