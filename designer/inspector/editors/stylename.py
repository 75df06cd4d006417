"""The style name editor: a combo of the report's named styles with "(none)" first."""

from __future__ import annotations

from typing import Any

from .base import EditorContext, editor_for
from .listed import ListedChoiceEditor

_NONE_TEXT = "(none)"


@editor_for("style")
class StyleNameEditor(ListedChoiceEditor):
    """The named style an element uses; the list follows the report's styles as they change."""

    def source(self, context: EditorContext) -> tuple[str, ...]:
        return tuple(context.styles)

    def items(self) -> list[tuple[str, Any]]:
        return [(_NONE_TEXT, None), *((name, name) for name in self.known)]

    def names(self) -> list[str]:
        """The style names offered (tests)."""
        return [self.combo.itemText(i) for i in range(self.combo.count())]
