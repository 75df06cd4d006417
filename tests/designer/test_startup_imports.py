"""What opening the designer loads: not pyqtgraph/numpy (the progress plots), SQLAlchemy nor pyarrow, until they are needed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "resources" / "examples" / "invoices_by_country.ashr"
)

_SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from designer.mainwindow import MainWindow
window = MainWindow()
assert window.open_file(sys.argv[1])
heavy = sorted({name.split(".")[0] for name in sys.modules} & {"pyqtgraph", "numpy", "sqlalchemy", "pyarrow"})
print("heavy:", ",".join(heavy) or "none")
"""


def test_opening_a_report_does_not_import_the_plotting_or_sqlalchemy_stacks():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(EXAMPLE)],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "heavy: none" in done.stdout
