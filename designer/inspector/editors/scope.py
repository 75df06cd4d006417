"""The scope editor: the rows an aggregate or chart covers, ``report``, ``page`` or ``group:NAME`` of the report's groups."""

from __future__ import annotations

from typing import Any

from .base import EditorContext, editor_for
from .listed import ListedChoiceEditor

_FIXED = (("Whole report", "report"), ("Page", "page"))


def scope_choices(groups: tuple[str, ...]) -> list[tuple[str, str]]:
    """(text, value) of every scope a report with these groups offers."""
    return [*_FIXED, *((f"Group: {g}", f"group:{g}") for g in groups)]


@editor_for("scope")
class ScopeEditor(ListedChoiceEditor):
    """A scope picked from a list that follows the report's groups; a group that is gone stays, marked."""

    def source(self, context: EditorContext) -> tuple[str, ...]:
        return tuple(context.groups)

    def items(self) -> list[tuple[str, Any]]:
        none = [("(none)", None)] if self.descriptor.optional else []
        return [*none, *scope_choices(self.known)]

    def missing(self, value: Any) -> str:
        return f"{value} (missing group)"

    @property
    def groups(self) -> tuple[str, ...]:
        return self.known

    def choices(self) -> list[str]:
        """The scope values offered (tests)."""
        return [self.combo.itemData(i) for i in range(self.combo.count())]

    def pick(self, scope: str) -> None:
        """Choose a scope as the user would in the list."""
        self.combo.setCurrentIndex(self.combo.findData(scope))
