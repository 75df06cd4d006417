"""The live preview: render worker, PyMuPDF page view, progress dialog, export and print."""

from __future__ import annotations

from designer.renderhost.job import FORMATS, JobResult, RenderJob, run_job
from designer.renderhost.rowcache import RowCache

from .controller import PreviewController, declared_defaults, error_lines
from .feature import PreviewFeature
from .pane import PreviewPane
from .progressdialog import ProgressDialog
from .renderworker import RenderWorker

__all__ = [
    "FORMATS",
    "JobResult",
    "PreviewController",
    "PreviewFeature",
    "PreviewPane",
    "ProgressDialog",
    "RenderJob",
    "RenderWorker",
    "RowCache",
    "declared_defaults",
    "error_lines",
    "run_job",
]
