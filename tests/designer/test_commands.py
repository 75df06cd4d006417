"""Every undo command: redo then undo restores the report exactly, undo then redo reapplies it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from designer.commands import (
    AddBandCommand,
    AddElementCommand,
    Move,
    MoveElementsCommand,
    RemoveBandCommand,
    RemoveElementsCommand,
    ResizeElementCommand,
    SetBandHeightCommand,
    SetPropertyCommand,
    nudge,
)
from designer.geometry import Box
from designer.palette import new_element
from engine.model import BAND_TYPES


def band_ref(document, band_type):
    for ref, band in zip(document.band_refs(), document.report.bands, strict=True):
        if band.type == band_type:
            return ref
    raise LookupError(band_type)


def first_element(document, band_type):
    return document.element_refs(band_ref(document, band_type))[0]


def make_add_element(doc):
    return AddElementCommand(doc, band_ref(doc, "detail"), new_element("label", 10, 2))


def make_remove_elements(doc):
    refs = [first_element(doc, "detail"), first_element(doc, "title")]
    return RemoveElementsCommand(doc, refs)


def make_move_within_band(doc):
    ref = first_element(doc, "detail")
    return MoveElementsCommand(doc, [Move(ref, band_ref(doc, "detail"), 20, 3)])


def make_move_across_bands(doc):
    detail, summary = band_ref(doc, "detail"), band_ref(doc, "summary")
    refs = doc.element_refs(detail)[:2]
    return MoveElementsCommand(doc, [Move(refs[0], summary, 0, 30), Move(refs[1], summary, 85, 30)])


def make_nudge_line(doc):
    return nudge(
        doc, [first_element(doc, "title"), doc.element_refs(band_ref(doc, "title"))[2]], 1, -10
    )


def make_resize(doc):
    return ResizeElementCommand(doc, first_element(doc, "detail"), Box(0, 0, 120, 15))


def make_resize_line(doc):
    line = doc.element_refs(band_ref(doc, "title"))[2]
    return ResizeElementCommand(doc, line, Box(10, 40, 300, 0))


def make_set_text(doc):
    return SetPropertyCommand(doc, first_element(doc, "title"), "text", "Sales")


def make_set_nested(doc):
    line = doc.element_refs(band_ref(doc, "title"))[2]
    return SetPropertyCommand(doc, line, "stroke.width", 3.0)


def make_set_band_property(doc):
    return SetPropertyCommand(doc, band_ref(doc, "detail"), "background", "#fafafa")


def make_set_report_property(doc):
    return SetPropertyCommand(doc, None, "page.margins.left", 50.0)


def make_add_band(doc):
    return AddBandCommand(
        doc, BAND_TYPES["page_header"].model_validate({"type": "page_header", "height": 20})
    )


def make_remove_band(doc):
    return RemoveBandCommand(doc, band_ref(doc, "group_header"))


def make_band_height(doc):
    return SetBandHeightCommand(doc, band_ref(doc, "detail"), 30)


MAKERS = [
    make_add_element, make_remove_elements, make_move_within_band, make_move_across_bands,
    make_nudge_line, make_resize, make_resize_line, make_set_text, make_set_nested,
    make_set_band_property, make_set_report_property, make_add_band, make_remove_band,
    make_band_height,
]  # fmt: skip


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__.removeprefix("make_"))
def test_redo_undo_restores_and_undo_redo_reapplies(document, make):
    original = document.report
    original_refs = (document.state.band_refs, document.state.element_refs)
    command = make(document)
    command.redo()
    changed = document.report
    assert changed != original
    command.undo()
    assert document.report == original
    assert (document.state.band_refs, document.state.element_refs) == original_refs
    command.redo()
    assert document.report == changed
    command.undo()
    assert document.report == original


def test_commands_through_the_stack_track_modified(document, qtbot):
    with qtbot.waitSignal(document.modified_changed):
        document.push(make_set_text(document))
    assert document.modified
    document.undo_stack.undo()
    assert not document.modified


def test_move_across_bands_keeps_refs_and_lands_in_target(document):
    detail, summary = band_ref(document, "detail"), band_ref(document, "summary")
    moved = document.element_refs(detail)[0]
    document.push(MoveElementsCommand(document, [Move(moved, summary, 5, 30)]))
    assert document.band_ref_of(moved) == summary
    element = document.element(moved)
    assert (element.x, element.y, element.field) == (5, 30, "InvoiceDate")


def test_set_property_merges_consecutive_edits(document):
    ref = first_element(document, "title")
    for text in ("S", "Sa", "Sal"):
        document.push(SetPropertyCommand(document, ref, "text", text))
    assert document.undo_stack.count() == 1
    assert document.element(ref).text == "Sal"
    document.push(SetPropertyCommand(document, ref, "size", 20.0))
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.element(ref).text == "Invoices by Country"


def test_merge_back_to_the_original_value_leaves_no_step(document):
    ref = first_element(document, "title")
    document.push(SetPropertyCommand(document, ref, "text", "X"))
    document.push(SetPropertyCommand(document, ref, "text", "Invoices by Country"))
    assert document.undo_stack.count() == 0
    assert not document.modified


def test_invalid_value_raises_before_anything_changes(document):
    before = document.report
    with pytest.raises(ValidationError):
        SetPropertyCommand(document, first_element(document, "title"), "color", "red")
    with pytest.raises(ValidationError):
        ResizeElementCommand(document, first_element(document, "detail"), Box(0, 0, 0, 10))
    assert document.report is before


def test_element_refs_survive_inserts(document):
    detail = band_ref(document, "detail")
    refs = document.element_refs(detail)
    customer = document.element(refs[2])
    document.push(AddElementCommand(document, detail, new_element("box", 0, 0), index=0))
    assert document.element(refs[2]) == customer
    assert document.element_refs(detail)[1:] == refs


def make_add_elements(doc):
    from designer.commands import AddElementsCommand

    return AddElementsCommand(
        doc,
        [(band_ref(doc, "detail"), new_element("field", 0, 0)),
         (band_ref(doc, "column_header"), new_element("label", 0, 0))],
    )  # fmt: skip


def make_replace_elements(doc):
    from designer.commands import ReplaceElementsCommand

    ref = first_element(doc, "detail")
    return ReplaceElementsCommand(doc, {ref: doc.element(ref).replace(x=33.0)}, "Align")


def make_restack(doc):
    from designer.commands import RestackElementsCommand

    return RestackElementsCommand(doc, [first_element(doc, "detail")], front=True)


def make_set_shared_property(doc):
    refs = tuple(doc.element_refs(band_ref(doc, "detail"))[:3])
    return SetPropertyCommand(doc, refs, "bold", True)


def make_replace_report(doc):
    from designer.commands import ReplaceReportCommand

    return ReplaceReportCommand(
        doc, doc.report.model_copy(update={"title": "Recovered"}), "Recover"
    )


@pytest.mark.parametrize(
    "make",
    [make_add_elements, make_replace_elements, make_restack, make_set_shared_property,
     make_replace_report],
    ids=lambda f: f.__name__.removeprefix("make_"),
)  # fmt: skip
def test_new_commands_redo_undo_restore(document, make):
    test_redo_undo_restores_and_undo_redo_reapplies(document, make)
