"""Typst source → PDF, PNG and SVG files, and `render_report`, the pipeline from a report to its pages."""

from __future__ import annotations

from .compiler import PDF_STANDARDS, Compiled, compile_document, query_document
from .output import page_paths, write_files, write_stream
from .pipeline import RenderResult, ReportRows, order_keys, read_rows, render_report

__all__ = [
    "PDF_STANDARDS", "Compiled", "RenderResult", "ReportRows", "compile_document", "order_keys", "page_paths",
    "query_document", "read_rows", "render_report", "write_files", "write_stream",
]  # fmt: skip
