"""The image item: an image element drawn with its picture (file or inline data) fitted as it will print."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from engine.access import AccessError, confine, read_regular
from engine.typst.images import PictureError, check_picture

from .element import item_for
from .placeholder import PlaceholderItem


def load_picture(source: Any, report_path: Path | None) -> QImage | None:
    """The picture of a file or inline-data source, or None (a data field; a missing, refused or bad file).

    The file is read as a render reads it: inside the report's folder tree (or a folder the user
    allowed), a regular file under the size cap (a FIFO would block the GUI forever), and its
    header checked before Qt decodes it (a decompression bomb).
    """
    try:
        if source.file:
            base = report_path.parent if report_path is not None else None
            path = confine(source.file, base, what="image")
            raw = read_regular(path, kind="image", what="image")
        elif source.data:
            raw = base64.b64decode(source.data, validate=True)
        else:
            return None
        check_picture(raw)
    except (AccessError, PictureError, OSError, binascii.Error, ValueError):
        return None
    image = QImage()
    return image if image.loadFromData(raw) else None


def fitted(picture: QImage, rect: QRectF, fit: str) -> tuple[QRectF, QRectF]:
    """(target, source) rectangles drawing the picture in `rect` as `contain`, `cover` or `stretch`."""
    source = QRectF(0, 0, picture.width(), picture.height())
    if fit == "stretch" or picture.width() == 0 or picture.height() == 0:
        return rect, source
    scale_x, scale_y = rect.width() / picture.width(), rect.height() / picture.height()
    if fit == "cover":
        scale = max(scale_x, scale_y)
        w, h = rect.width() / scale, rect.height() / scale
        source = QRectF((picture.width() - w) / 2, (picture.height() - h) / 2, w, h)
        return rect, source
    scale = min(scale_x, scale_y)
    w, h = picture.width() * scale, picture.height() * scale
    target = QRectF(rect.x() + (rect.width() - w) / 2, rect.y() + (rect.height() - h) / 2, w, h)
    return target, source


@item_for("image")
class ImageItem(PlaceholderItem):
    """An image element: its picture when the designer can read it, else the labelled placeholder."""

    _cache: tuple[Any, QImage | None] | None = None

    def _picture(self) -> QImage | None:
        scene = self.scene()
        path = getattr(getattr(scene, "document", None), "path", None)
        key = (self.element.source, path)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, load_picture(self.element.source, path))
        return self._cache[1]

    def paint_content(self, painter: QPainter) -> None:
        picture = self._picture()
        if picture is None:
            super().paint_content(painter)
            return
        rect = self.content_rect()
        target, source = fitted(picture, rect, self.element.fit)
        painter.save()
        painter.setClipRect(rect)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, picture, source)
        painter.restore()
