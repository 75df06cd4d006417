"""The AshReports desktop designer (PySide6): edits `.ashr` reports through undoable commands."""
