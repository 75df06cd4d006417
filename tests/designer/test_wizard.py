"""File ▸ New from Template: the wizard driven page by page; its report validates, opens and renders."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pymupdf
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard

from designer.templates import CHINOOK, report_problems
from designer.wizard import NewReportWizard
from engine.render import render_report

from .conftest import EXAMPLES


def _wizard(qtbot):
    wizard = NewReportWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _next(qtbot, wizard):
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def _wait_fields(qtbot, wizard):
    qtbot.waitUntil(lambda: wizard.fields_page.isComplete(), timeout=10000)


def test_customer_list_with_chosen_fields_grouping_theme_and_brand(qtbot, tmp_path):
    wizard = _wizard(qtbot)
    wizard.template_page.list.setCurrentRow(1)  # Customer list
    assert wizard.template_page.title_edit.text() == "Customer List"
    wizard.template_page.title_edit.setText("Customers by Country")
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.source_page
    assert wizard.source_page.form.url() == f"sqlite:///{CHINOOK}"
    _next(qtbot, wizard)
    _wait_fields(qtbot, wizard)
    page = wizard.fields_page
    page.set_checked(["Name", "City", "Email"])
    page.list.setCurrentRow(3)  # Email (after Name, Company, City)
    qtbot.mouseClick(page.up_button, Qt.MouseButton.LeftButton)
    assert [c.name for c in page.columns()] == ["Name", "Email", "City"]
    _next(qtbot, wizard)
    assert wizard.grouping_page.group_combo.currentText() == "Country"
    assert wizard.grouping_page.totals() == ()
    _next(qtbot, wizard)
    theme = wizard.theme_page
    theme.theme_combo.setCurrentIndex(theme.theme_combo.findData("corporate"))
    qtbot.keyClicks(theme.brand_field.line, "#0f766e")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    report = wizard.report
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert report.title == "Customers by Country" and report.theme == "corporate"
    assert [g.expression for g in report.groups] == ["Country"]
    detail = next(b for b in report.bands if b.type == "detail")
    assert [e.field for e in detail.elements] == ["Name", "Email", "City"]
    assert report_problems(report, [f.name for f in page.fields]) == []
    result = render_report(report)
    doc = pymupdf.open(stream=result.pages[0], filetype="pdf")
    text = "\n".join(p.get_text() for p in doc)
    with sqlite3.connect(CHINOOK) as conn:
        (n,) = conn.execute("SELECT COUNT(*) FROM Customer WHERE Country = 'Canada'").fetchone()
    assert f"Canada · {n} customers" in text
    assert "Grouped by Country" in text


def test_another_source_with_an_undeclared_parameter_is_refused(qtbot):
    wizard = _wizard(qtbot)
    _next(qtbot, wizard)
    form = wizard.source_page.form
    form.query_edit.setPlainText("SELECT * FROM Invoice WHERE Total > :minimum")
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.source_page
    assert ":minimum" in wizard.source_page.error_label.text()
    qtbot.mouseClick(wizard.source_page.sample_button, Qt.MouseButton.LeftButton)
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.fields_page


def test_file_menu_wizard_opens_the_sales_report_that_renders_its_grand_total(qtbot, make_window):
    window = make_window(path=None)

    def drive():
        wizard = QApplication.activeModalWidget()
        assert isinstance(wizard, NewReportWizard)
        wizard.next()
        wizard.next()
        _wait_fields(qtbot, wizard)
        wizard.next()
        wizard.next()
        wizard.button(QWizard.WizardButton.FinishButton).click()

    QTimer.singleShot(0, drive)
    window.new_template_action.trigger()
    report = window.document.report
    assert report.title == "Sales by Country"
    assert window.document.path is None and not window.document.modified
    assert [b.type for b in report.bands].count("group_footer") == 1
    result = render_report(report)
    doc = pymupdf.open(stream=result.pages[0], filetype="pdf")
    last = doc[doc.page_count - 1].get_text().splitlines()
    with sqlite3.connect(EXAMPLES / "chinook.sqlite") as conn:
        (n, total) = conn.execute("SELECT COUNT(*), SUM(Total) FROM Invoice").fetchone()
    index = last.index(f"Grand total · {n} invoices")
    assert last[index + 1] == f"{Decimal(str(total)).quantize(Decimal('0.01')):,}"


def test_source_page_lists_the_sample_tables_for_a_table_choice(qtbot):
    wizard = _wizard(qtbot)
    wizard.template_page.list.setCurrentRow(2)  # Inventory
    _next(qtbot, wizard)
    form = wizard.source_page.form
    qtbot.waitUntil(lambda: "Track" in form.tables(), timeout=10000)
    form.table_radio.setChecked(True)
    form.table_combo.setCurrentText("Genre")
    _next(qtbot, wizard)
    _wait_fields(qtbot, wizard)
    # another source: every field starts ticked
    assert [c.name for c in wizard.fields_page.columns()] == ["GenreId", "Name"]
    _next(qtbot, wizard)
    assert wizard.grouping_page.group_combo.currentText() == "(no grouping)"
    wizard.grouping_page.set_totals([])
    _next(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    report = wizard.report
    assert report.data_source.table == "Genre" and report.groups == ()
    doc = pymupdf.open(stream=render_report(report).pages[0], filetype="pdf")
    with sqlite3.connect(CHINOOK) as conn:
        (n,) = conn.execute("SELECT COUNT(*) FROM Genre").fetchone()
    assert f"Grand total · {n} rows" in doc[0].get_text()
