"""Undo commands on the report's own lists and page: page setup, groups (with their bands), styles, variables."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from engine.model import Report, report_to_data

from ..document import DocumentState, ElementRef, ReportDocument, new_ref
from ..renames import NAMESPACES, follow_renamed, follow_renamed_groups
from .base import DocumentCommand, StateDraft

#: report keys a SetReportKeyCommand may replace (bands and elements have their own commands)
REPORT_KEYS = frozenset(
    {"page", "groups", "variables", "parameters", "sort", "name", "title", "theme", "data_source"}
)


class SetReportKeyCommand(DocumentCommand):
    """Replace one top-level key of the report (``page``, ``variables``, ``parameters``) in one step.

    Unlike SetPropertyCommand it never merges: each dialog commit is its own undo step.
    ``renames`` (old → new names of variables or parameters) makes every expression of the
    report (and an SQL query's ``:name`` parameters) follow the renamed items in the same step.
    Raises pydantic.ValidationError, before anything changes, when the value is not allowed.
    """

    def __init__(
        self,
        document: ReportDocument,
        key: str,
        value: Any,
        text: str,
        *,
        renames: Mapping[str, str] | None = None,
    ) -> None:
        if key not in REPORT_KEYS:
            raise ValueError(f"{key!r} is not a report key this command sets")
        self.key = key
        self.value = value
        self.renames = {old: new for old, new in (renames or {}).items() if old and old != new}
        if self.renames and key not in NAMESPACES:
            raise ValueError(f"renames follow variables or parameters, not {key!r}")
        super().__init__(document, text)

    def build(self, draft: StateDraft) -> DocumentState:
        report = draft.report.replace(**{self.key: self.value})
        if not self.renames:
            return draft.freeze(report)
        namespace = NAMESPACES[self.key]
        return draft.freeze(
            _followed(draft, report, lambda data: follow_renamed(data, namespace, self.renames))
        )


def _followed(
    draft: StateDraft, report: Report, rewrite: Callable[[dict[str, Any]], None]
) -> Report:
    """``report``'s own keys after ``rewrite`` of the report's data (the designer.renames rules the
    dialogs check with); the bands and elements that changed go into the draft."""
    data = report_to_data(draft.freeze(report).report)
    rewrite(data)
    renamed = Report.model_validate(data)
    for b, band in enumerate(renamed.bands):
        old = draft.bands[b]
        if band.model_copy(update={"elements": old.elements}) != old:
            draft.set_band(draft.band_refs[b], band)
        for e, element in enumerate(band.elements):
            if element != draft.elements[b][e]:
                draft.set_element(draft.element_refs[b][e], element)
    return renamed


class SetGroupsCommand(DocumentCommand):
    """Replace the report's groups; renamed groups carry their bands, variables and scopes along.

    ``add_bands`` are new group header/footer bands (added at the end of the file's band
    list, which print order ignores) and ``remove_bands`` the refs of bands that go with a
    removed group.
    """

    def __init__(
        self,
        document: ReportDocument,
        groups: Sequence[Any],
        text: str,
        *,
        renames: Mapping[str, str] | None = None,
        add_bands: Sequence[Any] = (),
        remove_bands: Sequence[ElementRef] = (),
    ) -> None:
        self.groups = tuple(groups)
        self.renames = {old: new for old, new in (renames or {}).items() if old != new}
        self.add_bands = list(add_bands)
        self.band_refs = [new_ref() for _ in self.add_bands]
        self.remove_bands = list(remove_bands)
        super().__init__(document, text)

    def build(self, draft: StateDraft) -> DocumentState:
        for ref in self.remove_bands:
            draft.take_band(ref)
        report = draft.report.replace(groups=self.groups)
        if self.renames:  # before the new bands go in: they carry the new names already
            renames = self.renames
            report = _followed(draft, report, lambda data: follow_renamed_groups(data, renames))
        for ref, band in zip(self.band_refs, self.add_bands, strict=True):
            draft.insert_band(ref, band)
        return draft.freeze(report)


class SetStylesCommand(DocumentCommand):
    """Replace the report's named styles; elements follow renamed styles and lose removed ones.

    ``renames`` maps old style names to new ones; an element whose ``style`` names a
    removed style has it cleared, in the same step.
    """

    def __init__(
        self,
        document: ReportDocument,
        styles: Sequence[Any],
        text: str,
        *,
        renames: Mapping[str, str] | None = None,
    ) -> None:
        self.styles = tuple(styles)
        self.renames = {old: new for old, new in (renames or {}).items() if old != new}
        super().__init__(document, text)

    def build(self, draft: StateDraft) -> DocumentState:
        names = {s.name for s in self.styles}
        # a reference to a style that was never there is the validator's to report, not ours to drop
        removed = {s.name for s in draft.report.styles} - names - set(self.renames)
        for refs in draft.element_refs:
            for ref in list(refs):
                element = draft.element(ref)
                style = getattr(element, "style", None)
                if style in self.renames:
                    draft.set_element(ref, element.replace(style=self.renames[style]))
                elif style in removed:
                    draft.set_element(ref, element.replace(style=None))
        return draft.freeze(draft.report.replace(styles=self.styles))


class ReorderBandsCommand(DocumentCommand):
    """Put the bands in a new file order (which orders bands of one type, e.g. several details).

    Raises:
        ValueError: when ``order`` is not a permutation of the document's band refs.
    """

    def __init__(
        self, document: ReportDocument, order: Sequence[ElementRef], text: str = "Reorder bands"
    ) -> None:
        self.order = list(order)
        if sorted(self.order) != sorted(document.band_refs()):
            raise ValueError("a band order must list every band exactly once")
        super().__init__(document, text)

    def build(self, draft: StateDraft) -> DocumentState:
        index = [draft.band_index(ref) for ref in self.order]
        draft.bands = [draft.bands[i] for i in index]
        draft.elements = [draft.elements[i] for i in index]
        draft.element_refs = [draft.element_refs[i] for i in index]
        draft.band_refs = list(self.order)
        return draft.freeze()
