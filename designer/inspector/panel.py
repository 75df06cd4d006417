"""The properties pane: editors for the selected element, band, elements (their shared properties) or the report."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from engine.expr import FUNCTIONS

from ..commands import EditPropertyPartCommand, SetPropertyCommand, band_caption
from ..document import ElementRef, ReportDocument
from ..geometry import get_field
from .descriptors import PropertyDescriptor, descriptors_for
from .editors import EditorContext, PropertyEditor, create_editor

#: properties a multi-selection never edits together (names are unique)
_NOT_SHARED = frozenset({"name"})
#: small headings inside a nested model's group, before the field they name
#: kinds whose editor is a small form or table of its own: a full-width group, no label beside it
_WIDE_KINDS = frozenset({"conditional_styles", "parameters"})
_SECTIONS = {"chart.category": "Data", "chart.stacked": "Layout", "chart.title": "Labels"}

log = logging.getLogger(__name__)


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return str(exc)
    return str(errors[0].get("msg", exc)).removeprefix("Value error, ")


def target_title(document: ReportDocument, target: ElementRef | None) -> str:
    """The pane's heading: ``Report``, ``Band: Group header: country``, ``Field 'total'``."""
    if target is None:
        return f"Report: {document.report.name}"
    model = document.model_of(target)
    if document.is_band(target):
        return f"Band: {band_caption(model)}"
    kind = model.type.replace("_", " ").capitalize()
    return f"{kind} '{model.name}'" if model.name else kind


def shared_descriptors(models: list[Any]) -> list[PropertyDescriptor]:
    """The properties every model has, with the same kind and limits, in the first model's order."""
    first, *rest = models
    others = [{d.path: d for d in descriptors_for(m)} for m in rest]
    return [
        d
        for d in descriptors_for(first)
        if d.path not in _NOT_SHARED and all(o.get(d.path) == d for o in others)
    ]


def shared_value(models: list[Any], path: str) -> Any:
    """The value of a property when all models agree, else None (shown blank)."""
    values = [get_field(m, path) for m in models]
    return values[0] if all(v == values[0] for v in values[1:]) else None


def _form(parent: QWidget) -> QFormLayout:
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


