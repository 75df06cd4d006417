"""Shared fixtures of the designer tests: offscreen Qt, the bundled fonts, the example report."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from engine.model import load_report

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
INVOICES = EXAMPLES / "invoices_by_country.ashr"


@pytest.fixture(scope="session", autouse=True)
def _designer_fonts(qapp):
    from designer.app import setup_application

    setup_application(qapp)


@pytest.fixture
def invoices_report():
    return load_report(INVOICES)


@pytest.fixture
def document(invoices_report, qapp):
    from designer.document import ReportDocument

    return ReportDocument(invoices_report, INVOICES)
