"""Start-up: argv → the QApplication with the bundled fonts and icon, the file opened (here or in the running designer), the exit status."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from engine.paths import FONT_DIR, ICON

from .instance import InstanceServer, send_paths

if TYPE_CHECKING:
    from .mainwindow import MainWindow

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
    # Wayland and X11 docks match the window to the installed desktop entry by this name
    app.setDesktopFileName("io.github.ashreports.AshReports")
    if ICON.is_file():
        app.setWindowIcon(QIcon(str(ICON)))
    families = register_fonts()
    if UI_FONT in families:
        font = QFont(UI_FONT)
        font.setPointSizeF(9.5)
        app.setFont(font)
    app.setProperty("ashr_ready", True)


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ashr-designer", description="Design AshReports reports.")
    parser.add_argument("file", nargs="?", type=Path, help="an .ashr report to open")
    parser.add_argument(
        "--new-instance", action="store_true",
        help="open FILE in this new process, not in the designer already running",
    )  # fmt: skip
    parser.add_argument(
        "--check", action="store_true",
        help="open FILE, print 'ok: FILE ...' and quit with status 0 (1 if it cannot be opened); "
        "checks an installation, with QT_QPA_PLATFORM=offscreen it needs no screen",
    )  # fmt: skip
    known, _ = parser.parse_known_args(list(argv))
    return known


#: windows opened for later launches, kept alive until they close
_WINDOWS: list[MainWindow] = []


def open_in_window(path: Path) -> MainWindow:
    """Open a report handed over by a later launch: in an empty untouched window, else a new one."""
    from .mainwindow import MainWindow

    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    window = next(
        (
            w
            for w in windows
            if w.isVisible() and w.document.path is None and not w.document.modified
        ),
        None,
    )
    if window is None:
        window = MainWindow()
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _WINDOWS.append(window)
        window.destroyed.connect(lambda *_: _WINDOWS.remove(window))
    window.open_file(path)
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def check_open(path: Path | None) -> int:
    """`--check`: open the report in a window with throw-away settings, report on stdout, 0 if it opened."""
    from engine.model import read_report

    from .autosave import DIR_ENV
    from .mainwindow import MainWindow

    scratch = tempfile.mkdtemp(prefix="ashr-check-")
    os.environ[DIR_ENV] = os.path.join(scratch, "autosave")  # no recovery prompts
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, scratch)
    out = sys.stdout or sys.__stdout__  # None in a windowed program on Windows
    if path is not None:
        result = read_report(path)
        if result.report is None:
            if out is not None:
                out.write("".join(f"{d.format(str(path))}\n" for d in result.errors))
            return 1
    window = MainWindow()
    if path is not None and not window.open_file(path, confirmed=True):
        return 1
    window.show()
    QApplication.processEvents()
    bands = len(window.document.band_refs())
    elements = len(window.document.element_refs())
    if out is not None:
        font = QApplication.font().family()
        out.write(f"ok: {path or 'untitled'} ({bands} bands, {elements} elements, font {font})\n")
        out.flush()
    window.hide()
    return 0


def run(argv: Sequence[str] | None = None) -> int:
    """Run the designer until its last window closes; returns the exit status.

    With a file and no `--new-instance`, a designer already running opens it instead and
    this launch returns 0 at once.
    """
    from .mainwindow import MainWindow

    args = _parse(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    setup_application(app)
    if args.check:
        return check_open(args.file)
    if args.file is not None and not args.new_instance and send_paths([args.file]):
        return 0
    server = InstanceServer(parent=app)
    server.listen()
    server.paths_received.connect(lambda paths: [open_in_window(p) for p in paths])
    window = MainWindow()
    if args.file is not None:
        window.open_file(args.file)
    else:
        window.offer_untitled_recovery()
    window.show()
    try:
        return app.exec()
    finally:
        server.close()
        server.deleteLater()
