"""Slow data source calls for the data source dialog: a function in, its result or an error message out, on a QThread."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal

from engine.data import FieldInfo, introspect_fields, open_rows
from engine.data.named import connect_target
from engine.errors import ReportError
from engine.model import DataSource, Report, convert_value

from ..workers.kept import KeptThread

log = logging.getLogger(__name__)

#: the rows the dialog's grid shows
PREVIEW_ROWS = 100


class CallWorker(KeptThread):
    """Runs one function in its own thread; emits `done(generation, result)` or `failed(generation, message)`.

    A ReportError gives its message; any other exception (a driver's) its type and text,
    so the dialog always hears back. The generation lets a dialog ignore stale answers.
    """

    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, call: Callable[[], Any], generation: int) -> None:
        super().__init__()
        self.call = call
        self.generation = generation

    def run(self) -> None:
        try:
            result = self.call()
        except ReportError as exc:
            self.failed.emit(self.generation, str(exc))
            return
        except Exception as exc:  # a driver error must reach the dialog, never kill the thread
            log.exception("a data source call failed")
            self.failed.emit(self.generation, f"{type(exc).__name__}: {exc}")
            return
        self.done.emit(self.generation, result)


def start_worker(
    call: Callable[[], Any],
    generation: int,
    done: Callable[[int, Any], None],
    failed: Callable[[int, str], None],
) -> CallWorker:
    """Start a CallWorker that stays referenced until it finishes."""
    worker = CallWorker(call, generation)
    worker.done.connect(done)
    worker.failed.connect(failed)
    worker.start_kept()  # a dialog may close before its worker ends
    return worker


def preview_params(report: Report) -> dict[str, Any]:
    """A value for every declared parameter: its default converted, else None (the SQL gets NULL)."""
    values: dict[str, Any] = {}
    for param in report.parameters:
        try:
            values[param.name] = convert_value(param.type, param.default)
        except ValueError:
            values[param.name] = None
    return values


def first_rows(
    source: DataSource, params: Mapping[str, Any], base_dir: Path | None, limit: int = PREVIEW_ROWS
) -> tuple[list[FieldInfo], list[dict[str, Any]]]:
    """The fields and up to `limit` rows of a source; the query stops after them.

    A named connection is resolved here, in the worker (its password file or variable is
    read off the GUI thread, and only for this call).
    """
    url = connect_target(source, None).url if getattr(source, "connection", None) else None
    with open_rows(source, params=params, base_dir=base_dir, url=url, chunk_size=limit) as rows:
        fields = list(rows.fields)
        taken: list[dict[str, Any]] = []
        for chunk in rows.chunks(limit):
            taken.extend(chunk)
            break
    return fields, taken[:limit]


def source_fields(
    source: DataSource, params: Mapping[str, Any], base_dir: Path | None
) -> list[FieldInfo]:
    """The fields of a source as the report will see them (declared, else read)."""
    url = connect_target(source, None).url if getattr(source, "connection", None) else None
    return introspect_fields(source, params=params, base_dir=base_dir, url=url)
