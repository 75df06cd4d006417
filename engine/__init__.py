"""AshReports engine: .ashr report definitions → filled bands → Typst → PDF, PNG and SVG; headless, no Qt.

The public API (docs/api.md): `load_report`, `validate`, `prepare_report`,
`render_report`, `export_data`, with `write_files` to put pages on disk. Names are
imported on first use, so `import engine` stays cheap (a compile worker imports only the
compiler).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_report": "engine.model",
    "read_report": "engine.model",
    "Report": "engine.model",
    "validate": "engine.prepare",
    "prepare_report": "engine.prepare",
    "Prepared": "engine.prepare",
    "render_report": "engine.render",
    "RenderResult": "engine.render",
    "export_data": "engine.render",
    "ExportResult": "engine.render",
    "write_files": "engine.render",
    "page_paths": "engine.render",
    "CancelToken": "engine.progress",
    "Cancelled": "engine.progress",
    "Progress": "engine.progress",
    "ReportError": "engine.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
