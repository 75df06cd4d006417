"""The live preview: render worker, PyMuPDF page view, progress dialog, export and print."""

from __future__ import annotations

from .controller import PreviewController, declared_defaults, error_lines
from .feature import PreviewFeature
from .job import FORMATS, JobResult, RenderJob, run_job
from .pane import PreviewPane
from .progressdialog import ProgressDialog
from .renderworker import RenderWorker
from .rowcache import RowCache

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
