"""Typst source → PDF, PNG and SVG files, and `render_report`, the pipeline from a report to its pages.

Names are imported on first use, so a compile worker process loads only the compiler.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "PDF_STANDARDS": "compiler",
    "Compiled": "compiler",
    "compile_document": "compiler",
    "DATA_FORMATS": "export",
    "ExportResult": "export",
    "RowCounter": "export",
    "export_data": "export",
    "page_paths": "output",
    "write_files": "output",
    "write_stream": "output",
    "RenderResult": "pipeline",
    "render_report": "pipeline",
    "CancelToken": "..progress",
    "Cancelled": "..progress",
    "Progress": "..progress",
    "RenderStats": "telemetry",
    "add_listener": "telemetry",
    "remove_listener": "telemetry",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'engine.render' has no attribute {name!r}")
    return getattr(
        importlib.import_module(module if module.startswith("..") else f".{module}", __name__), name
    )
