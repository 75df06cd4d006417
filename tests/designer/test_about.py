"""Help menu: About AshReports shows the version, the licence and the third-party notices; About Qt opens Qt's box."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from engine import __version__
from engine.paths import LICENSE_FILE


def _help_actions(window):
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    assert menus[-1].title() == "&Help"  # the last menu of the bar
    return {a.text(): a for a in menus[-1].actions()}


def test_about_shows_version_licence_and_notices(make_window, qtbot, tmp_path):
    window = make_window()
    _help_actions(window)["&About AshReports"].trigger()
    from designer.about import AboutDialog

    dialog = window.findChild(AboutDialog)
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    assert f"AshReports {__version__}" in dialog.summary.text()
    assert "AGPL-3.0-or-later" in dialog.summary.text()
    notices = dialog.notices.toPlainText()
    # every shipped component's licence, as a reader sees it in the dialog
    for needle in ("PySide6", "LGPL-3.0", "PyMuPDF", "AGPL-3.0", "Typst", "Apache-2.0",
                   "Liberation", "OFL-1.1", "Chinook", "MIT"):  # fmt: skip
        assert needle in notices, needle
    licence = dialog.licence.toPlainText()
    assert licence == LICENSE_FILE.read_text(encoding="utf-8")
    dialog.grab().save(str(tmp_path / "about.png"))  # looked at while writing the dialog
    dialog.reject()
    assert not dialog.isVisible()


def test_about_twice_reuses_one_dialog(make_window, qtbot):
    from designer.about import AboutDialog

    window = make_window()
    actions = _help_actions(window)
    actions["&About AshReports"].trigger()
    actions["&About AshReports"].trigger()
    assert len(window.findChildren(AboutDialog)) == 1


def test_about_qt_opens_qts_box(make_window, qtbot):
    window = make_window()

    def qt_boxes():
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]

    seen = []

    def close_boxes():  # in case this Qt shows the box modally (exec)
        for box in qt_boxes():
            seen.append(box.windowTitle())
            box.close()

    QTimer.singleShot(200, close_boxes)
    _help_actions(window)["About &Qt"].trigger()
    qtbot.waitUntil(lambda: bool(seen or qt_boxes()))
    titles = seen or [box.windowTitle() for box in qt_boxes()]
    assert "About Qt" in titles
    close_boxes()
