"""`python -m engine ARGS` → the command line's exit status."""

from __future__ import annotations

from .startup import pause_gc

pause_gc()  # start-up makes no garbage; collection resumes once the report is loaded

from .cli import run  # noqa: E402

run()
