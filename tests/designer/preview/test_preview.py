"""The preview pane: real pages of a Chinook example, navigation, zoom, search, the row cache, parameters, errors."""

from __future__ import annotations

import sqlite3

import pymupdf

from designer.commands import SetPropertyCommand
from engine.errors import ReportError
from engine.model import load_report
from engine.render import render_report

from ..conftest import EXAMPLES, INVOICES
from ..helpers import element_ref
from .conftest import settle, wait_until

CHINOOK = EXAMPLES / "chinook.sqlite"
START = "2009-01-01"


def sql(query, *args):
    with sqlite3.connect(CHINOOK) as conn:
        return conn.execute(query, args).fetchall()


def page_text(pdf: bytes, index: int) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return doc[index].get_text()


def dark_pixels(image, rect) -> int:
    """Pixels darker than mid-grey inside a rectangle of an image."""
    count = 0
    for y in range(int(rect.top()), int(rect.bottom()), 2):
        for x in range(int(rect.left()), int(rect.right()), 2):
            if image.pixelColor(x, y).lightness() < 100:
                count += 1
    return count


def test_preview_shows_the_pages_and_text_of_page_one(preview_window, qtbot, tmp_path):
    window = preview_window()
    pane = window.preview.pane
    # as many pages as a reader of the engine's own PDF sees
    engine_pdf = render_report(load_report(INVOICES), base_dir=INVOICES.parent).pages[0]
    with pymupdf.open(stream=engine_pdf, filetype="pdf") as doc:
        expected_pages = doc.page_count
    assert pane.view.page_count == expected_pages > 1
    assert pane.page_box.text() == f"1 / {expected_pages}"
    # page 1 shows the first country, its first invoice's customer and its subtotal (from SQL)
    country, total = sql(
        "SELECT BillingCountry, printf('%.2f', sum(Total)) FROM Invoice WHERE InvoiceDate >= ?"
        " GROUP BY BillingCountry ORDER BY BillingCountry LIMIT 1",
        START,
    )[0]
    (customer,) = sql(
        "SELECT c.FirstName || ' ' || c.LastName FROM Invoice i JOIN Customer c USING (CustomerId)"
        " WHERE i.BillingCountry = ? AND i.InvoiceDate >= ? ORDER BY i.InvoiceDate, i.InvoiceId LIMIT 1",
        country,
        START,
    )[0]
    text = page_text(window.preview.controller.last_result.pdf, 0)
    assert "Invoices by Country" in text
    assert country in text and customer in text and total in text
    # the painted page has the rendered text on it (not just a blank sheet)
    window.preview.dock.setFloating(True)
    window.preview.dock.resize(640, 860)
    pane.view.fit_width()
    settle(qtbot, 0.8)
    shot = pane.view.viewport().grab().toImage()
    box = pane.view.page_rect(0).translated(0, -pane.view.verticalScrollBar().value())
    assert dark_pixels(shot, box.intersected(shot.rect().toRectF())) > 200
    window.preview.dock.grab().save(str(tmp_path / "preview.png"))


def test_navigation_and_zoom(preview_window, qtbot):
    window = preview_window()
    pane = window.preview.pane
    view = pane.view
    count = view.page_count
    pane.last_action.trigger()
    wait_until(qtbot, lambda: pane.page_box.value() >= count - 1)
    pane.first_action.trigger()
    wait_until(qtbot, lambda: pane.page_box.value() == 1)
    pane.next_action.trigger()
    assert view.current_page() == 1 and pane.page_box.text() == f"2 / {count}"
    pane.prev_action.trigger()
    assert view.current_page() == 0
    pane.page_box.setValue(3)
    assert view.current_page() == 2
    pane.fit_page_action.trigger()
    whole = view.page_rect(0)
    assert whole.height() <= view.viewport().height()
    pane.fit_width_action.trigger()
    assert abs(view.page_rect(0).width() - (view.viewport().width() - 26)) < 3
    before = view.zoom
    pane.zoom_in_action.trigger()
    assert view.zoom > before and pane.zoom_label.text() == f"{round(view.zoom * 100)} %"
    pane.zoom_out_action.trigger()
    pane.zoom_out_action.trigger()
    assert view.zoom < before
    # at a high zoom the visible part comes as tiles, no more than the view needs
    view.set_zoom(4.0)
    settle(qtbot, 0.5)
    tiles = [k for k in view._tiles if not k.is_thumb and k.scale == view._device_scale()]
    assert tiles and len(tiles) <= 12


