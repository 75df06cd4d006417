"""Where the engine's bundled resources are: a few Path constants, importable without loading anything else."""

from __future__ import annotations

from pathlib import Path

#: the repository's (or the installed bundle's) resources folder
RESOURCES = Path(__file__).resolve().parents[1] / "resources"

#: fonts shipped with the product (Liberation Sans/Serif/Mono, SIL OFL 1.1)
FONT_DIR = RESOURCES / "fonts"
