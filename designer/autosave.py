"""Autosave: a dirty document in, a copy in the app's data folder out every few minutes, and its recovery."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, QTimer

from engine.errors import ReportError
from engine.model import Report, read_report, save_report

from .document import ReportDocument

log = logging.getLogger(__name__)

#: how often a modified document is saved aside, in milliseconds
AUTOSAVE_INTERVAL_MS = 2 * 60 * 1000
#: overrides the folder autosaves go to (tests)
DIR_ENV = "ASHREPORTS_AUTOSAVE_DIR"


def autosave_dir() -> Path:
    """The folder of autosave files: `platformdirs.user_data_dir("AshReports")/autosave`."""
    override = os.environ.get(DIR_ENV)
    base = Path(override) if override else Path(platformdirs.user_data_dir("AshReports"))
    return base if override else base / "autosave"


def autosave_path(path: Path | None, untitled_key: str = "") -> Path:
    """The autosave file of a report file (named after it and a hash of its full path)."""
    if path is None:
        return autosave_dir() / f"untitled-{os.getpid()}-{untitled_key or 0}.ashr"
    path = Path(path).resolve()
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:12]
    return autosave_dir() / f"{path.stem}-{digest}.ashr"


def recoverable(path: Path) -> Path | None:
    """The autosave of a file when it exists and is newer than the file, else None."""
    saved = autosave_path(path)
    try:
        if saved.stat().st_mtime > Path(path).stat().st_mtime:
            return saved
    except OSError:
        return None
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def untitled_autosaves() -> list[Path]:
    """Autosaves of never-saved reports whose designer process is gone (a crash), newest first."""
    folder = autosave_dir()
    if not folder.is_dir():
        return []
    found = []
    for saved in folder.glob("untitled-*.ashr"):
        pid = saved.stem.split("-")[1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            found.append(saved)
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def read_autosave(saved: Path) -> Report | None:
    """The report in an autosave file, or None when it cannot be read."""
    result = read_report(saved)
    return result.report


def discard_autosave(path: Path | None) -> None:
    """Delete the autosave of a file (after a save, or when recovery is declined)."""
    autosave_path(path).unlink(missing_ok=True)


class Autosaver(QObject):
    """Writes the document to its autosave file on a timer while it has unsaved changes."""

    def __init__(
        self,
        document: ReportDocument,
        interval_ms: int = AUTOSAVE_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()
        self._key = str(id(self))

    def set_interval(self, interval_ms: int) -> None:
        self.timer.setInterval(interval_ms)

    def target(self) -> Path:
        return autosave_path(self.document.path, self._key)

    def autosave(self) -> Path | None:
        """Save a modified document aside (atomically, never over the user's file); returns where."""
        if not self.document.modified:
            return None
        target = self.target()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            save_report(self.document.report, target, backup=False)
        except (OSError, ReportError) as exc:
            log.warning("cannot autosave to %s: %s", target, exc)
            return None
        return target

    def discard(self) -> None:
        """Delete the autosave (the window closed with its changes saved or discarded)."""
        self.target().unlink(missing_ok=True)
