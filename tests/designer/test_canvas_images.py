"""Image elements are drawn with their picture, fitted as they will print."""

from __future__ import annotations

import base64
import json

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage

from designer.canvas.items.image import fitted, load_picture
from engine.access import reset_access
from engine.model import ImageSource


def _png(tmp_path, color: str, w: int = 20, h: int = 10):
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    path = tmp_path / f"{color.strip('#')}.png"
    image.save(str(path))
    return path


def test_file_and_inline_pictures_load(tmp_path):
    path = _png(tmp_path, "#ff0000")
    report = tmp_path / "r.ashr"
    picture = load_picture(ImageSource(file=path.name), report)
    assert picture is not None and (picture.width(), picture.height()) == (20, 10)
    data = base64.b64encode(path.read_bytes()).decode()
    assert load_picture(ImageSource(data=data), None) is not None
    assert load_picture(ImageSource(field="Picture"), report) is None
    assert load_picture(ImageSource(file="gone.png"), report) is None


def test_pictures_a_report_may_not_read_are_not_drawn(tmp_path):
    """Opening a received report must not read outside its folder, block on a FIFO or decode a bomb."""
    import os
    import struct
    import zlib

    reset_access()  # the suite allows pytest's temporary folder (tests/conftest.py): not here
    folder = tmp_path / "reports"
    folder.mkdir()
    report = folder / "r.ashr"
    outside = _png(tmp_path, "#00ff00")  # beside the report's folder, not in it
    assert load_picture(ImageSource(file=f"../{outside.name}"), report) is None
    assert load_picture(ImageSource(file=str(outside)), report) is None
    os.mkfifo(folder / "pipe.png")
    assert load_picture(ImageSource(file="pipe.png"), report) is None  # returns: never blocks
    header = struct.pack(">IIBBBBB", 1_000_000, 1_000_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    bomb = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk
    bomb += struct.pack(">I", zlib.crc32(chunk)) + b"\x00" * 12
    (folder / "bomb.png").write_bytes(bomb)
    assert load_picture(ImageSource(file="bomb.png"), report) is None


@pytest.mark.parametrize(
    ("fit", "target"),
    [("contain", (0, 25, 100, 50)), ("stretch", (0, 0, 100, 100)), ("cover", (0, 0, 100, 100))],
)
def test_fit_modes(fit, target):
    picture = QImage(20, 10, QImage.Format.Format_RGB32)
    rect = QRectF(0, 0, 100, 100)
    got, source = fitted(picture, rect, fit)
    assert (got.x(), got.y(), got.width(), got.height()) == target
    if fit == "cover":
        assert (source.width(), source.height()) == (10, 10)  # the middle square of the picture


def test_image_element_is_painted_with_its_picture(tmp_path, qtbot):
    from designer.canvas import ReportView
    from designer.document import ReportDocument
    from engine.model import load_report

    _png(tmp_path, "#00ff00", 40, 40)
    data = {"format": "ashr", "version": 1, "name": "r", "bands": [{"type": "title", "height": 60, "elements": [
        {"type": "image", "x": 0, "y": 0, "width": 40, "height": 40, "source": {"file": "00ff00.png"}, "fit": "stretch"}]}]}  # fmt: skip
    path = tmp_path / "r.ashr"
    path.write_text(json.dumps(data))
    document = ReportDocument(load_report(path), path)
    view = ReportView(document)
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    item = next(iter(view.report_scene.element_items.values()))
    centre = view.mapFromScene(item.mapToScene(item.content_rect().center()))
    grabbed = view.viewport().grab().toImage()
    colour = QColor(grabbed.pixel(centre))
    assert colour.green() > 200 and colour.red() < 80 and colour.blue() < 80


def test_outline_lists_the_groups(qtbot):
    from designer.document import ReportDocument
    from designer.outline import OutlineTree
    from engine.model import load_report

    from .conftest import INVOICES

    tree = OutlineTree(ReportDocument(load_report(INVOICES)))
    qtbot.addWidget(tree)
    top = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert top[-1] == "Groups"
    groups = tree.topLevelItem(tree.topLevelItemCount() - 1)
    assert groups.child(0).text(0) == "country: BillingCountry"
