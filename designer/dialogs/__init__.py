"""Modal dialogs of the Report menu: data source, page setup, bands, groups, variables, parameters and styles."""

from __future__ import annotations

from .bands import BandsDialog
from .datasource import DataSourceDialog
from .groups import GroupsDialog
from .pagesetup import PageSetupDialog
from .parameters import ParametersDialog
from .styles import StylesDialog
from .variables import VariablesDialog

__all__ = [
    "BandsDialog",
    "DataSourceDialog",
    "GroupsDialog",
    "PageSetupDialog",
    "ParametersDialog",
    "StylesDialog",
    "VariablesDialog",
]
