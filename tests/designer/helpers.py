"""Helpers of the designer tests: find bands and elements, drive the canvas with real mouse events."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication


def band_ref(document, band_type):
    """The ref of the first band of a type."""
    for ref, band in zip(document.band_refs(), document.report.bands, strict=True):
        if band.type == band_type:
            return ref
    raise LookupError(band_type)


def element_ref(document, band_type, index=0):
    return document.element_refs(band_ref(document, band_type))[index]


def scene_point(view, band_ref_, x, y):
    """Scene point of (x, y) points inside a band."""
    band = view.report_scene.band_items[band_ref_]
    return band.mapToScene(QPointF(x, y))


def view_point(view, scene_pos) -> QPoint:
    return view.mapFromScene(scene_pos)


def _send(view, kind, pos: QPoint, button, buttons, modifiers=Qt.KeyboardModifier.NoModifier):
    viewport = view.viewport()
    local = QPointF(pos)
    event = QMouseEvent(kind, local, QPointF(viewport.mapToGlobal(pos)), button, buttons, modifiers)
    QApplication.sendEvent(viewport, event)


def drag(view, start: QPoint, end: QPoint, steps=5, modifiers=Qt.KeyboardModifier.NoModifier):
    """A real left-button press, moves and release on the view's viewport."""
    left = Qt.MouseButton.LeftButton
    none = Qt.MouseButton.NoButton
    _send(view, QMouseEvent.Type.MouseButtonPress, start, left, left, modifiers)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        _send(view, QMouseEvent.Type.MouseMove, p, none, left, modifiers)
    _send(view, QMouseEvent.Type.MouseButtonRelease, end, left, none, modifiers)


def click(view, pos: QPoint, modifiers=Qt.KeyboardModifier.NoModifier):
    drag(view, pos, pos, steps=0, modifiers=modifiers)


def press(view, pos: QPoint):
    left = Qt.MouseButton.LeftButton
    _send(view, QMouseEvent.Type.MouseButtonPress, pos, left, left)


def move(view, pos: QPoint):
    _send(view, QMouseEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton)


def release(view, pos: QPoint):
    left = Qt.MouseButton.LeftButton
    _send(view, QMouseEvent.Type.MouseButtonRelease, pos, left, Qt.MouseButton.NoButton)
