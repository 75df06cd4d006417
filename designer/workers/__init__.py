"""QThread workers: slow engine calls (data introspection) off the GUI thread; no widgets here."""

from __future__ import annotations

from .introspection import FieldsWorker

__all__ = ["FieldsWorker"]
