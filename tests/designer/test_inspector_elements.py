"""Typed editors of every element kind: stroke, fill, image source, chart, barcode, subreport, aggregate."""

from __future__ import annotations

import base64

import pytest
from PySide6.QtCore import Qt

from designer.commands import AddElementCommand
from designer.inspector import InspectorPanel
from designer.palette import new_element
from engine.data import FieldInfo
from engine.model import ELEMENT_TYPES, ImageSource, Stroke

from .helpers import band_ref, element_ref


@pytest.fixture
def panel(document, qtbot):
    document.set_fields([FieldInfo("Total", "decimal"), FieldInfo("Picture", "bytes")])
    panel = InspectorPanel(document)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def add(document, element_type):
    """Add an element of a type to the detail band, select it and start a fresh undo history."""
    command = AddElementCommand(
        document, band_ref(document, "detail"), new_element(element_type, 5, 2)
    )
    document.push(command)
    document.undo_stack.clear()
    document.set_selection([command.ref])
    return command.ref


def undone_once(document, ref, before):
    """One undo step restores the element exactly."""
    document.undo_stack.undo()
    return document.element(ref) == before


def type_into(qtbot, line, text):
    line.selectAll()
    qtbot.keyClicks(line, text)


def test_line_stroke_width_colour_and_dash(panel, document, qtbot):
    ref = element_ref(document, "title", 2)
    document.set_selection([ref])
    before = document.element(ref)
    panel.set_unit("mm")
    type_into(qtbot, panel.editor("stroke.width").line, "1")
    assert document.element(ref).stroke.width == pytest.approx(2.835, abs=0.001)
    assert undone_once(document, ref, before)
    type_into(qtbot, panel.editor("stroke.color").line, "#ff0000")
    assert document.element(ref).stroke.color == "#ff0000"
    assert undone_once(document, ref, before)
    combo = panel.editor("stroke.dash").combo
    combo.setCurrentIndex(combo.findData("dashed"))
    assert document.element(ref).stroke.dash == "dashed"
    assert undone_once(document, ref, before)


def test_box_no_outline_fill_and_radius(panel, document, qtbot):
    ref = add(document, "box")
    before = document.element(ref)
    panel.editor("stroke").box.setChecked(True)
    assert document.element(ref).stroke is None
    assert "stroke.width" not in panel.editors  # nothing to draw, nothing to edit
    panel.editor("stroke").box.setChecked(False)
    assert document.element(ref).stroke == Stroke()
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    assert document.element(ref).stroke is None
    assert panel.editor("stroke").box.isChecked()
    assert undone_once(document, ref, before)
    type_into(qtbot, panel.editor("fill").line, "#e0f2fe")
    assert document.element(ref).fill == "#e0f2fe"
    assert undone_once(document, ref, before)
    type_into(qtbot, panel.editor("radius").line, "4")
    assert document.element(ref).radius == 4
    assert undone_once(document, ref, before)


def test_image_fit_and_source_kinds(panel, document, qtbot, tmp_path):
    ref = add(document, "image")
    before = document.element(ref)
    combo = panel.editor("fit").combo
    combo.setCurrentIndex(combo.findData("cover"))
    assert document.element(ref).fit == "cover"
    assert undone_once(document, ref, before)

    editor = panel.editor("source")
    picture = tmp_path / "img" / "dot.png"
    picture.parent.mkdir()
    picture.write_bytes(b"\x89PNG fake")
    editor.ask_file = lambda: str(picture)
    editor.browse_button.click()
    source = document.element(ref).source
    assert source.field is None and source.data is None and source.file.endswith("img/dot.png")
    assert undone_once(document, ref, before)

    editor.pick_kind("field")
    assert document.element(ref).source == before.source  # nothing given yet: nothing set
    assert editor.property("invalid")
    qtbot.keyClicks(editor.field_combo.lineEdit(), "Picture")
    assert document.element(ref).source == ImageSource(field="Picture")
    assert document.undo_stack.count() == 1  # typing the name is one step
    assert undone_once(document, ref, before)

    editor.ask_file = lambda: str(picture)
    editor.load_button.click()
    assert document.element(ref).source == ImageSource(
        data=base64.b64encode(b"\x89PNG fake").decode()
    )
    assert "bytes embedded" in editor.data_label.text()
    assert undone_once(document, ref, before)
    assert editor.kind.currentData() == "file" and editor.file_line.text() == "logo.png"


