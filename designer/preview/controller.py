"""The preview controller: document changes in (debounced), render jobs out to the worker, pages and errors to the pane.

`parameter_provider(report, parent)` gives the parameter values of a run (None: the user
cancelled); the default takes the report's declared defaults. A parameter prompt replaces
it after the merge. `failed` carries the engine's ReportError (its `diagnostics` when it is
a ReportValidationError) for a diagnostics dock; the pane shows the message too.

`trust_provider(report, base_dir, retry)` says whether a run may read the report's data
(designer.trust): the window asks the user; the default refuses anything not trusted yet.
A refused run renders nothing and shows why; the folders trusted outside the report's
folder go to the render process with the job.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from designer.renderhost.job import JobResult, RenderJob
from designer.trust import Trust, decide_trust, trust_request
from engine.errors import ReportError
from engine.model import Report
from engine.render import CancelToken, Progress

from .pane import PreviewPane
from .progressdialog import ProgressDialog, rss_mib
from .renderworker import RenderWorker

log = logging.getLogger(__name__)

ParameterProvider = Callable[[Report, QWidget], "dict[str, Any] | None"]
#: (report, its folder, whether to ask again about a source declined this session) → Trust
TrustProvider = Callable[[Report, "Path | None", bool], Trust]

#: what a refused preview tells the user to do to be asked again
RETRY_HINT = "Use View ▸ Refresh Data (F5) to be asked again."

#: quiet time after the last edit before the preview renders again
DEBOUNCE_MS = 400
#: a preview still running after this long shows the progress dialog
DIALOG_AFTER_MS = 1000
#: ... and after this long the pane's progress strip (a quick re-render shows neither)
STRIP_AFTER_MS = 300


def declared_defaults(report: Report, parent: QWidget | None = None) -> dict[str, Any] | None:
    """The default parameter provider: every parameter's declared default."""
    del parent
    return {p.name: p.default for p in report.parameters if p.default is not None}


def trusted_only(report: Report, base_dir: Path | None, retry: bool) -> Trust:
    """The default trust provider: never asks; only what the user trusted before may be read."""
    del retry
    return decide_trust(trust_request(report, base_dir), None)


def error_lines(error: Any) -> list[str]:
    """A ReportError (or a list of diagnostics) as lines for a person."""
    if isinstance(error, ReportError):
        diagnostics = getattr(error, "diagnostics", None)
        if diagnostics:
            return [d.format() for d in diagnostics]
        return error.lines()
    if isinstance(error, list):
        return [d.format() if hasattr(d, "format") else str(d) for d in error]
    return [str(error)]


