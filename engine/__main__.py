"""`python -m engine ARGS` → the command line's exit status."""

import gc

# start-up makes no garbage: collection resumes once the report is loaded (engine.cli.startup)
gc.disable()

from .cli import run  # noqa: E402

run(gc_paused=True)
