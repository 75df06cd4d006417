"""Where the bundled resources are (from a source checkout or a frozen bundle): a few Path constants, importable without loading anything else."""

from __future__ import annotations

import sys
from pathlib import Path


def _root() -> Path:
    """The folder holding `resources/` and the licence files: the repository, or a PyInstaller bundle's `sys._MEIPASS`."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[1]


#: the repository (or the frozen bundle's data folder)
ROOT = _root()

#: the repository's (or the installed bundle's) resources folder
RESOURCES = ROOT / "resources"

#: fonts shipped with the product (Liberation Sans/Serif/Mono, SIL OFL 1.1)
FONT_DIR = RESOURCES / "fonts"

#: the application icon (SVG; the installers render their PNG/ICO sizes from it)
ICON = RESOURCES / "icons" / "ashreports.svg"

#: the example reports and the Chinook sample database
EXAMPLES_DIR = RESOURCES / "examples"

#: the product's licence and the notices of the third-party components it ships
LICENSE_FILE = ROOT / "LICENSE"
NOTICES_FILE = ROOT / "THIRD_PARTY_NOTICES.md"