def test_search_finds_and_highlights_a_customer(preview_window, qtbot, tmp_path):
    window = preview_window()
    pane = window.preview.pane
    customer, invoices = sql(
        "SELECT c.FirstName || ' ' || c.LastName, count(*) FROM Invoice i JOIN Customer c USING (CustomerId)"
        " WHERE i.BillingCountry = 'Brazil' AND i.InvoiceDate >= ? GROUP BY c.CustomerId"
        " ORDER BY c.LastName LIMIT 1",
        START,
    )[0]
    with qtbot.waitSignal(pane.renderer.search_finished, timeout=20_000):
        pane.search_box.setText(customer)
    hits = sum(len(r) for r in pane.hits.values())
    assert hits == invoices  # one detail row per invoice shows the customer's name
    assert pane.match_label.text() == f"1 of {invoices}"
    page, index = pane.current_hit
    assert customer in page_text(window.preview.controller.last_result.pdf, page)
    # the current hit is scrolled into view and painted orange
    settle(qtbot, 0.5)
    rect = pane.hits[page][index]
    box = pane.view.page_rect(page)
    x = box.left() + rect.center().x() * pane.view.scale - pane.view.horizontalScrollBar().value()
    y = box.top() + rect.center().y() * pane.view.scale - pane.view.verticalScrollBar().value()
    shot = pane.view.viewport().grab().toImage()
    colour = shot.pixelColor(int(x), int(y))
    assert colour.red() > 200 and colour.blue() < 170, colour.name()
    pane.find_next_action.trigger()
    assert pane.match_label.text() == f"2 of {invoices}"
    pane.find_prev_action.trigger()
    pane.find_prev_action.trigger()
    assert pane.match_label.text() == f"{invoices} of {invoices}"
    # an edit re-renders; the search stays, on the same match, and the view does not jump
    settle(qtbot, 0.3)
    scrolled = pane.view.verticalScrollBar().value()
    controller = window.preview.controller
    title = element_ref(window.document, "title", 0)
    with qtbot.waitSignal(pane.renderer.search_finished, timeout=30_000):
        window.document.push(SetPropertyCommand(window.document, title, "text", "Invoices"))
    assert controller.cache.hits >= 1
    assert pane.match_label.text() == f"{invoices} of {invoices}"
    assert pane.view.verticalScrollBar().value() == scrolled
    with qtbot.waitSignal(pane.renderer.search_finished, timeout=20_000):
        pane.search_box.setText("no such customer anywhere")
    assert pane.match_label.text() == "no matches"


def test_a_layout_edit_re_renders_from_the_cached_rows(preview_window, qtbot):
    window = preview_window()
    controller = window.preview.controller
    document = window.document
    assert (controller.cache.misses, controller.cache.hits) == (1, 0)
    title = element_ref(document, "title", 0)
    with qtbot.waitSignal(controller.rendered, timeout=30_000):
        document.push(SetPropertyCommand(document, title, "text", "Sales by Country"))
    assert controller.cache.hits == 1 and controller.cache.misses == 1  # no new query
    assert "Sales by Country" in page_text(controller.last_result.pdf, 0)
    # Refresh Data reads the source again
    with qtbot.waitSignal(controller.rendered, timeout=30_000):
        window.preview.refresh_action.trigger()
    assert controller.cache.misses == 2
    # a changed query is a changed data source: read again, and what it returns is shown
    query = document.report.data_source.query + " AND i.BillingCountry = 'Canada'"
    with qtbot.waitSignal(controller.rendered, timeout=30_000):
        document.push(SetPropertyCommand(document, None, "data_source.query", query))
    assert controller.cache.misses == 3
    text = page_text(controller.last_result.pdf, 0)
    assert "Canada" in text and "Argentina" not in text


def test_parameters_come_from_the_provider(preview_window, qtbot):
    window = preview_window()
    controller = window.preview.controller
    asked = []

    def provider(report, parent):
        asked.append(report.name)
        return {"start": "2025-01-01"}

    controller.parameter_provider = provider
    with qtbot.waitSignal(controller.rendered, timeout=30_000):
        window.preview.refresh_action.trigger()
    assert asked == ["invoices_by_country"]
    (first_date,) = sql(
        "SELECT min(date(InvoiceDate)) FROM Invoice WHERE InvoiceDate >= '2025-01-01'"
    )[0]
    text = page_text(controller.last_result.pdf, 0)
    assert "1 January 2025" in text and first_date in text
    assert START not in text
    # the user cancels the prompt: nothing renders and the pane says why
    controller.parameter_provider = lambda report, parent: None
    assert not controller.run_preview(ask=True)
    assert window.preview.pane.error_label.isVisible()


def test_an_engine_error_is_signalled_and_shown_in_the_pane(preview_window, qtbot):
    window = preview_window()
    controller = window.preview.controller
    document = window.document
    pages = window.preview.pane.view.page_count
    with qtbot.waitSignal(controller.failed, timeout=30_000) as failed:
        document.push(
            SetPropertyCommand(document, None, "data_source.query", "SELECT * FROM NoSuchTable")
        )
    error = failed.args[0]
    assert isinstance(error, ReportError)
    assert "NoSuchTable" in error.message
    label = window.preview.pane.error_label
    assert label.isVisible() and "NoSuchTable" in label.text()
    assert window.preview.pane.view.page_count == pages  # the last good pages stay
    with qtbot.waitSignal(controller.rendered, timeout=30_000):
        document.undo_stack.undo()
    assert not label.isVisible()


def test_a_render_error_is_listed_in_the_diagnostics_dock(preview_window, qtbot):
    window = preview_window()
    document = window.document
    with qtbot.waitSignal(window.preview.controller.failed, timeout=30_000):
        document.push(
            SetPropertyCommand(document, None, "data_source.query", "SELECT * FROM NoSuchTable")
        )
    rendered = [e.diagnostic.message for e in window.diagnostics.entries if e.source == "render"]
    assert any("NoSuchTable" in m for m in rendered), rendered
    with qtbot.waitSignal(window.preview.controller.rendered, timeout=30_000):
        document.undo_stack.undo()
    assert not [e for e in window.diagnostics.entries if e.source == "render"]
