"""The canvas pane: a QGraphicsScene of bands and elements and the view that edits it."""

from __future__ import annotations

from .ruler import RulerWidget
from .scene import ReportScene
from .view import MAX_ZOOM, MIN_ZOOM, ReportView

__all__ = ["MAX_ZOOM", "MIN_ZOOM", "ReportScene", "ReportView", "RulerWidget"]
