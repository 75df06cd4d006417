"""The main window's toolbars: its actions in, QToolBars with standard or drawn icons out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QMainWindow, QStyle, QToolBar

#: icon name → painter of a 24 × 24 icon, filled by @icon_painter
PAINTERS: dict[str, Callable[[QPainter], None]] = {}
#: icon name → the style's standard pixmap used for it
STANDARD = {
    "new": QStyle.StandardPixmap.SP_FileIcon,
    "open": QStyle.StandardPixmap.SP_DialogOpenButton,
    "save": QStyle.StandardPixmap.SP_DialogSaveButton,
    "undo": QStyle.StandardPixmap.SP_ArrowBack,
    "redo": QStyle.StandardPixmap.SP_ArrowForward,
    "delete": QStyle.StandardPixmap.SP_TrashIcon,
}
#: actions whose text says what they would do ("Undo Set text"): their tooltip follows it
_LIVE_TEXT = frozenset({"undo", "redo"})
_INK = QColor("#334155")
_ACCENT = QColor("#2563eb")


def icon_painter(name: str) -> Callable[[Callable[[QPainter], None]], Callable[[QPainter], None]]:
    """Register a function that draws an icon on a 24 × 24 canvas."""

    def register(func: Callable[[QPainter], None]) -> Callable[[QPainter], None]:
        PAINTERS[name] = func
        return func

    return register


def drawn_icon(name: str) -> QIcon:
    """A drawn icon at 24 and 48 pixels (the style may have none, and offscreen no theme)."""
    icon = QIcon()
    for size in (24, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(size / 24, size / 24)
        painter.setPen(QPen(_INK, 1.6, c=Qt.PenCapStyle.RoundCap))
        PAINTERS[name](painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def action_icon(name: str) -> QIcon:
    """The style's standard icon for a name when it has one, else a drawn one."""
    if name in STANDARD:
        icon = QApplication.style().standardIcon(STANDARD[name])
        if not icon.isNull():
            return icon
    return drawn_icon(name) if name in PAINTERS else QIcon()


def _bars(p: QPainter, bars: Iterable[tuple[float, float, float, float]]) -> None:
    p.setBrush(_ACCENT)
    p.setPen(Qt.PenStyle.NoPen)
    for x, y, w, h in bars:
        p.drawRoundedRect(QRectF(x, y, w, h), 1, 1)
    p.setPen(QPen(_INK, 1.6))


@icon_painter("cut")
def _cut(p: QPainter) -> None:
    p.drawEllipse(QPointF(7, 18), 3, 3)
    p.drawEllipse(QPointF(17, 18), 3, 3)
    p.drawLine(QPointF(9, 16), QPointF(17, 3))
    p.drawLine(QPointF(15, 16), QPointF(7, 3))


@icon_painter("copy")
def _copy(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(4, 3, 11, 13), 1.5, 1.5)
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(QRectF(9, 8, 11, 13), 1.5, 1.5)


@icon_painter("paste")
def _paste(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(5, 5, 14, 16), 1.5, 1.5)
    p.setBrush(_ACCENT)
    p.drawRoundedRect(QRectF(9, 3, 6, 4), 1, 1)
    p.drawLine(QPointF(8, 12), QPointF(16, 12))
    p.drawLine(QPointF(8, 16), QPointF(14, 16))


@icon_painter("align_left")
def _align_left(p: QPainter) -> None:
    p.drawLine(QPointF(4, 3), QPointF(4, 21))
    _bars(p, [(6, 6, 14, 4), (6, 14, 8, 4)])


@icon_painter("align_right")
def _align_right(p: QPainter) -> None:
    p.drawLine(QPointF(20, 3), QPointF(20, 21))
    _bars(p, [(4, 6, 14, 4), (10, 14, 8, 4)])


@icon_painter("align_top")
def _align_top(p: QPainter) -> None:
    p.drawLine(QPointF(3, 4), QPointF(21, 4))
    _bars(p, [(6, 6, 4, 14), (14, 6, 4, 8)])


