"""The progress dialog: a render's Progress events in; stage, rows, elapsed time, estimate, live rows/s and memory plots out, and Cancel."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGraphicsItem,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from engine.render import Progress

if TYPE_CHECKING:
    import pyqtgraph as pg


_preload_lock = threading.Lock()
_preloading = False


def preload_plots() -> None:
    """Import pyqtgraph in a background thread (once), so the first progress dialog does not stop the GUI for it."""
    global _preloading
    with _preload_lock:
        if _preloading or "pyqtgraph" in sys.modules:
            return
        _preloading = True
    # not a daemon: an import cut off at interpreter exit can abort the process
    threading.Thread(target=_pyqtgraph, name="ashr-preload-plots").start()


def _pyqtgraph() -> Any:
    """pyqtgraph, imported when the first dialog is built (~0.5 s with numpy: not at start-up)."""
    import pyqtgraph

    return pyqtgraph


#: what each engine stage means to a user
STAGE_TEXT = {
    "query": "Reading rows",
    "fill": "Filling bands",
    "layout": "Laying out pages",
    "compile": "Typesetting",
    "merge": "Merging pages",
    "write": "Writing",
    "done": "Done",
}
#: seconds between two samples of the plots
SAMPLE_SECONDS = 0.5
#: samples kept (two minutes)
MAX_SAMPLES = 240
#: pixels of the value axis (room for "2,000,000")
AXIS_WIDTH = 56


def describe(event: Progress) -> str:
    """One line for a person: `Reading rows — 12,000 of 100,000 rows — 3 pages`."""
    parts = [STAGE_TEXT.get(event.stage, event.stage)]
    if event.rows_read:
        total = f" of {event.rows_total:,}" if event.rows_total else ""
        parts.append(f"{event.rows_read:,}{total} rows")
    if event.pages:
        parts.append(f"{event.pages:,} pages")
    if event.chunks_total:
        parts.append(f"{event.chunks_done} of {event.chunks_total} page sets typeset")
    return " — ".join(parts)


def rss_mib() -> float:
    """This process's resident memory now (MiB)."""
    import psutil  # read when a render runs, not at start-up

    return psutil.Process().memory_info().rss / 2**20


def estimate(event: Progress, elapsed: float) -> float | None:
    """Seconds left, when the share done can be told (rows out of a known total, or page sets)."""
    percent = event.percent
    if percent is None or percent <= 1 or event.stage == "done":
        return None
    return elapsed * (100 - percent) / percent


def nice_ceiling(value: float) -> float:
    """The next of 1, 2, 5, 10, 20, 50, … at or above `value` (axis ends that change seldom)."""
    step = 1.0
    while step < value:
        for factor in (2, 2.5, 2):
            step *= factor
            if step >= value:
                break
    return step


