"""`python -m engine ARGS` → the command line's exit status."""

from __future__ import annotations

import sys

from .startup import exit_now, pause_gc

pause_gc()  # start-up makes no garbage; collection resumes once the report is loaded

from .cli import main  # noqa: E402

exit_now(main(sys.argv[1:]))
