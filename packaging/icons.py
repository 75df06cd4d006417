"""resources/icons/ashreports.svg → PNGs in the hicolor sizes, an .ico (Windows) and an .icns (macOS), drawn by Qt."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "ashreports.svg"
#: the hicolor theme sizes the .deb installs
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _image(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def render_icons(out: Path, svg: Path = SVG) -> dict[str, Path]:
    """Write `ashreports-SIZE.png` for every size, `ashreports.ico` and `ashreports.icns` into `out`."""
    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for size in SIZES:
        path = out / f"ashreports-{size}.png"
        _image(renderer, size).save(str(path))
        written[str(size)] = path
    for fmt in ("ico", "icns"):
        path = out / f"ashreports.{fmt}"
        if not _image(renderer, 256).save(str(path), fmt.upper()):
            raise SystemExit(f"Qt cannot write {path} (imageformats plugin missing)")
        written[fmt] = path
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons"
    for name, path in render_icons(target).items():
        sys.stdout.write(f"{name}: {path}\n")
