"""The properties pane: property descriptors from the model, editors by value kind, and the panel."""

from __future__ import annotations

from .descriptors import PropertyDescriptor, descriptors_for
from .panel import InspectorPanel

__all__ = ["InspectorPanel", "PropertyDescriptor", "descriptors_for"]
