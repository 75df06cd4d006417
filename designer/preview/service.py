"""Long-lived worker threads of the preview: started on demand, stopped with their window or at exit."""

from __future__ import annotations

import atexit
import logging

from designer.workers.kept import KeptThread, kept_threads

log = logging.getLogger(__name__)


class ServiceThread(KeptThread):
    """A kept QThread serving requests until `request_stop`; subclasses implement `serve()` and `wake()`."""

    def __init__(self) -> None:
        super().__init__()  # no parent: the thread may outlive its window by a moment
        self.stopping = False

    def ensure_started(self) -> None:
        if not self.isRunning() and not self.stopping:
            self.start_kept()

    def request_stop(self) -> None:
        """Ask the thread to finish its current step and stop (does not wait)."""
        self.stopping = True
        self.wake()

    def wake(self) -> None:
        """Interrupt `serve()` waiting for work (and cancel what it runs, if it can)."""
        raise NotImplementedError

    def run(self) -> None:
        try:
            self.serve()
        except Exception:  # the thread must end cleanly, whatever went wrong
            log.exception("%s stopped on an error", type(self).__name__)

    def serve(self) -> None:
        raise NotImplementedError


def stop_all(timeout_ms: int = 5000) -> None:
    """Stop every service thread and wait for every kept thread (at exit: Qt aborts on a running QThread)."""
    threads = kept_threads()
    for thread in threads:
        if isinstance(thread, ServiceThread):
            thread.request_stop()
    for thread in threads:
        thread.wait(timeout_ms)


atexit.register(stop_all)
