"""The properties pane: editors for the selected element, band or (nothing selected) the report."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..commands import SetPropertyCommand, band_caption
from ..document import ElementRef, ReportDocument
from ..geometry import get_field
from .descriptors import PropertyDescriptor, descriptors_for
from .editors import PropertyEditor, create_editor

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


class InspectorPanel(QWidget):
    """Shows one target's properties; every edit is a SetPropertyCommand, every model change refreshes."""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectorPanel")
        self.document = document
        self.target: ElementRef | None = None
        self.editors: dict[str, PropertyEditor] = {}
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
        self.rebuild()

    # -- following the document -------------------------------------------------------

    def _selection_changed(self, refs: list[ElementRef]) -> None:
        target = refs[0] if len(refs) == 1 else None
        if len(refs) > 1:
            self.set_target(None, f"{len(refs)} elements selected")
        else:
            self.set_target(target)

    def set_target(self, target: ElementRef | None, note: str = "") -> None:
        """Edit another target (None: the report)."""
        self.target = target
        self.rebuild(note)

    def _model(self) -> Any:
        if self.target is not None and not self.document.contains(self.target):
            self.target = None
        return self.document.model_of(self.target)

    def _report_changed(self, *_: Any) -> None:
        model = self._model()
        paths = tuple(d.path for d in descriptors_for(model))
        if paths != self._paths:
            self.rebuild()
            return
        for path, editor in self.editors.items():
            editor.set_value(get_field(model, path))
        self.title.setText(target_title(self.document, self.target))

    def rebuild(self, note: str = "") -> None:
        """Recreate the editors for the current target."""
        model = self._model()
        descriptors = descriptors_for(model)
        self._paths = tuple(d.path for d in descriptors)
        self.title.setText(
            target_title(self.document, self.target) + (f" ({note})" if note else "")
        )
        self.message.hide()
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors = {}
        for descriptor in descriptors:
            editor = create_editor(descriptor, form_widget)
            editor.set_value(get_field(model, descriptor.path))
            editor.changed.connect(lambda value, d=descriptor: self._commit(d, value))
            self.editors[descriptor.path] = editor
            form.addRow(descriptor.label, editor)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(form_widget)

    # -- committing --------------------------------------------------------------------

    def _commit(self, descriptor: PropertyDescriptor, value: Any) -> None:
        editor = self.editors.get(descriptor.path)
        try:
            command = SetPropertyCommand(self.document, self.target, descriptor.path, value)
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
