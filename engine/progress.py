"""Progress events and cancellation for a render: what a progress bar needs, and a token that stops the work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ReportError

#: the stages of a render, in order
STAGES: tuple[str, ...] = ("query", "fill", "layout", "compile", "merge", "write", "done")


class Cancelled(ReportError):
    """The render was cancelled; nothing was written."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__("cancelled")


class CancelToken:
    """Set from any thread to stop a render; the render checks it between small steps."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._callbacks: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def cancel(self) -> None:
        """Ask the render to stop: running queries are interrupted and compile workers stopped."""
        self._event.set()
        with self._lock:
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise Cancelled when cancel() was called."""
        if self._event.is_set():
            raise Cancelled()

    def on_cancel(self, callback: Callable[[], None]) -> None:
        """Run `callback` when cancel() is called (at once if it already was)."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return
        callback()


@dataclass
class Progress:
    """One progress event: the stage and what is known so far."""

    stage: str
    rows_read: int = 0
    rows_total: int | None = None
    pages: int = 0
    chunks_done: int = 0
    chunks_total: int = 0
    elapsed: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def percent(self) -> float | None:
        """Rough completion in percent, when it can be told."""
        if self.stage == "done":
            return 100.0
        if self.stage in ("compile", "merge") and self.chunks_total:
            return 50.0 + 50.0 * self.chunks_done / self.chunks_total
        if self.rows_total:
            return min(50.0, 50.0 * self.rows_read / self.rows_total)
        return None

    def line(self) -> str:
        """One line for a terminal: `fill rows=12000/100000 12% 1.2s`."""
        parts = [self.stage]
        if self.rows_read:
            parts.append(
                f"rows={self.rows_read}" + (f"/{self.rows_total}" if self.rows_total else "")
            )
        if self.pages:
            parts.append(f"pages={self.pages}")
        if self.chunks_total:
            parts.append(f"chunks={self.chunks_done}/{self.chunks_total}")
        percent = self.percent
        if percent is not None:
            parts.append(f"{percent:.0f}%")
        parts.append(f"{self.elapsed:.1f}s")
        return " ".join(parts)


class Reporter:
    """Sends Progress events to a callback, with elapsed time; checks cancellation on each."""

    def __init__(
        self, callback: Callable[[Progress], None] | None, cancel: CancelToken | None
    ) -> None:
        self._callback = callback
        self.cancel = cancel
        self._start = time.perf_counter()
        self.state = Progress("query")

    def update(self, stage: str | None = None, **facts: object) -> None:
        """Record facts (rows_read=..., pages=...), tell the callback, and stop if cancelled."""
        if self.cancel is not None:
            self.cancel.check()
        state = self.state
        if stage is not None:
            state.stage = stage
        for key, value in facts.items():
            setattr(state, key, value)
        state.elapsed = time.perf_counter() - self._start
        if self._callback is not None:
            self._callback(Progress(**{**state.__dict__, "extra": dict(state.extra)}))
