"""Edit ▸ Cut, Copy, Paste and Duplicate: JSON on the system clipboard, between windows, one undo step each."""

from __future__ import annotations

import json

from PySide6.QtGui import QGuiApplication

from designer.clipboard import ELEMENTS_MIME, PASTE_OFFSET, parse_elements
from designer.commands import SetPropertyCommand

from .helpers import band_ref, click, element_ref, scene_point, view_point


def without_position(element):
    return element.model_dump(exclude={"x", "y", "x2", "y2"})


def test_copy_puts_our_mime_and_plain_json_on_the_clipboard(make_window):
    window = make_window()
    doc = window.document
    refs = [element_ref(doc, "detail", 0), element_ref(doc, "detail", 2)]
    doc.set_selection(refs)
    window.edit_actions.copy_action.trigger()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasFormat(ELEMENTS_MIME)
    data = json.loads(mime.text())  # pastes into a text editor as readable JSON
    assert [e["field"] for e in data["elements"]] == ["InvoiceDate", "Customer"]
    assert parse_elements(mime.text()) == [doc.element(r) for r in refs]
    assert doc.undo_stack.count() == 0


def test_copy_in_one_window_paste_in_another(make_window):
    a, b = make_window(), make_window()
    ref = element_ref(a.document, "detail", 2)
    original = a.document.element(ref)
    a.document.set_selection([ref])
    a.edit_actions.copy_action.trigger()
    summary = band_ref(b.document, "summary")
    b.document.set_selection([summary])
    count = len(b.document.element_refs(summary))
    b.edit_actions.paste_action.trigger()
    refs = b.document.element_refs(summary)
    assert len(refs) == count + 1 and b.document.selection == [refs[-1]]
    pasted = b.document.element(refs[-1])
    assert without_position(pasted) == without_position(original)
    assert (pasted.x, pasted.y) == (original.x + PASTE_OFFSET, original.y + PASTE_OFFSET)
    assert b.document.undo_stack.count() == 1
    assert a.document.undo_stack.count() == 0
    b.undo_action.trigger()
    assert len(b.document.element_refs(summary)) == count


def test_paste_goes_to_the_band_last_clicked(make_window):
    window = make_window()
    doc = window.document
    doc.set_selection([element_ref(doc, "title", 0)])
    window.edit_actions.copy_action.trigger()
    summary = band_ref(doc, "summary")
    click(window.view, view_point(window.view, scene_point(window.view, summary, 300, 40)))
    doc.set_selection([])
    window.edit_actions.paste_action.trigger()
    assert doc.band_ref_of(doc.selection[0]) == summary


def test_cut_then_paste_several_is_one_step_each(make_window):
    window = make_window()
    doc = window.document
    header = band_ref(doc, "column_header")
    refs = list(doc.element_refs(header)[:3])
    before = [doc.element(r) for r in refs]
    doc.set_selection(refs)
    window.edit_actions.cut_action.trigger()
    assert not set(refs) & set(doc.element_refs())
    doc.set_selection([header])
    window.edit_actions.paste_action.trigger()
    pasted = [doc.element(r) for r in doc.selection]
    assert [without_position(e) for e in pasted] == [without_position(e) for e in before]
    assert [e.x for e in pasted] == [e.x + PASTE_OFFSET for e in before]
    assert doc.undo_stack.count() == 2


def test_duplicate_keeps_each_copy_in_its_band_and_renames(make_window):
    window = make_window()
    doc = window.document
    title, detail = element_ref(doc, "title", 0), element_ref(doc, "detail", 0)
    doc.push(SetPropertyCommand(doc, title, "name", "heading"))
    doc.set_selection([title, detail])
    window.edit_actions.duplicate_action.trigger()
    copies = doc.selection
    assert [doc.band_ref_of(r) for r in copies] == [doc.band_ref_of(title), doc.band_ref_of(detail)]
    assert doc.element(copies[0]).name == "heading_2"
    assert doc.element(copies[1]).x == doc.element(detail).x + PASTE_OFFSET
    assert doc.undo_stack.count() == 2


def test_foreign_clipboard_text_pastes_nothing(make_window):
    window = make_window()
    QGuiApplication.clipboard().setText("not a report element")
    window.document.set_selection([])
    window.edit_actions.paste_action.trigger()
    assert window.document.undo_stack.count() == 0