class InspectorPanel(QWidget):
    """Shows one target's properties; every edit is a SetPropertyCommand, every model change refreshes.

    With several elements selected it shows the properties they share: a value where
    they all agree, blank where they differ; an edit sets it on all of them in one step.
    """

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectorPanel")
        self.document = document
        self.target: ElementRef | None = None
        #: the selected elements when there are several (their shared properties are shown)
        self.targets: tuple[ElementRef, ...] = ()
        self.editors: dict[str, PropertyEditor] = {}
        #: the group box of each nested model (stroke, chart, page), by its field name
        self.groups: dict[str, QGroupBox] = {}
        #: the unit lengths are shown and typed in (mm, in, pt)
        self.unit = "pt"
        self._paths: tuple[str, ...] = ()
        self.title = QLabel(self)
        self.title.setObjectName("inspectorTitle")
        self.title.setStyleSheet("font-weight: bold; padding: 4px;")
        self.message = QLabel(self)
        self.message.setObjectName("inspectorMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c; padding: 2px 4px;")
        self.message.hide()
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll, 1)
        document.selection_changed.connect(self._selection_changed)
        document.report_changed.connect(self._report_changed)
        document.fields_changed.connect(self._update_context)
        self.rebuild()

    # -- following the document -------------------------------------------------------

    def _selection_changed(self, refs: list[ElementRef]) -> None:
        elements = [r for r in refs if not self.document.is_band(r)]
        if len(elements) > 1:
            self.set_targets(elements)
        else:
            self.set_target(refs[0] if len(refs) == 1 else None)

    def set_target(self, target: ElementRef | None, note: str = "") -> None:
        """Edit another target (None: the report)."""
        self.target = target
        self.targets = ()
        self.rebuild(note)

    def set_targets(self, refs: list[ElementRef]) -> None:
        """Edit the properties several elements share."""
        self.target = None
        self.targets = tuple(refs)
        self.rebuild()

    def _models(self) -> list[Any]:
        self.targets = tuple(r for r in self.targets if self.document.contains(r))
        if len(self.targets) > 1:
            return [self.document.element(r) for r in self.targets]
        if self.targets:
            self.target, self.targets = self.targets[0], ()
        if self.target is not None and not self.document.contains(self.target):
            self.target = None
        return [self.document.model_of(self.target)]

    def _descriptors(self, models: list[Any]) -> list[PropertyDescriptor]:
        return shared_descriptors(models) if len(models) > 1 else descriptors_for(models[0])

    def _title(self) -> str:
        if self.targets:
            return f"{len(self.targets)} elements selected (shared properties)"
        return target_title(self.document, self.target)

    def context(self) -> EditorContext:
        """The names, locale, styles and unit the editors check, format and offer with."""
        report = self.document.report
        return EditorContext(
            self.document.expression_names(),
            tuple(sorted(FUNCTIONS)),
            report.locale,
            tuple(s.name for s in report.styles),
            self.unit,
            tuple(g.name for g in report.groups),
            self.document.path.parent if self.document.path is not None else None,
        )

    def set_unit(self, unit: str) -> None:
        """Show and read lengths in mm, in or pt from now on."""
        self.unit = unit
        self._update_context()

    def _update_context(self, *_: Any) -> None:
        context = self.context()
        for editor in self.editors.values():
            editor.set_context(context)

    def _report_changed(self, *_: Any) -> None:
        models = self._models()
        paths = tuple(d.path for d in self._descriptors(models))
        if paths != self._paths:
            self.rebuild()
            return
        self._update_context()
        for path, editor in self.editors.items():
            editor.set_value(shared_value(models, path))
        self.title.setText(self._title())

    def rebuild(self, note: str = "") -> None:
        """Recreate the editors for the current target."""
        models = self._models()
        descriptors = self._descriptors(models)
        self._paths = tuple(d.path for d in descriptors)
        self.title.setText(self._title() + (f" ({note})" if note else ""))
        self.message.hide()
        context = self.context()
        form_widget = QWidget()
        column = QVBoxLayout(form_widget)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        column.addLayout(form)
        column.addStretch(1)  # spare height stays below the rows instead of stretching editors
        self.editors = {}
        self.groups = {}
        for descriptor in descriptors:
            row_form, label = self._row_form(form, descriptor)
            editor = create_editor(descriptor, row_form.parentWidget() or form_widget)
            editor.set_context(context)
            editor.set_value(shared_value(models, descriptor.path))
            editor.changed.connect(lambda value, d=descriptor: self._commit(d, value))
            self.editors[descriptor.path] = editor
            row_form.addRow(label, editor)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(form_widget)

    def _row_form(
        self, form: QFormLayout, descriptor: PropertyDescriptor
    ) -> tuple[QFormLayout, str]:
        """The form a property's row goes in and its label: a nested model's fields share a group."""
        head, dot, rest = descriptor.path.partition(".")
        if not dot and descriptor.kind not in _WIDE_KINDS | {"presence"}:
            return form, descriptor.label
        group = self.groups.get(head)
        if group is None:
            group = QGroupBox(descriptor.label.split(" ", 1)[0] if dot else descriptor.label)
            group.setObjectName(f"group:{head}")
            _form(group)
            form.addRow(group)
            self.groups[head] = group
        group_form = group.layout()
        assert isinstance(group_form, QFormLayout)
        if descriptor.path in _SECTIONS:
            heading = QLabel(_SECTIONS[descriptor.path], group)
            heading.setStyleSheet("font-weight: bold; color: #475569; padding-top: 4px;")
            group_form.addRow(heading)
        label = (rest.replace(".", " ").replace("_", " ").capitalize()) if dot else ""
        return group_form, label

    # -- committing --------------------------------------------------------------------

    def _commit(self, descriptor: PropertyDescriptor, value: Any) -> None:
        editor = self.editors.get(descriptor.path)
        try:
            target = self.targets or self.target
            part = editor.part if editor is not None else ""
            command = (
                SetPropertyCommand(self.document, target, descriptor.path, value)
                if part == ""
                else EditPropertyPartCommand(self.document, target, descriptor.path, value, part)
            )
        except ValidationError as exc:
            text = f"{descriptor.label}: {_first_error(exc)}"
            if editor is not None:
                editor.set_error(text)
            self.message.setText(text)
            self.message.show()
            return
        except (ValueError, KeyError) as exc:
            log.warning("cannot set %s: %s", descriptor.path, exc)
            return
        if editor is not None:
            editor.set_error("")
        self.message.hide()
        self.document.push(command)

    def editor(self, path: str) -> PropertyEditor:
        """The editor of a property path (tests and keyboard focus)."""
        return self.editors[path]

    def focus_property(self, path: str) -> PropertyEditor | None:
        """Scroll to and focus the editor of a property path (``expression``, ``stroke.color``).

        A path deeper than any editor (``conditional_styles[0].when``) focuses the editor
        that holds it; None when the target has no such property.
        """
        head = path.split("[", 1)[0]
        candidates = [p for p in self.editors if head == p or head.startswith(p + ".")]
        if not candidates:
            candidates = [p for p in self.editors if p.startswith(head + ".")]
        if not candidates:
            return None
        editor = self.editors[max(candidates, key=len)]
        self.scroll.ensureWidgetVisible(editor)
        target = editor.focusProxy() or editor
        for child in editor.findChildren(QWidget):
            if child.focusPolicy() != Qt.FocusPolicy.NoFocus and child.isEnabled():
                target = child
                break
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return editor
