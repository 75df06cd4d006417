"""File ▸ New from Template: the wizard that builds a themed report from a template and a data source."""

from __future__ import annotations

from .wizard import NewReportWizard, run_wizard

__all__ = ["NewReportWizard", "run_wizard"]
