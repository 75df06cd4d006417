"""A QThread kept referenced from start until it has really ended: a worker in, no "destroyed while running" abort out.

The designer's one keeper of threads: the preview's service threads are kept threads too.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from PySide6.QtCore import QThread


class KeptThread(QThread):
    """A QThread that `start_kept()` holds on to until it has ended, so a caller may drop it at once.

    `finished` is emitted by the thread itself just before it ends. A reference released
    from a plain callable connected to it runs in that thread, and the collector could then
    delete the QThread while it still runs: Qt aborts the process. `_forget` is a method of
    this QObject, which lives in the GUI thread, so Qt queues it there; it waits for the
    thread's last moment before letting go.
    """

    _running: ClassVar[set[KeptThread]] = set()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.finished.connect(self._forget)

    def start_kept(self) -> None:
        """Start the thread and keep it referenced until it has ended."""
        with KeptThread._lock:
            KeptThread._running.add(self)
        self.start()

    def _forget(self) -> None:
        self.wait()
        with KeptThread._lock:
            KeptThread._running.discard(self)


def kept_threads() -> list[KeptThread]:
    """The kept threads that have not ended yet."""
    with KeptThread._lock:
        return list(KeptThread._running)
