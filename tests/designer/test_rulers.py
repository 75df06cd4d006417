"""Rulers and Fit Width: ticks follow zoom and scroll in the user's unit, a marker follows the cursor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from designer.canvas.ruler import tick_steps
from designer.settings import set_unit_preference

from .helpers import band_ref, scene_point, view_point
from .helpers import move as mouse_move


@pytest.fixture
def window(make_window):
    set_unit_preference("mm")
    return make_window()


def test_rulers_follow_zoom_and_scroll(window):
    view = window.view
    top, left = view.rulers
    assert top.isVisible() and left.isVisible() and top.unit == "mm"
    view.set_zoom(1.0)
    origin = top.to_pixel(0.0)
    assert top.to_pixel(72.0) - origin == pytest.approx(72.0, abs=1)
    view.set_zoom(2.0)
    assert top.to_pixel(72.0) - top.to_pixel(0.0) == pytest.approx(144.0, abs=1)
    bar = view.verticalScrollBar()
    bar.setValue(bar.minimum())
    before = left.to_pixel(0.0)
    bar.setValue(bar.minimum() + 50)
    assert bar.value() == bar.minimum() + 50
    assert left.to_pixel(0.0) == pytest.approx(before - 50, abs=1)
    # the vertical ruler counts from each band's top
    detail = view.report_scene.band_items[band_ref(window.document, "detail")]
    assert any(origin == detail.y() for _, _, origin in left.spans())


def test_unit_menu_changes_the_rulers(window):
    window.unit_actions["in"].trigger()
    assert all(r.unit == "in" for r in window.view.rulers)
    assert tick_steps("in", 1.0) == (1.0, 8)
    assert tick_steps("mm", 1.0)[0] == 20.0


def test_marker_follows_the_cursor(window):
    view = window.view
    point = view_point(view, scene_point(view, band_ref(window.document, "detail"), 30, 5))
    mouse_move(view, point)
    top, left = view.rulers
    assert top.cursor == pytest.approx(point.x()) and left.cursor == pytest.approx(point.y())
    mouse_move(view, point + QPoint(10, 0))
    assert top.cursor == pytest.approx(point.x() + 10)


def test_view_rulers_toggles_them(window):
    view = window.view
    width = view.viewport().width()
    window.rulers_action.trigger()
    assert not view.rulers_visible and not view.rulers[0].isVisible()
    assert view.viewport().width() > width
    window.rulers_action.trigger()
    assert view.rulers[0].isVisible()


def test_fit_width_fits_the_page_in_the_view(window):
    view = window.view
    window.resize(1600, 1000)
    window.removeDockWidget(window.properties_dock)
    QApplication.processEvents()
    view.set_zoom(3.0)
    window.fit_width_action.trigger()
    page = view.report_scene.sceneRect().width() * view.zoom
    assert page <= view.viewport().width()
    assert page > view.viewport().width() * 0.8
    window.resize(700, 800)
    QApplication.processEvents()
    window.fit_width_action.trigger()
    assert view.zoom < 1.0  # a narrow window zooms out below 100 %
