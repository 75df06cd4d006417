"""Picklable calls in, Futures out: the one process pool, and the only module of ours that starts processes.

`ProcessPool` is a `concurrent.futures.Executor`: `submit(fn, *args)` runs `fn(*args)` in a
worker process and returns a `Task` (a Future). A call may stream events back while it
runs (`current_task().emit(event)`, seen through `Task.on_event`) and may be asked to stop
(`Task.interrupt()` cancels the CancelToken `current_task().cancel`); `kill()` stops every
worker at once, which is how a running Typst compile (which never looks at a token) is
stopped. The chunked compiles of every caller run on `shared_pool()`; the designer runs
its render jobs as calls on a pool of one warm process of its own. A distributed executor
would plug in here: anything that takes `submit(fn, *args)` and gives back a Future with
events and `interrupt()`.

Workers are plain subprocesses (`python -m engine.render.pool`), not `multiprocessing`:
spawning through multiprocessing re-imports the caller's main module (which breaks
scripts without a `__main__` guard), and a forked Typst hangs. Started lazily, one more
only when a call waits and none is idle, and kept warm between calls; a worker is replaced
after `max_tasks_per_child` calls. They talk in one wire format both ways: length-prefixed
pickle frames (both ends are this program, so pickle is safe here).

In:  ("call", id, fn, args, kwargs) · ("cancel", id)   (stdin closed: finish and exit)
Out: ("event", id, event) · ("done", id, result) · ("failed", id, packed error)
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import itertools
import logging
import os
import pickle
import queue
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import RenderError, ReportError
from ..progress import Cancelled, CancelToken

log = logging.getLogger(__name__)

#: environment variable naming the pid of the process a worker works for
WORKER_OF = "ASHR_WORKER_OF"
#: seconds between a worker's looks whether the process it works for is still there
PARENT_SECONDS = 0.5

# -- the wire --------------------------------------------------------------------------------

_HEADER = struct.Struct("!Q")


def send(stream: BinaryIO, message: tuple[Any, ...]) -> None:
    """Write one message (a tuple whose first item names its kind) and flush."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> tuple[Any, ...] | None:
    """The next message, or None when the other end closed the stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    message = pickle.loads(data)
    assert isinstance(message, tuple)
    return message


def pack_error(exc: BaseException) -> tuple[str, str, tuple[Any, ...], dict[str, Any]]:
    """An exception as (module, class name, args, attributes), all picklable.

    Not the exception itself: the engine's `ReportError`s take keyword-only constructor
    arguments, and pickle would call the constructor with `args` alone.
    """
    cls = type(exc)
    state = {k: v for k, v in vars(exc).items() if k not in ("__traceback__", "__cause__")}
    try:
        pickle.dumps((exc.args, state))
    except Exception:  # an unpicklable attribute: the message still travels
        return ("engine.errors", "ReportError", (str(exc),), {"message": str(exc), "source": ""})
    return cls.__module__, cls.__qualname__, exc.args, state


def unpack_error(packed: tuple[str, str, tuple[Any, ...], dict[str, Any]]) -> ReportError:
    """The ReportError `pack_error` described (a plain ReportError when its class cannot be made)."""
    module, name, args, state = packed
    try:
        cls = getattr(importlib.import_module(module), name)
        if not (isinstance(cls, type) and issubclass(cls, ReportError)):
            raise TypeError(name)
        exc: ReportError = cls.__new__(cls)
        exc.args = args
        exc.__dict__.update(state)
    except Exception:  # a class only the worker knows: keep the message
        return ReportError(str(args[0]) if args else name)
    return exc


# -- the caller's side -----------------------------------------------------------------------


class Task(Future[Any]):
    """A submitted call: a Future that also carries the events the call emits and can be asked to stop."""

    def __init__(self, call: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]) -> None:
        super().__init__()
        self.call = call
        self._listeners: list[Callable[[Any], None]] = []
        self._stop: Callable[[], None] | None = None
        self._asked = False
        self._lock = threading.Lock()

    def on_event(self, callback: Callable[[Any], None]) -> None:
        """Call `callback(event)` for each event the call emits (from a thread of the pool)."""
        self._listeners.append(callback)

    def interrupt(self) -> None:
        """Ask the call to stop: a waiting call never starts, a running one sees its token cancelled."""
        if self.cancel():
            return
        with self._lock:
            self._asked = True
            stop = self._stop
        if stop is not None:
            stop()

    def _event(self, event: Any) -> None:
        for callback in list(self._listeners):
            try:
                callback(event)
            except Exception:  # a listener's bug must not lose the call's answer
                log.exception("an event listener failed")

    def _running(self, stop: Callable[[], None]) -> None:
        with self._lock:
            self._stop = stop
            asked = self._asked
        if asked:
            stop()


class _Worker:
    """One worker process, the pipes to it and the number of calls it has run."""

    def __init__(self, label: str, niceness: int) -> None:
        root = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
            # whose worker this is: it exits when that process is gone (see `serve`)
            WORKER_OF: str(os.getpid()),
        }
        self.label = label
        # what it says on stderr, read when it dies; closed in `stop`
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115
        argv = [sys.executable, "-m", "engine.render.pool", *([str(niceness)] if niceness else [])]
        # a session of its own: a Ctrl+C in the caller's terminal is the caller's to handle
        self.process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, env=env,
            start_new_session=True,
        )  # fmt: skip
        self.calls = 0
        self._write = threading.Lock()

    def tell(self, message: tuple[Any, ...]) -> None:
        with self._write:
            assert self.process.stdin is not None
            with contextlib.suppress(OSError, ValueError):  # gone: the reader says so
                send(self.process.stdin, message)  # type: ignore[arg-type]

    def run(self, number: int, task: Task) -> None:
        """Run one call here, passing its events on, and settle the task with its outcome."""
        fn, args, kwargs = task.call
        self.calls += 1
        try:
            with self._write:
                assert self.process.stdin is not None
                send(self.process.stdin, ("call", number, fn, args, kwargs))  # type: ignore[arg-type]
        except (OSError, ValueError):
            task.set_exception(self._stopped())
            return
        except Exception as exc:  # the call does not pickle: the caller's bug, said as such
            task.set_exception(RenderError(f"the {self.label} cannot take this call: {exc}"))
            return
        task._running(lambda: self.tell(("cancel", number)))
        assert self.process.stdout is not None
        while (message := receive(self.process.stdout)) is not None:  # type: ignore[arg-type]
            kind = message[0]
            if kind == "event":
                task._event(message[2])
            elif kind == "done":
                task.set_result(message[2])
                return
            elif kind == "failed":
                task.set_exception(unpack_error(message[2]))
                return
        task.set_exception(self._stopped())

    def _stopped(self) -> RenderError:
        code = self.process.poll()
        if code is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = self.process.wait(1)
        try:
            self.errors.seek(0, os.SEEK_END)
            self.errors.seek(max(0, self.errors.tell() - 500))
            detail = self.errors.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            detail = ""
        return RenderError(
            f"the {self.label} stopped (exit code {code}){': ' + detail if detail else ''}"
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, *, now: bool) -> None:
        """Kill the process (`now`), or close its stdin and let it finish what it runs."""
        if now and self.alive:
            self.process.kill()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(None if now else 3)
        if self.alive:
            self.process.kill()
            self.process.wait()


class ProcessPool(Executor):
    """Up to `size` worker processes, started when calls wait, kept warm, replaced after `max_tasks_per_child` calls.

    `label` names a worker in errors ("the compile worker stopped (exit code -9)");
    `niceness` lowers the workers' CPU priority (and that of the processes they start).
    """

    def __init__(
        self,
        size: int,
        *,
        label: str = "worker process",
        max_tasks_per_child: int | None = None,
        niceness: int = 0,
    ) -> None:
        self.size = max(1, size)
        self.label = label
        self.max_tasks_per_child = max_tasks_per_child
        self.niceness = niceness
        self._waiting: queue.SimpleQueue[Task | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._slots: list[threading.Thread] = []
        self._idle = 0
        self._workers: set[_Worker] = set()
        self._closed = False
        self._numbers = itertools.count(1)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Task:
        """Run `fn(*args, **kwargs)` in a worker process (fn and arguments must pickle)."""
        task = Task((fn, args, kwargs))
        with self._lock:
            if self._closed:
                raise RuntimeError("the pool was shut down")
            if self._idle == 0 and len(self._slots) < self.size:
                slot = threading.Thread(target=self._serve, name="ashr-pool", daemon=True)
                self._slots.append(slot)
                slot.start()
            else:
                self._idle = max(0, self._idle - 1)
        self._waiting.put(task)
        return task

    def _serve(self) -> None:
        """One slot: a worker process, fed one call at a time until the pool closes."""
        worker: _Worker | None = None
        first = True
        try:
            while True:
                if not first:
                    with self._lock:
                        self._idle += 1
                first = False
                task = self._waiting.get()
                if task is None:
                    self._waiting.put(None)  # wake the next slot too
                    return
                if not task.set_running_or_notify_cancel():
                    continue
                worn = worker is not None and (
                    not worker.alive
                    or (self.max_tasks_per_child and worker.calls >= self.max_tasks_per_child)
                )
                if worker is not None and worn:
                    self._forget(worker, now=False)
                    worker = None
                if worker is None:
                    worker = self._start()
                    if worker is None:
                        task.set_exception(Cancelled())
                        continue
                worker.run(next(self._numbers), task)
        finally:
            if worker is not None:
                self._forget(worker, now=False)

    def _start(self) -> _Worker | None:
        with self._lock:
            if self._closed:  # killed (a cancel, a signal): never start a replacement
                return None
            worker = _Worker(self.label, self.niceness)
            self._workers.add(worker)
            return worker

    def _forget(self, worker: _Worker, *, now: bool) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.stop(now=now)
        worker.errors.close()  # read by now: this slot settled the worker's last call

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.alive]

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Let the workers finish their calls and end (`cancel_futures`: drop the waiting ones)."""
        with self._lock:
            self._closed = True
            slots = list(self._slots)
        if cancel_futures:
            self._drop_waiting()
        self._waiting.put(None)
        if wait:
            for slot in slots:
                slot.join()

    def kill(self) -> None:
        """Stop every worker now (their calls fail with Cancelled or a RenderError); start no other."""
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        self._drop_waiting()
        self._waiting.put(None)
        for worker in workers:
            worker.stop(now=True)

    def _drop_waiting(self) -> None:
        while True:
            try:
                task = self._waiting.get_nowait()
            except queue.Empty:
                return
            if task is None:
                continue
            task.cancel()


