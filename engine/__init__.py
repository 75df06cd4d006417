"""AshReports engine: .ashr report definitions → filled bands → Typst → PDF, PNG and SVG; headless, no Qt."""

from __future__ import annotations

__version__ = "0.1.0"
