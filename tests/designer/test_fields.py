"""The Fields dock: declared fields on open, fields read in a worker thread on Refresh Fields, parameters and variables, drops that add a field and its label."""

from __future__ import annotations

import threading

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDockWidget

import designer.workers.introspection as introspection
from designer.fields import field_mime
from designer.mainwindow import MainWindow
from engine.errors import ReportInputError

from .conftest import INVOICES
from .helpers import band_ref, scene_point, view_point


def wait_for_fields(qtbot, window):
    qtbot.waitUntil(lambda: not window.document.fields_loading, timeout=10000)


def trusting(monkeypatch):
    """The user answers Trust to every trust prompt (tests/designer/test_trust.py drives the real one)."""
    monkeypatch.setattr(MainWindow, "ask_trust", lambda self, request: True)


def test_fields_are_read_off_the_gui_thread_then_listed(qtbot, monkeypatch):
    threads = []
    real = introspection.introspect_fields

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(introspection, "introspect_fields", spy)
    trusting(monkeypatch)
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_file(INVOICES)
    assert window.fields.entries()["Total"] == "decimal"  # declared in the file: nothing read
    assert threads == []
    window.refresh_fields_action.trigger()
    assert window.fields.notes() == ["loading…"]
    wait_for_fields(qtbot, window)
    assert threads and threads[-1] is not threading.main_thread()
    entries = window.fields.entries()
    assert entries["Total"] == "decimal" and entries["InvoiceDate"] == "datetime"
    assert entries["params.start"] == "date"
    assert entries["vars.country_total"] == "sum"
    assert window.findChild(QDockWidget, "fieldsDock").widget() is window.fields


def test_an_unreadable_source_shows_its_error_in_the_dock(qtbot, monkeypatch):
    def broken(*args, **kwargs):
        raise ReportInputError("cannot open chinook.sqlite: no such file")

    monkeypatch.setattr(introspection, "introspect_fields", broken)
    trusting(monkeypatch)
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_file(INVOICES)
    window.refresh_fields()
    wait_for_fields(qtbot, window)
    assert any("no such file" in note for note in window.fields.notes())
    assert window.fields.entries().get("Total") is None


def drop(view, source, pos):
    mime = field_mime(source)  # QDropEvent does not own it: keep it alive
    event = QDropEvent(
        QPointF(pos), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    view.dropEvent(event)
    return event.isAccepted()


def test_dropping_a_field_on_the_detail_band_adds_it_and_its_column_label(make_window, qtbot):
    window = make_window()
    wait_for_fields(qtbot, window)
    doc = window.document
    detail, header = band_ref(doc, "detail"), band_ref(doc, "column_header")
    counts = len(doc.element_refs(detail)), len(doc.element_refs(header))
    view = window.view
    drop(view, "Total", view_point(view, scene_point(view, detail, 301, 2)))
    field = doc.element(doc.element_refs(detail)[-1])
    label = doc.element(doc.element_refs(header)[-1])
    assert (field.type, field.field, field.x, field.y) == ("field", "Total", 300, 0)
    assert (label.type, label.text, label.x) == ("label", "Total", 300)
    assert label.y + label.height <= doc.band(header).height
    assert doc.undo_stack.count() == 1
    window.undo_action.trigger()
    assert (len(doc.element_refs(detail)), len(doc.element_refs(header))) == counts


def test_dropping_a_variable_elsewhere_adds_an_expression_only(make_window):
    window = make_window()
    doc = window.document
    summary = band_ref(doc, "summary")
    total = len(doc.element_refs())
    view = window.view
    drop(view, "=vars.grand_total", view_point(view, scene_point(view, summary, 100, 10)))
    element = doc.element(doc.element_refs(summary)[-1])
    assert (element.type, element.expression) == ("expression", "vars.grand_total")
    assert len(doc.element_refs()) == total + 1