_shared: ProcessPool | None = None
_shared_lock = threading.Lock()


def shared_pool(size: int) -> ProcessPool:
    """The process-wide compile pool (started on first use; a larger `size` starts a larger one)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared._closed or _shared.size < size:
            if _shared is not None:
                _shared.shutdown(wait=False)
            _shared = ProcessPool(size, label="compile worker")
        return _shared


def shutdown_pool() -> None:
    """Stop the shared pool's workers now (at exit, after a cancel, or in tests)."""
    global _shared
    with _shared_lock:
        pool, _shared = _shared, None
    if pool is not None:
        pool.kill()


# -- the worker's side -----------------------------------------------------------------------


class TaskContext:
    """What a running call can reach: `emit(event)` to its caller and the token `interrupt()` cancels."""

    def __init__(self, emit: Callable[[Any], None], cancel: CancelToken) -> None:
        self.emit = emit
        self.cancel = cancel


_current = threading.local()


def current_task() -> TaskContext:
    """The running call's context; outside a worker, one whose events go nowhere."""
    context = getattr(_current, "context", None)
    return context if context is not None else TaskContext(lambda _event: None, CancelToken())


def _exit_with_parent(parent: int) -> None:
    """Exit at once when the process this worker works for is gone (killed with -9 mid-call:
    nobody is left to read the answer or to remove the work files)."""
    while True:
        time.sleep(PARENT_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


def _lower_priority(niceness: int) -> None:
    """Run at `niceness` (or the niceness inherited, if higher), and say so to the session's CPU
    group too: a worker is a session of its own, which Linux schedules as a group at normal
    priority whatever the process's niceness."""
    current = os.nice(0)
    with contextlib.suppress(OSError):
        current = os.nice(max(0, niceness - current))
    if current > 0:
        with (
            contextlib.suppress(OSError),
            open("/proc/self/autogroup", "w", encoding="ascii") as group,
        ):
            group.write(str(current))


def serve(inbox: BinaryIO, outbox: BinaryIO) -> None:
    """Run the calls read from `inbox` one after the other, answering on `outbox`, until it closes.

    A reader thread takes messages in at once, so a cancel reaches the running call.
    """
    calls: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
    tokens: dict[int, CancelToken] = {}
    lock = threading.Lock()

    def tell(*message: Any) -> None:
        with lock:  # a call may emit from threads of its own
            send(outbox, message)

    def listen() -> None:
        try:
            while (message := receive(inbox)) is not None:
                if message[0] == "call":
                    with lock:
                        tokens[message[1]] = CancelToken()
                    calls.put(message)
                elif message[0] == "cancel":
                    with lock:
                        token = tokens.get(message[1])
                    if token is not None:
                        token.cancel()
        finally:  # the caller closed the pipe: stop what runs, then end
            with lock:
                running = list(tokens.values())
            for token in running:
                token.cancel()
            calls.put(None)

    threading.Thread(target=listen, name="ashr-pool-inbox", daemon=True).start()
    while (message := calls.get()) is not None:
        _kind, number, fn, args, kwargs = message
        with lock:
            token = tokens[number]
        _current.context = TaskContext(functools.partial(tell, "event", number), token)
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:  # every failure is answered; the worker lives on
            if not isinstance(exc, ReportError):
                log.exception("a call in a worker process failed")
                exc = ReportError(f"{type(exc).__name__}: {exc}")
            tell("failed", number, pack_error(exc))
        else:
            tell("done", number, result)
        finally:
            _current.context = None
            with lock:
                tokens.pop(number, None)


def main(argv: list[str]) -> int:
    """A worker: `python -m engine.render.pool [NICENESS]`, calls on stdin, answers on stdout."""
    logging.basicConfig(level=logging.WARNING, format="ashr worker: %(message)s")
    _lower_priority(int(argv[0]) if argv else 0)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    inbox, outbox = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not break a frame
    try:
        serve(inbox, outbox)
    except BrokenPipeError:  # the caller went away
        pass
    finally:
        shutdown_pool()  # the compile workers a call here started
    return 0


if __name__ == "__main__":
    # through the imported module, not this `__main__` copy: the calls it runs look up
    # `current_task` there
    from engine.render.pool import main as _main

    sys.exit(_main(sys.argv[1:]))