def _fit_range(widget: pg.PlotWidget, first: float, last: float, top: float) -> None:
    view = widget.getPlotItem().getViewBox()
    (x0, x1), (_, y1) = view.viewRange()
    wanted_x = (30.0 * (first // 30), max(10.0, nice_ceiling(last)))
    if (x0, x1) != wanted_x:
        widget.setXRange(*wanted_x, padding=0)
    wanted_y = nice_ceiling(top * 1.1) if top > 0 else 1.0
    if y1 != wanted_y:
        widget.setYRange(0, wanted_y, padding=0)


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class ProgressDialog(QDialog):
    """Follows one render: call `update_progress(event)`; emits `cancel_requested` on Cancel."""

    cancel_requested = Signal()

    def __init__(
        self,
        title: str,
        parent: QWidget | None = None,
        *,
        memory: Callable[[], float] = rss_mib,
    ) -> None:
        super().__init__(parent)
        #: the memory plotted (MiB): by default this process's
        self.memory_source = memory
        self.setObjectName("progressDialog")
        self.setWindowTitle(title)
        self.setModal(False)
        self.started = time.perf_counter()
        self.event = Progress("query")
        self._last = (self.started, 0)
        self.times: list[float] = []
        self.rates: list[float] = []
        self.memory: list[float] = []
        self.stage_label = QLabel(STAGE_TEXT["query"])
        self.stage_label.setObjectName("progressStage")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.rows_label = QLabel("0")
        self.pages_label = QLabel("—")
        self.elapsed_label = QLabel("0:00")
        self.elapsed_label.setObjectName("progressElapsed")
        self.estimate_label = QLabel("—")
        self.estimate_label.setObjectName("progressEstimate")
        form = QFormLayout()
        form.addRow("Rows read:", self.rows_label)
        form.addRow("Pages:", self.pages_label)
        form.addRow("Elapsed:", self.elapsed_label)
        form.addRow("Time left:", self.estimate_label)
        pg = _pyqtgraph()
        pg.setConfigOptions(antialias=False, foreground="#374151", background="w")
        self.rate_plot = self._plot("Rows per second", "#2563eb")
        self.memory_plot = self._plot("Memory (MiB)", "#dc2626")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stage_label)
        layout.addWidget(self.bar)
        layout.addLayout(form)
        layout.addWidget(self.rate_plot[0])
        layout.addWidget(self.memory_plot[0])
        layout.addWidget(buttons)
        self.resize(460, 520)
        self.timer = QTimer(self, interval=int(SAMPLE_SECONDS * 1000))
        self.timer.timeout.connect(self._sample)
        self.restart(title)

    def restart(self, title: str) -> None:
        """Follow a new render from now (a dialog is built ahead, while no render competes for the GIL)."""
        self.setWindowTitle(title)
        self.started = time.perf_counter()
        self.event = Progress("query")
        self._last = (self.started, 0)
        self.times, self.rates, self.memory = [], [], []
        self.cancel_button.setEnabled(True)
        self.pages_label.setText("—")
        self.update_progress(self.event)
        self.timer.start()
        self._sample()

    def _plot(self, title: str, colour: str) -> tuple[pg.PlotWidget, pg.PlotDataItem]:
        pg = _pyqtgraph()
        widget = pg.PlotWidget()
        widget.setObjectName(title)
        widget.setMinimumHeight(130)
        widget.setTitle(title, size="9pt")
        widget.setMouseEnabled(x=False, y=False)
        widget.hideButtons()
        widget.showGrid(x=True, y=True, alpha=0.25)
        widget.setLabel("bottom", "seconds")
        widget.disableAutoRange()  # ranges move in steps (`_fit_range`): the axes redraw rarely
        widget.setXRange(0, 10, padding=0)
        widget.setYRange(0, 1, padding=0)
        curve = widget.plot([], [], pen=pg.mkPen(colour, width=2))
        # an axis (with its grid lines) is replayed from a QPicture on every repaint of the plot;
        # cached as a pixmap it is drawn again only when its range moves (half the GUI time).
        # Fixed sizes and no SI prefix: a new range does not lay the plot out again
        item = widget.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.enableAutoSIPrefix(False)
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.getAxis("left").setWidth(AXIS_WIDTH)
        return widget, curve

    def update_progress(self, event: Progress) -> None:
        """Show what the render reported last."""
        self.event = event
        self.stage_label.setText(describe(event))
        percent = event.percent
        if percent is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 100)
            self.bar.setValue(int(percent))
        total = f" of {event.rows_total:,}" if event.rows_total else ""
        self.rows_label.setText(f"{event.rows_read:,}{total}")
        if event.pages:
            self.pages_label.setText(f"{event.pages:,}")

    def show_pages_ready(self, count: int) -> None:
        """The first `count` pages are typeset (and shown in the preview) while the rest renders."""
        self.pages_label.setText(f"{count:,} ready")

    def _sample(self) -> None:
        now = time.perf_counter()
        elapsed = now - self.started
        self.elapsed_label.setText(_duration(elapsed))
        left = estimate(self.event, elapsed)
        self.estimate_label.setText(f"about {_duration(left)}" if left is not None else "—")
        last_time, last_rows = self._last
        rate = (self.event.rows_read - last_rows) / max(1e-6, now - last_time)
        self._last = (now, self.event.rows_read)
        self.times.append(elapsed)
        self.rates.append(max(0.0, rate))
        self.memory.append(self.memory_source())
        del self.times[:-MAX_SAMPLES], self.rates[:-MAX_SAMPLES], self.memory[:-MAX_SAMPLES]
        for (widget, curve), values in (
            (self.rate_plot, self.rates),
            (self.memory_plot, self.memory),
        ):
            curve.setData(self.times, values)
            _fit_range(widget, self.times[0], elapsed, max(values))

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.stage_label.setText("Cancelling…")
        self.cancel_requested.emit()

    def finish(self) -> None:
        """The render ended (done, failed or cancelled): stop sampling and hide."""
        self.timer.stop()
        self.hide()

    def reject(self) -> None:  # Escape and the close button cancel too
        if self.timer.isActive():
            self._cancel()
        else:
            super().reject()
