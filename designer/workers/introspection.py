"""The fields worker: a report's data source in, its fields (name, type) or an error message out, on a QThread."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal

from engine.data import introspect_fields
from engine.errors import ReportError
from engine.model import Report, resolve_parameters

from .kept import KeptThread

log = logging.getLogger(__name__)


class FieldsWorker(KeptThread):
    """Reads the fields of a data source with `engine.data.introspect_fields` in its own thread.

    Emits `fields_read(generation, list[FieldInfo])` or `failed(generation, message)`;
    the generation lets the window ignore the answer of a worker started for an older report.
    """

    fields_read = Signal(int, list)
    failed = Signal(int, str)

    def __init__(
        self, report: Report, base_dir: Path | None, generation: int, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.report = report
        self.base_dir = base_dir
        self.generation = generation

    def run(self) -> None:
        source = self.report.data_source
        if source is None:
            self.fields_read.emit(self.generation, [])
            return
        try:
            params = resolve_parameters(self.report)
        except ReportError:
            params = {}  # a required parameter without a default: the query may still run
        try:
            fields = introspect_fields(source, params=params, base_dir=self.base_dir)
        except ReportError as exc:
            self.failed.emit(self.generation, str(exc))
            return
        except Exception as exc:  # a driver error must reach the pane, never kill the thread
            log.exception("reading the fields failed")
            self.failed.emit(self.generation, f"{type(exc).__name__}: {exc}")
            return
        self.fields_read.emit(self.generation, list(fields))