def test_chart_sub_form(panel, document, qtbot):
    ref = add(document, "chart")
    before = document.element(ref)
    assert "chart" in panel.groups
    combo = panel.editor("chart.kind").combo
    combo.setCurrentIndex(combo.findData("pie"))
    assert document.element(ref).chart.kind == "pie"
    assert undone_once(document, ref, before)
    category = panel.editor("chart.category")
    type_into(qtbot, category.line, "Totl")
    assert category.property("invalid") and document.element(ref) == before
    type_into(qtbot, category.line, "Total")
    assert document.element(ref).chart.category == "Total"
    assert undone_once(document, ref, before)
    qtbot.keyClicks(panel.editor("chart.title").line, "Sales")
    assert document.element(ref).chart.title == "Sales"
    assert undone_once(document, ref, before)
    scope = panel.editor("chart.scope")
    assert scope.choices() == ["report", "page", "group:country"]
    scope.pick("group:country")
    assert document.element(ref).chart.scope == "group:country"
    assert undone_once(document, ref, before)
    panel.editor("chart.stacked").box.setChecked(True)
    assert document.element(ref).chart.stacked is True
    assert undone_once(document, ref, before)
    type_into(qtbot, panel.editor("chart.max_points").line, "20")
    assert document.element(ref).chart.max_points == 20
    assert undone_once(document, ref, before)
    bucket = panel.editor("chart.bucket").combo
    assert bucket.itemText(0) == "(none)"
    bucket.setCurrentIndex(bucket.findData("month"))
    assert document.element(ref).chart.bucket == "month"
    assert undone_once(document, ref, before)


def test_barcode_symbology_and_value(panel, document, qtbot):
    ref = add(document, "barcode")
    before = document.element(ref)
    combo = panel.editor("symbology").combo
    combo.setCurrentIndex(combo.findData("code128"))
    assert document.element(ref).symbology == "code128"
    assert undone_once(document, ref, before)
    type_into(qtbot, panel.editor("value").line, "str(Total)")
    assert document.element(ref).value == "str(Total)"
    assert undone_once(document, ref, before)


def test_subreport_report_path(panel, document, qtbot, tmp_path):
    ref = add(document, "subreport")
    before = document.element(ref)
    editor = panel.editor("report")
    other = document.path.parent / "sub" / "lines.ashr"
    editor.ask_file = lambda: str(other)
    editor.browse_button.click()
    assert document.element(ref).report == "sub/lines.ashr"
    assert undone_once(document, ref, before)
    editor.line.selectAll()
    qtbot.keyClick(editor.line, Qt.Key.Key_Delete)
    assert editor.property("invalid") and document.element(ref) == before


def test_aggregate_keys_and_page_number_text(panel, document, qtbot):
    ref = element_ref(document, "summary", 8)
    document.set_selection([ref])
    before = document.element(ref)
    calc = panel.editor("calculation").combo
    calc.setCurrentIndex(calc.findData("average"))
    assert document.element(ref).calculation == "average"
    assert undone_once(document, ref, before)
    type_into(qtbot, panel.editor("expression").line, "Total * 2")
    assert document.element(ref).expression == "Total * 2"
    assert undone_once(document, ref, before)
    panel.editor("scope").pick("group:country")
    assert document.element(ref).scope == "group:country"
    assert undone_once(document, ref, before)
    fmt = panel.editor("format").kind
    fmt.setCurrentIndex(fmt.findData("number"))
    assert document.element(ref).format.kind == "number"
    assert undone_once(document, ref, before)
    qtbot.keyClicks(panel.editor("null_text").line, "-")
    assert document.element(ref).null_text == "-"
    assert undone_once(document, ref, before)

    page = element_ref(document, "page_footer", 2)
    document.set_selection([page])
    before = document.element(page)
    type_into(qtbot, panel.editor("text").line, "{page}/{pages}")
    assert document.element(page).text == "{page}/{pages}"
    assert undone_once(document, page, before)


def _leaf_fields(model, prefix=""):
    """Every field path of a model, nested models (stroke, chart) walked into."""
    for name in type(model).model_fields:
        if name == "type":
            continue
        value = getattr(model, name)
        yield f"{prefix}{name}"
        if hasattr(type(value), "model_fields") and name not in ("source",):
            yield from _leaf_fields(value, f"{prefix}{name}.")


@pytest.mark.parametrize("element_type", sorted(ELEMENT_TYPES))
def test_every_field_of_every_element_type_has_an_editor(panel, document, element_type):
    ref = add(document, element_type)
    element = document.element(ref)
    assert type(element) is ELEMENT_TYPES[element_type]
    missing = [
        path
        for path in _leaf_fields(element)
        if path not in panel.editors and not any(p.startswith(f"{path}.") for p in panel.editors)
    ]
    assert missing == []
    assert {"stroke", "source", "conditional_styles", "parameters", "chart"} & set(
        ELEMENT_TYPES[element_type].model_fields
    ) <= {p.split(".")[0] for p in panel.editors}
