"""A compile worker process: reads chunk tasks as JSON lines on stdin, compiles each, answers on stdout.

Started as `python -m engine.render.worker` by `parallel.WorkerPool`. It imports only the
compiler (not the report model), so it starts in about 0.1 s. A task names a `.typ` file;
the result files are written next to it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import ReportError
from .compiler import compile_document
from .output import write_error


def compile_chunk(task: dict[str, Any]) -> dict[str, Any]:
    """Compile `task["source"]` (a .typ path) and write the outputs next to it.

    Returns the output paths, warnings, seconds and this process's peak RSS in MB.
    """
    started = time.perf_counter()
    source = Path(task["source"])
    timestamp = dt.datetime.fromisoformat(task["timestamp"]) if task.get("timestamp") else None
    result = compile_document(
        source.read_bytes(),
        fmt=task["fmt"],
        ppi=task["ppi"],
        timestamp=timestamp,
        pdf_standards=task["pdf_standards"],
        tagged=task["tagged"],
        root=Path(task["root"]),
    )
    outputs = []
    for i, page in enumerate(result.pages):
        out = source.with_name(f"{source.stem}-{i:05d}.{task['fmt']}")
        out.write_bytes(page)
        outputs.append(str(out))
    return {
        "outputs": outputs,
        "warnings": result.warnings,
        "seconds": time.perf_counter() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    """Exit at once when the process this worker works for is gone (killed with -9 mid-compile:
    nobody is left to read the answer or to remove the chunk folder)."""
    while True:
        time.sleep(every)
        if os.getppid() != parent:
            os._exit(1)


def serve() -> None:
    """Answer tasks from stdin until it closes: one JSON object per line in, one per line out."""
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    for line in sys.stdin:
        if not line.strip():
            continue
        answer: dict[str, Any]
        try:
            answer = {"ok": compile_chunk(json.loads(line))}
        except ReportError as exc:
            answer = {"error": exc.message}
        except OSError as exc:  # the temporary folder is full or gone: say so, naming the file
            failed = write_error(
                Path(exc.filename or "a chunk file"), exc, elsewhere="set TMPDIR to a larger folder"
            )
            answer = {"error": failed.message}
        except Exception as exc:  # report, don't die: the pool maps it to a RenderError
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
