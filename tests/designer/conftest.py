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
def _designer_fonts(qapp, tmp_path_factory):
    from PySide6.QtCore import QSettings

    from designer.app import setup_application

    # preferences, recent files and window layouts of the tests stay out of the user's own
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        str(tmp_path_factory.mktemp("settings")),
    )
    setup_application(qapp)


@pytest.fixture(autouse=True)
def _autosave_dir(tmp_path, monkeypatch):
    from designer.autosave import DIR_ENV

    folder = tmp_path / "autosave"
    monkeypatch.setenv(DIR_ENV, str(folder))
    return folder


@pytest.fixture
def invoices_report():
    return load_report(INVOICES)


@pytest.fixture
def document(invoices_report, qapp):
    from designer.document import ReportDocument

    return ReportDocument(invoices_report, INVOICES)


@pytest.fixture
def make_window(qtbot, monkeypatch):
    """A factory of shown main windows, each with the example report open; closing discards."""
    from PySide6.QtWidgets import QMessageBox

    from designer.mainwindow import MainWindow

    monkeypatch.setattr(
        MainWindow, "ask_save_changes", lambda self: QMessageBox.StandardButton.Discard
    )
    # the user trusts the reports these tests open (tests/designer/test_trust.py asks for real)
    monkeypatch.setattr(MainWindow, "ask_trust", lambda self, request: True)

    def make(path=INVOICES):
        window = MainWindow()
        qtbot.addWidget(window)
        if path is not None:
            assert window.open_file(path)
        window.show()
        qtbot.waitExposed(window)
        window.view.report_scene.grid = 5.0
        return window

    return make
