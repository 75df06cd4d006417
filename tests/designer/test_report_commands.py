"""Undo commands on the report's page, groups and band order: redo then undo restores the report exactly."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from designer.commands import (
    ReorderBandsCommand,
    SetGroupsCommand,
    SetReportKeyCommand,
    SetStylesCommand,
)
from engine.model import BAND_TYPES, Group, Page, Parameter, Variable

from .helpers import band_ref


def make_page(doc):
    page = Page.model_validate({"size": "a4", "orientation": "landscape"})
    return SetReportKeyCommand(doc, "page", page, "Page setup")


def make_variables(doc):
    extra = Variable(name="n", expression="1", calculation="count")
    return SetReportKeyCommand(doc, "variables", (*doc.report.variables, extra), "Add variable")


def make_parameters(doc):
    return SetReportKeyCommand(
        doc, "parameters", (Parameter(name="limit", type="integer", default=5),), "Parameters"
    )


def make_group_rename(doc):
    groups = (doc.report.groups[0].replace(name="nation"),)
    return SetGroupsCommand(doc, groups, "Rename group", renames={"country": "nation"})


def make_group_add_with_bands(doc):
    groups = (*doc.report.groups, Group(name="customer", expression="Customer"))
    bands = [
        BAND_TYPES[t].model_validate({"type": t, "group": "customer", "height": 20})
        for t in ("group_header", "group_footer")
    ]
    return SetGroupsCommand(doc, groups, "Add group", add_bands=bands)


def make_reorder(doc):
    order = list(reversed(doc.band_refs()))
    return ReorderBandsCommand(doc, order)


def make_style_rename(doc):
    styles = tuple(s.replace(name="body") if s.name == "detail" else s for s in doc.report.styles)
    return SetStylesCommand(doc, styles, "Rename style", renames={"detail": "body"})


def make_style_remove(doc):
    styles = tuple(s for s in doc.report.styles if s.name != "total")
    return SetStylesCommand(doc, styles, "Remove style")


def make_theme(doc):
    return SetReportKeyCommand(doc, "theme", "vibrant", "Theme")


MAKERS = [
    make_page, make_variables, make_parameters, make_group_rename, make_group_add_with_bands,
    make_reorder, make_style_rename, make_style_remove, make_theme,
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


def test_renaming_a_group_renames_its_bands_and_variables(document):
    document.push(make_group_rename(document))
    report = document.report
    assert {b.group for b in report.bands if b.type.startswith("group_")} == {"nation"}
    assert {v.reset_group for v in report.variables if v.reset == "group"} == {"nation"}


def test_styles_renamed_or_removed_carry_the_elements_references(document):
    used = [e.style for _, _, e in document.iter_elements()]
    document.push(make_style_rename(document))
    document.push(make_style_remove(document))
    after = [e.style for _, _, e in document.iter_elements()]
    expected = [{"detail": "body", "total": None}.get(s, s) for s in used]
    assert after == expected and used.count("detail") and used.count("total")


def test_reorder_keeps_elements_with_their_bands(document):
    detail = band_ref(document, "detail")
    elements = document.element_refs(detail)
    document.push(make_reorder(document))
    assert document.band_refs()[-1 - 3] == detail
    assert document.element_refs(detail) == elements
    assert document.band(detail).type == "detail"


def test_reorder_refuses_an_order_that_is_not_a_permutation(document):
    with pytest.raises(ValueError):
        ReorderBandsCommand(document, document.band_refs()[1:])


def test_bad_report_value_raises_before_anything_changes(document):
    before = document.report
    with pytest.raises(ValidationError):
        SetReportKeyCommand(document, "page", {"size": "b9"}, "Page setup")
    with pytest.raises(ValueError):
        SetReportKeyCommand(document, "bands", (), "No bands")
    assert document.report == before
