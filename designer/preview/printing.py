"""PDF bytes and a QPrinter in; the pages rendered by PyMuPDF at the printer's resolution and painted, on a worker thread."""

from __future__ import annotations

import logging

import pymupdf
from PySide6.QtCore import QRectF, QThread, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from engine.render import CancelToken

log = logging.getLogger(__name__)

#: the highest resolution pages are rendered at (a 1200 dpi printer gets 600 dpi images)
MAX_DPI = 600


def page_range(printer: QPrinter, count: int) -> list[int]:
    """0-based page indexes to print: the dialog's range, else every page."""
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or printer.printRange() != QPrinter.PrintRange.PageRange:
        return list(range(count))
    return list(range(max(0, first - 1), min(count, last)))


def print_pdf(
    pdf: bytes, printer: QPrinter, cancel: CancelToken | None = None, on_page: object = None
) -> int:
    """Paint the pages of a PDF on a printer, each fitted to the printable area; returns pages printed.

    QPrinter may be painted from a thread other than the GUI's.
    """
    dpi = min(MAX_DPI, printer.resolution())
    painter = QPainter()
    printed = 0
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        pages = page_range(printer, doc.page_count)
        if not pages or not painter.begin(printer):
            return 0
        try:
            for n, index in enumerate(pages):
                if cancel is not None and cancel.cancelled:
                    printer.abort()
                    break
                if n:
                    printer.newPage()
                pixmap = doc[index].get_pixmap(dpi=dpi, alpha=False)
                image = QImage(
                    pixmap.samples_mv, pixmap.width, pixmap.height, pixmap.stride,
                    QImage.Format.Format_RGB888,
                )  # fmt: skip
                area = printer.pageRect(QPrinter.Unit.DevicePixel)
                target = _fitted(image.width(), image.height(), area.width(), area.height())
                painter.drawImage(target, image)
                del image, pixmap
                printed += 1
                if callable(on_page):
                    on_page(printed, len(pages))
        finally:
            painter.end()
    return printed


def _fitted(width: float, height: float, room_w: float, room_h: float) -> QRectF:
    scale = min(room_w / width, room_h / height)
    return QRectF(0, 0, width * scale, height * scale)


class PrintWorker(QThread):
    """Prints PDF bytes on a QPrinter off the GUI thread; emits `page_printed(done, total)` and `printed(count)`."""

    page_printed = Signal(int, int)
    printed = Signal(int)

    def __init__(self, pdf: bytes, printer: QPrinter) -> None:
        super().__init__()
        self.pdf = pdf
        self.printer = printer
        self.cancel = CancelToken()

    def run(self) -> None:
        try:
            count = print_pdf(
                self.pdf, self.printer, self.cancel, lambda d, t: self.page_printed.emit(d, t)
            )
        except Exception:  # a printer error must not take the thread down
            log.exception("printing failed")
            count = 0
        self.printed.emit(count)