@icon_painter("align_bottom")
def _align_bottom(p: QPainter) -> None:
    p.drawLine(QPointF(3, 20), QPointF(21, 20))
    _bars(p, [(6, 4, 4, 14), (14, 10, 4, 8)])


@icon_painter("align_hcenter")
def _align_hcenter(p: QPainter) -> None:
    p.drawLine(QPointF(12, 3), QPointF(12, 21))
    _bars(p, [(5, 6, 14, 4), (8, 14, 8, 4)])


@icon_painter("align_vcenter")
def _align_vcenter(p: QPainter) -> None:
    p.drawLine(QPointF(3, 12), QPointF(21, 12))
    _bars(p, [(6, 5, 4, 14), (14, 8, 4, 8)])


def _magnifier(p: QPainter) -> None:
    p.drawEllipse(QPointF(10, 10), 6, 6)
    p.setPen(QPen(_INK, 2.6, c=Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(14.5, 14.5), QPointF(20, 20))
    p.setPen(QPen(_ACCENT, 1.8, c=Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(7, 10), QPointF(13, 10))


@icon_painter("zoom_in")
def _zoom_in(p: QPainter) -> None:
    _magnifier(p)
    p.drawLine(QPointF(10, 7), QPointF(10, 13))


@icon_painter("zoom_out")
def _zoom_out(p: QPainter) -> None:
    _magnifier(p)


@icon_painter("fit_width")
def _fit_width(p: QPainter) -> None:
    p.drawLine(QPointF(3, 4), QPointF(3, 20))
    p.drawLine(QPointF(21, 4), QPointF(21, 20))
    p.setPen(QPen(_ACCENT, 1.8, c=Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(6, 12), QPointF(18, 12))
    p.drawPolyline([QPointF(9, 9), QPointF(6, 12), QPointF(9, 15)])
    p.drawPolyline([QPointF(15, 9), QPointF(18, 12), QPointF(15, 15)])


def add_toolbar(
    window: QMainWindow, name: str, title: str, actions: Iterable[tuple[QAction, str] | None]
) -> QToolBar:
    """A toolbar of (action, icon name) pairs, None a separator; the actions get the icons.

    The object name keeps it in the saved window state; a button whose icon is missing
    shows its text.
    """
    bar = QToolBar(title, window)
    bar.setObjectName(name)
    bar.setAccessibleName(title)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    for item in actions:
        if item is None:
            bar.addSeparator()
            continue
        action, icon_name = item
        if action.icon().isNull():
            action.setIcon(action_icon(icon_name))
        bar.addAction(action)
        button = bar.widgetForAction(action)
        if action.icon().isNull() and button is not None:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        if icon_name not in _LIVE_TEXT:
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            tip = action.text().replace("&", "").rstrip("…")
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar


def build_toolbars(window: Any) -> dict[str, QToolBar]:
    """The main window's File, Edit, Arrange and View toolbars, by object name."""
    edit, arranging = window.edit_actions, window.edit_actions.arrange_actions
    bars = {
        "fileToolBar": ("File", "&File", [
            (window.new_action, "new"), (window.open_action, "open"), (window.save_action, "save"),
        ]),
        "editToolBar": ("Edit", "&Edit", [
            (window.undo_action, "undo"), (window.redo_action, "redo"), None,
            (edit.cut_action, "cut"), (edit.copy_action, "copy"),
            (edit.paste_action, "paste"), (window.delete_action, "delete"),
        ]),
        "arrangeToolBar": ("Arrange", "&Arrange", [
            (arranging[name], f"align_{name}")
            for name in ("left", "hcenter", "right", "top", "vcenter", "bottom")
        ]),
        "viewToolBar": ("View", "&View", [
            (window.zoom_out_action, "zoom_out"), (window.zoom_in_action, "zoom_in"),
            (window.fit_width_action, "fit_width"),
        ]),
    }  # fmt: skip
    toolbars: dict[str, QToolBar] = {}
    for name, (title, menu_text, actions) in bars.items():
        bar = add_toolbar(window, name, f"{title} toolbar", actions)
        bar.toggleViewAction().setText(menu_text)
        toolbars[name] = bar
    return toolbars
