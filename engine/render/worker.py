"""What a compile worker process runs: one chunk's Typst source file → its PDF (or page images) on disk."""

from __future__ import annotations

import datetime as dt
import resource
import time
from pathlib import Path
from typing import Any

from .compiler import compile_document


def compile_chunk(task: dict[str, Any]) -> dict[str, Any]:
    """Compile `task["source"]` (a .typ path) and write the result next to it.

    Returns the output paths, warnings, seconds and the worker's peak RSS in MB. Runs in
    a spawned process: it imports only the compiler, not the report model.
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
        out = source.with_name(f"{source.stem}-{i}.{task['fmt']}")
        out.write_bytes(page)
        outputs.append(str(out))
    return {
        "outputs": outputs,
        "warnings": result.warnings,
        "seconds": time.perf_counter() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
