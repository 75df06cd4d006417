"""The process pool: calls in other processes, events streamed back, interrupt and kill, workers started lazily and replaced."""

from __future__ import annotations

import os
import time

import pytest

from engine.errors import RenderError, ReportError
from engine.progress import Cancelled
from engine.render.pool import ProcessPool, current_task


# the calls: module-level functions, so a worker imports them by name
def pid_and(value: int, *, plus: int = 0) -> tuple[int, int]:
    return os.getpid(), value + plus


def count_to(n: int) -> str:
    for i in range(n):
        current_task().emit(i)
    return "counted"


def wait_for_cancel() -> None:
    task = current_task()
    task.emit("started")
    while True:
        task.cancel.check()
        time.sleep(0.01)


def sleep_long() -> None:
    current_task().emit("started")
    time.sleep(60)


def die() -> None:
    os._exit(3)


def fail() -> None:
    raise ValueError("not a number")


@pytest.fixture
def pool():
    pool = ProcessPool(2, label="test worker")
    yield pool
    pool.kill()


def started(task) -> None:
    """Wait until the call said it started."""
    seen = []
    task.on_event(seen.append)
    deadline = time.monotonic() + 30
    while not seen and time.monotonic() < deadline:
        time.sleep(0.01)
    assert seen, "the call never started"


def test_a_call_runs_in_another_process_and_its_events_come_first(pool):
    pid, value = pool.submit(pid_and, 40, plus=2).result(30)
    assert pid != os.getpid() and value == 42
    events = []
    task = pool.submit(count_to, 5)
    task.on_event(events.append)
    assert task.result(30) == "counted"
    assert events == [0, 1, 2, 3, 4]


def test_workers_start_only_when_calls_wait(pool):
    for _ in range(3):
        pool.submit(pid_and, 1).result(30)
    assert len(pool.pids()) == 1  # one call at a time: one warm process


def test_an_interrupted_call_stops_with_cancelled(pool):
    task = pool.submit(wait_for_cancel)
    started(task)
    task.interrupt()
    with pytest.raises(Cancelled):
        task.result(5)
    assert pool.submit(pid_and, 1).result(30)[1] == 1  # the process serves the next call


def test_kill_stops_a_call_that_never_looks_at_its_token(pool):
    task = pool.submit(sleep_long)
    started(task)
    began = time.perf_counter()
    pool.kill()
    with pytest.raises(RenderError, match="test worker stopped"):
        task.result(5)
    assert time.perf_counter() - began < 2
    assert pool.pids() == []
    with pytest.raises(RuntimeError):
        pool.submit(pid_and, 1)


def test_a_worker_that_dies_fails_its_call_and_the_next_gets_a_new_one(pool):
    first, _ = pool.submit(pid_and, 1).result(30)
    with pytest.raises(RenderError, match=r"the test worker stopped \(exit code 3\)"):
        pool.submit(die).result(30)
    second, _ = pool.submit(pid_and, 1).result(30)
    assert second != first


def test_an_error_comes_back_as_a_report_error(pool):
    with pytest.raises(ReportError, match="ValueError: not a number"):
        pool.submit(fail).result(30)


def test_a_worker_is_replaced_after_max_tasks_per_child():
    pool = ProcessPool(1, max_tasks_per_child=1)
    try:
        pids = {pool.submit(pid_and, 1).result(30)[0] for _ in range(3)}
    finally:
        pool.shutdown()
    assert len(pids) == 3
