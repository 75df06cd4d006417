"""Modal dialogs of the Report menu: page setup, bands, groups, variables and parameters."""

from __future__ import annotations

from .bands import BandsDialog
from .groups import GroupsDialog
from .pagesetup import PageSetupDialog
from .parameters import ParametersDialog
from .variables import VariablesDialog

__all__ = [
    "BandsDialog",
    "GroupsDialog",
    "PageSetupDialog",
    "ParametersDialog",
    "VariablesDialog",
]
