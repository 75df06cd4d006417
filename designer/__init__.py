"""The AshReports desktop designer (PySide6): edits `.ashr` reports through undoable commands."""

# pydantic imports lazily; shiboken's import hook (active once PySide6 is imported) inspects
# half-imported modules and breaks that, so the engine's models are loaded first
import engine.model  # noqa: F401
