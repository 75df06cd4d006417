"""Designer benchmark: opening a 500-element report and dragging a 50-element selection, timed; `python -m designer.benchmark`."""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from engine.model import CURRENT_VERSION, Report

#: the budgets the designer is held to
OPEN_BUDGET_S = 1.0
MOVE_BUDGET_MS = 16.0


def big_report(bands: int = 10, per_band: int = 50) -> Report:
    """A report of ``bands`` detail-like bands with ``per_band`` text elements each."""
    types = ["title", "page_header", "column_header", "detail", "summary", "page_footer"]
    data: list[dict[str, Any]] = []
    for b in range(bands):
        band_type = types[b] if b < len(types) else "detail"
        elements = [
            {"type": "field" if i % 2 else "label", "x": float((i % 10) * 52), "y": float((i // 10) * 16),
             "width": 50.0, "height": 14.0,
             **({"field": f"F{i}"} if i % 2 else {"text": f"Label {b}.{i}"})}
            for i in range(per_band)
        ]  # fmt: skip
        data.append({"type": band_type, "height": 82.0, "elements": elements})
    return Report.model_validate(
        {"format": "ashr", "version": CURRENT_VERSION, "name": "bench", "bands": data}
    )


def _send(widget: Any, kind: QMouseEvent.Type, pos: QPoint, button: Any, buttons: Any) -> None:
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def run_benchmark(moves: int = 60) -> dict[str, float]:
    """Time opening the big report and each mouse move of a 50-element drag; returns the numbers."""
    from .app import setup_application
    from .canvas import ReportView
    from .document import ReportDocument

    app = QApplication.instance() or QApplication([sys.argv[0]])
    setup_application(app)
    report = big_report()
    start = time.perf_counter()
    document = ReportDocument(report)
    view = ReportView(document)
    view.resize(1200, 900)
    view.show()
    app.processEvents()
    view.viewport().repaint()
    open_s = time.perf_counter() - start

    band = document.band_refs()[3]
    refs = document.element_refs(band)
    document.set_selection(refs)
    item = view.report_scene.element_items[refs[0]]
    press = view.mapFromScene(item.mapToScene(QPointF(10, 7)))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    viewport = view.viewport()
    _send(viewport, QMouseEvent.Type.MouseButtonPress, press, left, left)
    times = []
    for i in range(1, moves + 1):
        pos = press + QPoint(i * 3, (i % 7) - 3)
        t0 = time.perf_counter()
        _send(viewport, QMouseEvent.Type.MouseMove, pos, none, left)
        times.append((time.perf_counter() - t0) * 1000)
        app.processEvents()  # the repaint a real drag would do between moves
    _send(viewport, QMouseEvent.Type.MouseButtonRelease, pos, left, none)
    return {
        "elements": float(sum(len(b.elements) for b in report.bands)),
        "selected": float(len(refs)),
        "open_s": open_s,
        "move_median_ms": statistics.median(times),
        "move_max_ms": max(times),
        "undo_steps": float(document.undo_stack.count()),
    }


def main() -> int:
    """Print the results; exit status 1 when a budget is missed."""
    r = run_benchmark()
    ok_open = r["open_s"] <= OPEN_BUDGET_S
    ok_move = r["move_max_ms"] <= MOVE_BUDGET_MS
    print(f"designer: open {int(r['elements'])} elements: {r['open_s'] * 1000:.0f} ms "
          f"(budget {OPEN_BUDGET_S * 1000:.0f} ms) {'ok' if ok_open else 'SLOW'}")  # fmt: skip
    print(f"designer: move {int(r['selected'])} selected: mouse move median "
          f"{r['move_median_ms']:.2f} ms, max {r['move_max_ms']:.2f} ms "
          f"(budget {MOVE_BUDGET_MS:.0f} ms) {'ok' if ok_move else 'SLOW'}; "
          f"{int(r['undo_steps'])} undo step")  # fmt: skip
    return 0 if ok_open and ok_move else 1


if __name__ == "__main__":
    raise SystemExit(main())
