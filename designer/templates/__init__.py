"""New-report templates without Qt: the built-in templates (Sales, Customer list, Inventory) and the report builder."""

from __future__ import annotations

from .build import Column, ReportSpec, build_report, report_problems
from .catalogue import CHINOOK, TEMPLATES, Template, chinook_source

__all__ = [
    "CHINOOK",
    "TEMPLATES",
    "Column",
    "ReportSpec",
    "Template",
    "build_report",
    "chinook_source",
    "report_problems",
]
