"""The New from Template wizard: template → data source → fields → grouping and totals → theme; a valid Report out."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget, QWizard

from designer.templates import ReportSpec, build_report, chinook_source, report_problems
from designer.templates.build import caption, identifier
from engine.model import Report

from .lookpages import GroupingPage, ThemePage
from .sourcepages import FieldsPage, SourcePage, TemplatePage


class NewReportWizard(QWizard):
    """Asks for a template, source, fields, grouping, totals and look; `report` holds the result on Finish."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Report from Template")
        self.setObjectName("newReportWizard")
        self.setAccessibleName("New report from template")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.template_page = TemplatePage()
        self.source_page = SourcePage()
        self.fields_page = FieldsPage()
        self.grouping_page = GroupingPage()
        self.theme_page = ThemePage()
        for page in (
            self.template_page, self.source_page, self.fields_page,
            self.grouping_page, self.theme_page,
        ):  # fmt: skip
            self.addPage(page)
        self.report: Report | None = None
        self.resize(720, 560)

    def spec(self) -> ReportSpec:
        """What the pages say, as the builder's input."""
        template = self.template_page.template()
        names = {f.name for f in self.fields_page.fields}
        title = self.template_page.title_edit.text().strip()
        group = self.grouping_page.group_by()
        source = self.source_page.source
        return ReportSpec(
            name=identifier(title),
            title=title,
            source=source,
            columns=self.fields_page.columns(),
            group_by=group,
            totals=self.grouping_page.totals(),
            sort=tuple(n for n in template.sort if n in names),
            # counts name the template's rows only while it reads the template's own query
            noun=template.noun if source == chinook_source(template.query) else "row",
            subtitle=(f"Grouped by {caption(group.name)}" if group else template.description),
            theme=self.theme_page.theme(),
            brand=self.theme_page.brand(),
            logo=self.theme_page.logo(),
        )

    def finish_report(self) -> bool:
        """Build the report and check it as `ashr validate` would; False (with the reason shown) when it fails."""
        try:
            report = build_report(self.spec())
        except ValueError as exc:
            self.theme_page.error_label.setText(str(exc))
            return False
        problems = report_problems(report, [f.name for f in self.fields_page.fields])
        if problems:
            self.theme_page.error_label.setText("\n".join(d.format() for d in problems[:5]))
            return False
        self.report = report
        return True


def run_wizard(parent: QWidget | None = None) -> Report | None:
    """Show the wizard; the new report, or None when cancelled."""
    wizard = NewReportWizard(parent)
    accepted = wizard.exec() == QWizard.DialogCode.Accepted
    report = wizard.report if accepted else None
    wizard.deleteLater()
    return report
