"""Start-up: the QApplication with the bundled fonts, the main window, and the `ashr-designer` entry point."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from engine.paths import FONT_DIR

log = logging.getLogger(__name__)

#: the application font; the bundled Liberation fonts render even where the system has none
UI_FONT = "Liberation Sans"
APP_NAME = "AshReports Designer"


def register_fonts(font_dir: Path = FONT_DIR) -> list[str]:
    """Register every bundled .ttf with Qt and return the font families found."""
    families: set[str] = set()
    for path in sorted(font_dir.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("cannot load font %s", path)
            continue
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    return sorted(families)


def setup_application(app: QApplication) -> None:
    """Names, bundled fonts and the application font (idempotent: tests call it on their QApplication)."""
    if app.property("ashr_ready"):
        return
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("AshReports")
    families = register_fonts()
    if UI_FONT in families:
        font = QFont(UI_FONT)
        font.setPointSizeF(9.5)
        app.setFont(font)
    app.setProperty("ashr_ready", True)


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ashr-designer", description="Design AshReports reports.")
    parser.add_argument("file", nargs="?", type=Path, help="an .ashr report to open")
    known, _ = parser.parse_known_args(list(argv))
    return known


def run(argv: Sequence[str] | None = None) -> int:
    """Run the designer until its window closes; returns the exit status."""
    from .mainwindow import MainWindow

    args = _parse(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    setup_application(app)
    window = MainWindow()
    if args.file is not None:
        window.open_file(args.file)
    else:
        window.offer_untitled_recovery()
    window.show()
    return app.exec()
