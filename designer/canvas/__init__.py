"""The canvas pane: a QGraphicsScene of bands and elements and the view that edits it."""

from __future__ import annotations

from .scene import ReportScene
from .view import ReportView

__all__ = ["ReportScene", "ReportView"]
