"""Start-up: bundled fonts, `run` with a file, and `python -m designer`."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from designer.app import UI_FONT, register_fonts, run

from .conftest import INVOICES


def test_bundled_fonts_are_registered_and_used(qapp):
    assert UI_FONT in register_fonts()
    assert qapp.font().family() == UI_FONT


def test_run_opens_the_file_given(qapp, monkeypatch):
    """run() with exec() replaced by a local event loop: quitting the application itself would
    leave its event dispatcher stopped for the rest of the session (timers, queued signals)."""
    opened = []
    loop = QEventLoop()
    monkeypatch.setattr(QApplication, "exec", lambda *args: loop.exec())

    def check_and_quit():
        windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
        opened.extend(w.document.path for w in windows if w.isVisible())
        for w in windows:
            w.close()
        loop.quit()

    QTimer.singleShot(50, check_and_quit)
    assert run([str(INVOICES)]) == 0
    assert INVOICES.resolve() in opened


def test_python_m_designer_answers_help():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-m", "designer", "--help"],
        capture_output=True, text=True, timeout=60, check=False, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "ashr-designer" in proc.stdout
