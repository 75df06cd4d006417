"""Undo commands on the report's own lists and page: page setup, groups (with their bands), styles, variables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.model import Report, report_to_data

from ..document import DocumentState, ElementRef, ReportDocument, new_ref
from ..renames import NAMESPACES, follow_renamed
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
        data = report_to_data(draft.freeze(report).report)
        follow_renamed(data, NAMESPACES[self.key], self.renames)
        renamed = Report.model_validate(data)
        for b, band in enumerate(renamed.bands):
            if band.print_when != draft.bands[b].print_when:
                draft.set_band(
                    draft.band_refs[b], draft.bands[b].replace(print_when=band.print_when)
                )
            for e, element in enumerate(band.elements):
                if element != draft.elements[b][e]:
                    draft.set_element(draft.element_refs[b][e], element)
        return draft.freeze(renamed)


def _renamed_scope(scope: str, renames: Mapping[str, str]) -> str:
    if scope.startswith("group:") and scope[6:] in renames:
        return f"group:{renames[scope[6:]]}"
    return scope


def _renamed_element(element: Any, renames: Mapping[str, str]) -> Any:
    """The element with aggregate and chart scopes of renamed groups following the new names."""
    scope = getattr(element, "scope", None)
    if isinstance(scope, str) and _renamed_scope(scope, renames) != scope:
        element = element.replace(scope=_renamed_scope(scope, renames))
    chart = getattr(element, "chart", None)
    if chart is not None and _renamed_scope(chart.scope, renames) != chart.scope:
        element = element.replace(chart=chart.replace(scope=_renamed_scope(chart.scope, renames)))
    return element


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
        renames = self.renames
        if renames:
            for b, ref in enumerate(list(draft.band_refs)):
                band = draft.bands[b]
                group = getattr(band, "group", None)
                if group in renames:
                    draft.set_band(ref, band.replace(group=renames[group]))
                for element_ref in list(draft.element_refs[b]):
                    element = draft.element(element_ref)
                    changed = _renamed_element(element, renames)
                    if changed is not element:
                        draft.set_element(element_ref, changed)
        for ref, band in zip(self.band_refs, self.add_bands, strict=True):
            draft.insert_band(ref, band)
        variables = tuple(
            v.replace(reset_group=renames[v.reset_group]) if v.reset_group in renames else v
            for v in draft.report.variables
        )
        return draft.freeze(draft.report.replace(groups=self.groups, variables=variables))


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
