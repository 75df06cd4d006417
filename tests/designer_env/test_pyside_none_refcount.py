"""Regression: PySide6 6.12 on CPython 3.11 aborted with 'none_dealloc' after a few thousand None-returning calls."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QWidget
    app = QApplication([])
    w = QWidget()
    for i in range(20_000):
        w.resize(100 + i % 50, 80)   # returns None
        w.move(i % 30, 5)            # returns None
    print("clean")
    """
)


def test_twenty_thousand_none_returning_calls_exit_cleanly():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "clean"
    assert "none_dealloc" not in proc.stderr