class PreviewController(QObject):
    """Keeps the preview pane showing the current report; runs exports on a second worker."""

    #: the engine's error of the last run: a ReportError (with `diagnostics` when validation failed)
    failed = Signal(object)
    #: a preview finished: JobResult
    rendered = Signal(object)
    #: an export finished: JobResult
    exported = Signal(object)

    def __init__(self, document: Any, pane: PreviewPane, window: QWidget) -> None:
        super().__init__(window)
        self.document = document
        self.pane = pane
        self.window = window
        self.parameter_provider: ParameterProvider = declared_defaults
        self.trust_provider: TrustProvider = trusted_only
        #: why the last run read nothing (the user did not trust its data), else ""
        self.refused = ""
        #: the next debounced run follows an edit: a source declined this session is not asked again
        self._after_edit = False
        self.worker = RenderWorker(keep_rows=True)
        #: the render process's row cache: hit and miss counts, clear()
        self.cache = self.worker.cache
        self.export_worker = RenderWorker()
        self.active = False
        #: the progress dialog while it is shown (a preview running for more than a second)
        self.dialog: ProgressDialog | None = None
        self._dialog: ProgressDialog | None = None
        self.last_result: JobResult | None = None
        self.last_job: RenderJob | None = None
        self._serial = 0
        self._running: RenderJob | None = None
        self._token: CancelToken | None = None
        self._params: dict[str, Any] | None = None
        self._params_for: Any = None
        self._source: Any = document.report.data_source
        self._chunks: dict[int, tuple[int, bytes]] = {}
        self._next_page = 1
        self._export: tuple[RenderJob, CancelToken, ProgressDialog] | None = None
        self.debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.debounce.timeout.connect(self._debounced)
        self.dialog_timer = QTimer(self, singleShot=True, interval=DIALOG_AFTER_MS)
        self.dialog_timer.timeout.connect(self._show_preview_dialog)
        self.strip_timer = QTimer(self, singleShot=True, interval=STRIP_AFTER_MS)
        self.strip_timer.timeout.connect(self._show_strip)
        self._last_event = Progress("query")
        for worker in (self.worker, self.export_worker):
            worker.progress.connect(self._progress)
            worker.chunk_ready.connect(self._chunk)
            worker.done.connect(self._done)
            worker.failed.connect(self._failed)
            worker.cancelled.connect(self._cancelled)
            window.destroyed.connect(lambda *_, w=worker: w.request_stop())
        document.report_changed.connect(self._report_changed)
        document.path_changed.connect(self._path_changed)
        pane.cancel_requested.connect(self.cancel)
        pane.refresh_requested.connect(self.refresh_data)

    # -- when to render ----------------------------------------------------------------------

    def set_active(self, active: bool) -> None:
        """Render while the pane is shown; a hidden pane renders nothing (and catches up when shown)."""
        self.active = active
        if active and (self.last_job is None or self.last_job.report != self.document.report):
            self._after_edit = False  # showing the preview asks for the data: a retry
            self.debounce.start(0)
        elif not active:
            self.debounce.stop()

    def _report_changed(self, report: Report) -> None:
        if report.data_source != self._source:
            self._source = report.data_source
            self.cache.clear()  # the old rows can never be asked for again
        if self.active:
            self._after_edit = True
            self.debounce.start(DEBOUNCE_MS)

    def _debounced(self) -> None:
        retry, self._after_edit = not self._after_edit, False
        self.run_preview(retry=retry)

    def _path_changed(self, *_: object) -> None:
        self._params = None  # another report: ask for its parameters again
        self.cache.clear()

    def refresh_data(self) -> None:
        """Refresh Data (F5): read the data source again and re-render."""
        self.cache.clear()
        self.run_preview(ask=True)

    def base_dir(self) -> Path | None:
        path = self.document.path
        return Path(path).parent if path is not None else None

    def trust(self, report: Report, *, retry: bool = True) -> Trust:
        """Whether a run may read the report's data (asking the user, through `trust_provider`)."""
        trust = self.trust_provider(report, self.base_dir(), retry)
        self.refused = "" if trust.granted else trust.message
        return trust

    def parameters(self, report: Report, *, ask: bool) -> dict[str, Any] | None:
        """Parameter values for a run: asked when `ask`, or when the declared parameters changed."""
        declared = report.parameters
        if ask or self._params is None or self._params_for != declared:
            values = self.parameter_provider(report, self.window)
            if values is None:
                return None
            self._params, self._params_for = dict(values), declared
        return dict(self._params or {})

    # -- preview -----------------------------------------------------------------------------

    def run_preview(self, *, ask: bool = False, retry: bool = True) -> bool:
        """Render the current report into the pane (cancelling a render still running).

        Nothing is read unless the user trusts the report's data: a refusal leaves the pane
        showing why (`retry` False: a source declined this session is not asked about again).
        """
        self.debounce.stop()
        report = self.document.report
        trust = self.trust(report, retry=retry)
        if not trust.granted:
            if self._token is not None:
                self._token.cancel()  # the pages of an earlier source must not come in now
            self._running = None
            self._close_preview_dialog()
            self.pane.show_progress(None)
            self.pane.view.clear()  # "don't trust" shows no pages, not an older report's
            self.last_result = None
            self.pane.show_error([f"{trust.message} {RETRY_HINT}"])
            log.info("preview not run: %s", trust.message)
            return False
        params = self.parameters(report, ask=ask)
        if params is None:
            self.pane.show_error(["no parameter values were given"])
            return False
        self._serial += 1
        job = RenderJob(report, params, self.base_dir(), serial=self._serial, allowed=trust.folders)
        self.last_job = job
        self._running = job
        self._chunks, self._next_page = {}, 1
        self._prepare_dialog(f"Previewing {report.name}")
        _freeze_long_lived_objects()
        self._token = self.worker.submit(job)
        self._last_event = Progress("query")
        self.strip_timer.start()
        self.dialog_timer.start()
        return True

    def cancel(self) -> None:
        """Stop the running preview (and the running export)."""
        if self._token is not None:
            self._token.cancel()
        if self._export is not None:
            self._export[1].cancel()

    @property
    def busy(self) -> bool:
        return self._running is not None

    def _prepare_dialog(self, title: str) -> None:
        """Build (or reset) the preview's progress dialog now, before the render takes the GIL."""
        if self._dialog is None:
            self._dialog = ProgressDialog(title, self.window, memory=self._memory(self.worker))
            self._dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            self._dialog.cancel_requested.connect(self.cancel)
        else:
            self._dialog.finish()
            self._dialog.restart(title)
        self.dialog = None

    @staticmethod
    def _memory(worker: RenderWorker) -> Callable[[], float]:
        """What the progress dialog plots as memory: the designer's and its render process's."""
        return lambda: rss_mib() + worker.memory_mib()

    def _show_preview_dialog(self) -> None:
        """The run is long: show its progress dialog (not modal; editing goes on)."""
        if self._running is None or self._dialog is None:
            return
        self.dialog = self._dialog
        self.dialog.update_progress(self.dialog.event)
        self.dialog.show()

    def _show_strip(self) -> None:
        if self._running is not None:
            self.pane.show_progress(self._last_event)

    def _close_preview_dialog(self) -> None:
        self.dialog_timer.stop()
        self.strip_timer.stop()
        if self._dialog is not None:
            self._dialog.finish()
        self.dialog = None

    def _is_current(self, serial: int) -> bool:
        return self._running is not None and serial == self._running.serial

    def _progress(self, serial: int, event: Progress) -> None:
        if self._export is not None and serial == self._export[0].serial:
            self._export[2].update_progress(event)
        elif self._is_current(serial):
            self._last_event = event
            if not self.strip_timer.isActive():
                self.pane.show_progress(event)
            if self._dialog is not None:
                self._dialog.update_progress(event)

    def _chunk(self, serial: int, first: int, last: int, pdf: bytes) -> None:
        """Pages finished early: shown in order as soon as the ones before them are there."""
        if not self._is_current(serial):
            return
        self._chunks[first] = (last, pdf)
        while self._next_page in self._chunks:
            last, data = self._chunks.pop(self._next_page)
            self.pane.add_pages(data, first=self._next_page == 1)
            self._next_page = last + 1
            if self._dialog is not None:
                self._dialog.show_pages_ready(last)

    def _done(self, serial: int, result: JobResult) -> None:
        if self._export is not None and serial == self._export[0].serial:
            self._end_export()
            self.exported.emit(result)
        elif self._is_current(serial):
            self._running = None
            self._close_preview_dialog()
            self.pane.show_progress(None)
            self.last_result = result
            if result.pdf is not None:
                self.pane.show_pdf(result.pdf)
            self.rendered.emit(result)

    def _failed(self, serial: int, error: Any) -> None:
        if self._export is not None and serial == self._export[0].serial:
            job = self._export[0]
            self._end_export()
            self.export_failed(job, error)
        elif self._is_current(serial):
            self._running = None
            self._close_preview_dialog()
            self.pane.show_progress(None)
            self.pane.show_error(error_lines(error))
        else:
            return
        log.info("render failed: %s", "; ".join(error_lines(error)))
        self.failed.emit(error)

    def _cancelled(self, serial: int) -> None:
        if self._export is not None and serial == self._export[0].serial:
            self._end_export()
        elif self._is_current(serial):
            self._running = None
            self._close_preview_dialog()
            self.pane.show_progress(None)

    # -- export ------------------------------------------------------------------------------

    def export(self, target: Path, fmt: str, *, ask: bool = True) -> bool:
        """Render the report to a file (through a temporary file) with the progress dialog."""
        if self._export is not None:
            return False
        report = self.document.report
        trust = self.trust(report)
        if not trust.granted:
            self.export_refused(Path(target), trust.message)
            return False
        params = self.parameters(report, ask=ask)
        if params is None:
            return False
        self._serial += 1
        job = RenderJob(
            report, params, self.base_dir(), fmt=fmt, target=Path(target), serial=self._serial,
            allowed=trust.folders,
        )  # fmt: skip
        dialog = ProgressDialog(
            f"Exporting {Path(target).name}", self.window, memory=self._memory(self.export_worker)
        )
        token = self.export_worker.submit(job, supersede=False)
        dialog.cancel_requested.connect(token.cancel)
        self._export = (job, token, dialog)
        dialog.show()
        return True

    @property
    def exporting(self) -> bool:
        return self._export is not None

    def _end_export(self) -> None:
        assert self._export is not None
        self._export[2].finish()
        self._export[2].deleteLater()
        self._export = None

    def export_refused(self, target: Path, message: str) -> None:
        """Tell the user an export read nothing because its data was not trusted (a hook)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Information, "Not exported", f"{target.name} was not exported",
            QMessageBox.StandardButton.Ok, self.window,
        )  # fmt: skip
        box.setObjectName("exportRefusedBox")
        box.setInformativeText(f"{message} Export again to be asked again.")
        box.open()

    def export_failed(self, job: RenderJob, error: Any) -> None:
        """Tell the user why an export failed (a hook the window may replace)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Critical, "Export failed", f"Cannot export {job.target}",
            QMessageBox.StandardButton.Ok, self.window,
        )  # fmt: skip
        box.setObjectName("exportErrorBox")
        box.setInformativeText("\n".join(error_lines(error)[:20]))
        box.open()


_frozen = False


def _freeze_long_lived_objects() -> None:
    """Before the first render: move every object alive (the application's) out of the collector's sight.

    A full collection walks every tracked object while holding the GIL; triggered by the
    preview's allocations in a process with the whole GUI's objects, it stopped the GUI
    thread for 150-275 ms. Frozen objects are never walked again (gc.freeze), so later full
    collections cover only what previews allocate (1 ms against 60-184 ms, measured over
    4 previews, #17). No `gc.collect()` first: it was itself a 94-207 ms stall on the first
    preview. Once per process.
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
