"""History dock, status bar and units, recent files, window layout, autosave and its recovery."""

from __future__ import annotations

import os
import shutil

from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QDockWidget, QUndoView

from designer.autosave import autosave_path
from designer.commands import SetPropertyCommand
from designer.settings import MAX_RECENT, add_recent_file, clear_recent_files, recent_files
from engine.model import load_report, save_report

from .conftest import INVOICES
from .helpers import band_ref, element_ref, move, scene_point, view_point


def edit(window, text="Changed"):
    doc = window.document
    doc.push(SetPropertyCommand(doc, element_ref(doc, "title", 0), "text", text))


def test_undo_history_dock_shows_the_stack(make_window):
    window = make_window()
    dock = window.findChild(QDockWidget, "undoHistoryDock")
    view = dock.widget()
    assert isinstance(view, QUndoView) and view.stack() is window.document.undo_stack
    edit(window)
    assert view.model().rowCount() == 2  # the clean state and one step


def test_status_bar_shows_the_cursor_in_the_chosen_unit(make_window):
    window = make_window()
    view = window.view
    detail = band_ref(window.document, "detail")
    window.set_unit("mm")
    move(view, view_point(view, scene_point(view, detail, 72, 7)))
    assert "Detail" in window.position_label.text()
    assert "x 25.4 mm" in window.position_label.text()
    window.unit_actions["in"].trigger()
    move(view, view_point(view, scene_point(view, detail, 36, 7)) + QPoint(0, 0))
    assert "x 0.50 in" in window.position_label.text()
    assert QSettings().value("display/unit") == "in"
    window.set_unit("pt")
    assert window.zoom_label.text().endswith("%")


def test_recent_files_newest_first_at_most_ten(tmp_path, make_window):
    clear_recent_files()
    files = []
    for i in range(MAX_RECENT + 2):
        path = tmp_path / f"r{i}.ashr"
        shutil.copy(INVOICES, path)
        files.append(path)
        add_recent_file(path)
    assert recent_files() == [p.resolve() for p in reversed(files)][:MAX_RECENT]
    window = make_window(files[3])
    assert recent_files()[0] == files[3].resolve()
    window.fill_recent_menu()
    actions = window.recent_menu.actions()
    assert len(actions) == MAX_RECENT and actions[0].text() == "&1 r3.ashr"
    actions[1].trigger()  # opens r11.ashr
    assert window.document.path == files[-1].resolve()


def test_window_layout_is_saved_and_restored(make_window):
    window = make_window()
    window.history_dock.hide()
    window.resize(700, 500)
    window.save_layout()
    other = make_window()
    assert other.history_dock.isHidden()
    assert (other.width(), other.height()) == (700, 500)
    QSettings().remove("window")  # later tests start from the default layout


def test_autosave_writes_a_separate_file_and_recovery_restores_it(
    tmp_path, make_window, monkeypatch, qtbot
):
    report = tmp_path / "mine.ashr"
    shutil.copy(INVOICES, report)
    original = report.read_bytes()
    window = make_window(report)
    window.autosaver.autosave()
    assert not autosave_path(report).exists()  # nothing to save while unchanged
    edit(window, "Unsaved work")
    window.autosaver.set_interval(20)
    qtbot.waitUntil(lambda: autosave_path(report).exists(), timeout=3000)
    saved = autosave_path(report)
    assert saved.parent == tmp_path / "autosave" and saved != report
    assert report.read_bytes() == original  # never over the user's file
    assert load_report(saved).bands[0].elements[0].text == "Unsaved work"
    os.utime(report, (1, 1))  # the autosave is newer

    asked = []
    monkeypatch.setattr(
        type(window), "ask_recover", lambda self, path, autosave: asked.append(path) or True
    )
    other = make_window(report)
    assert asked == [report.resolve()]
    assert other.document.report.bands[0].elements[0].text == "Unsaved work"
    assert other.document.modified and other.document.undo_stack.count() == 1
    other.undo_action.trigger()
    assert other.document.report == load_report(report)


def test_declined_recovery_discards_the_autosave(tmp_path, make_window, monkeypatch):
    report = tmp_path / "mine.ashr"
    shutil.copy(INVOICES, report)
    os.utime(report, (1, 1))
    changed = load_report(report).model_copy(update={"title": "From autosave"})
    autosave_path(report).parent.mkdir(parents=True)
    save_report(changed, autosave_path(report), backup=False)
    monkeypatch.setattr(type(make_window(None)), "ask_recover", lambda self, p, s: False)
    window = make_window(report)
    assert window.document.report.title == "Invoices by Country"
    assert not autosave_path(report).exists()


def test_saving_removes_the_autosave(tmp_path, make_window):
    report = tmp_path / "mine.ashr"
    shutil.copy(INVOICES, report)
    window = make_window(report)
    edit(window)
    assert window.autosaver.autosave() == autosave_path(report)
    assert window.save()
    assert not autosave_path(report).exists()


def _dead_pid() -> int:
    """A process id that no running process has."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_untitled_report_is_recovered_after_a_crash(make_window, monkeypatch):
    from designer.autosave import autosave_dir

    crashed = load_report(INVOICES).model_copy(update={"title": "Never saved"})
    folder = autosave_dir()
    folder.mkdir(parents=True, exist_ok=True)
    orphan = folder / f"untitled-{_dead_pid()}-1.ashr"
    save_report(crashed, orphan, backup=False)
    live = folder / f"untitled-{os.getpid()}-2.ashr"  # this process's own: not offered
    save_report(crashed, live, backup=False)
    asked = []
    window = make_window(None)
    monkeypatch.setattr(type(window), "ask_recover", lambda self, p, s: asked.append(s) or True)
    assert window.offer_untitled_recovery()
    assert asked == [orphan]
    assert window.document.report.title == "Never saved"
    assert window.document.path is None and window.document.modified
    assert not orphan.exists() and live.exists()
    live.unlink()


def test_declined_untitled_recovery_removes_the_orphan(make_window, monkeypatch):
    from designer.autosave import autosave_dir

    folder = autosave_dir()
    folder.mkdir(parents=True, exist_ok=True)
    orphan = folder / f"untitled-{_dead_pid()}-1.ashr"
    save_report(load_report(INVOICES), orphan, backup=False)
    window = make_window(None)
    monkeypatch.setattr(type(window), "ask_recover", lambda self, p, s: False)
    assert not window.offer_untitled_recovery()
    assert not orphan.exists()
    assert window.document.report.name != "invoices_by_country" and not window.document.modified
