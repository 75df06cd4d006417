"""This machine → the facts a benchmark result needs: CPU model, cores, RAM, Python and package versions."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

PACKAGES = ("typst", "pydantic", "SQLAlchemy", "psutil", "reportbro-lib", "pyreportjasper")


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (the platform's processor name elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total_gib() -> float | None:
    """Physical memory from /proc/meminfo, in GiB; None where there is no /proc."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_facts() -> list[tuple[str, str]]:
    """(label, value) pairs describing the machine and the software measured."""
    memory = memory_total_gib()
    facts = [
        ("CPU", cpu_model()),
        ("Cores (logical, usable)", f"{os.cpu_count()} ({len(os.sched_getaffinity(0))})"),
        ("RAM", f"{memory:.1f} GiB" if memory is not None else "unknown"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("Load average at the end (1, 5, 15 min)", " / ".join(f"{v:.2f}" for v in os.getloadavg())),
    ]
    facts += [(name, package_version(name)) for name in PACKAGES]
    return facts
