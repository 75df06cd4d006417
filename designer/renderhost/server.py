"""The designer's render process: RenderJobs in on stdin, progress, early pages and results out on stdout (wire frames).

Started by `designer.preview.renderworker` as `python -m designer.renderhost.server`.
Filling, laying out and generating Typst are pure Python: run in the designer's own
process they held the GIL against the GUI thread, which waited for it after every Qt
call. Here they have a process (and a GIL) of their own. Jobs run one after the other on
the main thread; a reader thread takes messages in at once, so a cancel reaches the
running job's CancelToken while it renders. The process ends when stdin closes.

In:  ("job", RenderJob, tempdir) · ("cancel", serial) · ("clear_cache",)
Out: ("progress", serial, Progress) · ("chunk", serial, first, last, pdf bytes) ·
     ("cache", hits, misses) · ("done", serial, JobResult) ·
     ("failed", serial, packed error) · ("cancelled", serial)
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import queue
import sys
import tempfile
import threading
import time
from typing import Any, BinaryIO

from engine.errors import ReportError
from engine.render import Cancelled, CancelToken, Progress
from engine.render.parallel import shutdown_pool

from . import wire
from .job import RenderJob, run_job
from .rowcache import RowCache

log = logging.getLogger(__name__)


class RenderServer:
    """Runs the jobs read from `inbox` one at a time and writes their events to `outbox`."""

    def __init__(self, outbox: BinaryIO, cache: RowCache | None = None) -> None:
        self.outbox = outbox
        self.cache = cache
        self._jobs: queue.SimpleQueue[tuple[RenderJob, CancelToken, str] | None] = (
            queue.SimpleQueue()
        )
        self._tokens: dict[int, CancelToken] = {}
        self._lock = threading.Lock()

    def send(self, *message: Any) -> None:
        with self._lock:  # the engine may report progress from its own threads
            wire.send(self.outbox, message)

    def listen(self, inbox: BinaryIO) -> None:
        """Take messages until the designer closes the pipe, then cancel everything and stop."""
        try:
            while (message := wire.receive(inbox)) is not None:
                self._take(message)
        finally:
            with self._lock:
                tokens = list(self._tokens.values())
            for token in tokens:
                token.cancel()
            self._jobs.put(None)

    def _take(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "job":
            job, tempdir = message[1], message[2]
            token = CancelToken()
            with self._lock:
                self._tokens[job.serial] = token
            self._jobs.put((job, token, tempdir))
        elif kind == "cancel":
            with self._lock:
                found = self._tokens.get(message[1])
            if found is not None:
                found.cancel()
        elif kind == "clear_cache" and self.cache is not None:
            self.cache.clear()

    def serve(self) -> None:
        """Run jobs until `listen` ends."""
        while (item := self._jobs.get()) is not None:
            job, token, tempdir = item
            try:
                self._run(job, token, tempdir)
            finally:
                with self._lock:
                    self._tokens.pop(job.serial, None)

    def _run(self, job: RenderJob, token: CancelToken, tempdir: str) -> None:
        serial = job.serial
        if token.cancelled:
            self.send("cancelled", serial)
            return
        # the work files go where the designer's would (its TMPDIR, or a test's folder)
        tempfile.tempdir = tempdir

        def progress(event: Progress) -> None:
            self.send("progress", serial, event)

        def chunk(first: int, last: int, pdf: bytes) -> None:
            self.send("chunk", serial, first, last, pdf)

        outcome: tuple[Any, ...]
        try:
            result = run_job(job, token, progress=progress, on_chunk=chunk, cache=self.cache)
        except Cancelled:
            outcome = ("cancelled", serial)
        except ReportError as exc:
            outcome = (
                ("cancelled", serial)
                if token.cancelled
                else ("failed", serial, wire.pack_error(exc))
            )
        except Exception as exc:  # a bug or a driver's own error: shown, never ends the process
            log.exception("rendering %s failed", job.report.name)
            error = ReportError(f"rendering failed: {type(exc).__name__}: {exc}")
            outcome = ("failed", serial, wire.pack_error(error))
        else:
            outcome = ("done", serial, result)
        if self.cache is not None:
            self.send("cache", self.cache.hits, self.cache.misses)
        self.send(*outcome)


#: how much lower than the designer's the render process's CPU priority is: on a busy
#: machine the GUI thread gets a core first
NICENESS = 10


def _yield_cpu() -> None:
    """Lower this process's priority, and its session's (Linux schedules sessions as groups)."""
    # where there is no os.nice, the render runs at the designer's priority
    with contextlib.suppress(AttributeError, OSError):
        os.nice(NICENESS)
    try:  # the designer started this process in a session of its own: its own CPU group
        with open("/proc/self/autogroup", "w", encoding="ascii") as group:
            group.write(str(NICENESS))
    except OSError:  # no autogroups here
        pass


#: seconds between two looks for new compile processes to lower
CHILDREN_SECONDS = 0.25


def _lower_children() -> None:
    """Give the compile processes this process starts the same low priority as their session's group.

    The engine starts each compile worker in a session of its own, so it is a CPU group of
    its own (at the group's default priority, whatever the process's niceness).
    """
    done: set[str] = set()
    while True:
        for listing in glob.glob("/proc/self/task/*/children"):
            try:
                with open(listing, encoding="ascii") as found:
                    pids = found.read().split()
            except OSError:
                continue
            for pid in pids:
                if pid not in done:
                    done.add(pid)
                    with (
                        contextlib.suppress(OSError),
                        open(f"/proc/{pid}/autogroup", "w", encoding="ascii") as group,
                    ):
                        group.write(str(NICENESS))
        time.sleep(CHILDREN_SECONDS)


def main(argv: list[str]) -> int:
    """Serve jobs on stdin/stdout until stdin closes; `--cache` keeps the rows of the last run."""
    logging.basicConfig(level=logging.WARNING, format="ashr render process: %(message)s")
    _yield_cpu()
    if os.path.exists("/proc/self/autogroup"):
        threading.Thread(target=_lower_children, name="ashr-lower-children", daemon=True).start()
    inbox, outbox = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not break a frame
    server = RenderServer(outbox, RowCache() if "--cache" in argv else None)
    reader = threading.Thread(target=server.listen, args=(inbox,), name="ashr-render-inbox")
    reader.daemon = True  # blocked reading a pipe at exit: nothing to finish
    reader.start()
    try:
        server.serve()
    except BrokenPipeError:  # the designer went away
        pass
    finally:
        shutdown_pool()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
