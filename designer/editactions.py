"""The Edit and Arrange menus' actions: clipboard, duplicate, align, same size, distribute, stacking order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from .arrange import ARRANGEMENTS, arrange
from .clipboard import clipboard_elements, copy_elements, duplicate_command, paste_command
from .commands import RemoveElementsCommand, ReplaceElementsCommand, RestackElementsCommand
from .document import ElementRef, ReportDocument
from .geometry import element_box, resized


class EditActions:
    """Builds the clipboard and arrange actions of one window and runs them on its document."""

    def __init__(
        self,
        document: ReportDocument,
        parent: QWidget,
        band_hint: Callable[[], ElementRef | None] = lambda: None,
    ) -> None:
        self.document = document
        self.parent = parent
        #: the band a paste goes to when nothing is selected (the canvas's last click)
        self.band_hint = band_hint
        self.arrange_actions: dict[str, QAction] = {}

    def _action(self, menu: QMenu, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self.parent)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def add_clipboard_actions(self, menu: QMenu) -> None:
        keys = QKeySequence.StandardKey
        self.cut_action = self._action(menu, "Cu&t", self.cut, keys.Cut)
        self.copy_action = self._action(menu, "&Copy", self.copy, keys.Copy)
        self.paste_action = self._action(menu, "&Paste", self.paste, keys.Paste)
        self.duplicate_action = self._action(menu, "Dup&licate", self.duplicate, "Ctrl+D")

    def add_arrange_actions(self, menu: QMenu) -> None:
        for i, (name, (caption, _)) in enumerate(ARRANGEMENTS.items()):
            if i in (6, 8):  # after the alignments, after the sizes
                menu.addSeparator()
            self.arrange_actions[name] = self._action(
                menu, caption, lambda _=False, n=name: self.arrange(n)
            )
        menu.addSeparator()
        self.front_action = self._action(
            menu, "Bring to &Front", lambda: self.restack(True), "Ctrl+Shift+]"
        )
        self.back_action = self._action(
            menu, "Send to Bac&k", lambda: self.restack(False), "Ctrl+Shift+["
        )

    def selection_changed(self, refs: list[ElementRef]) -> None:
        """Enable what applies to the selection."""
        elements = self.selected_elements()
        for action in (self.cut_action, self.copy_action, self.duplicate_action):
            action.setEnabled(bool(elements))
        for name, action in self.arrange_actions.items():
            action.setEnabled(len(elements) >= (3 if name.startswith("distribute") else 2))
        self.front_action.setEnabled(bool(elements))
        self.back_action.setEnabled(bool(elements))

    # -- running ---------------------------------------------------------------------------

    def selected_elements(self) -> list[ElementRef]:
        return [r for r in self.document.selection if not self.document.is_band(r)]

    def copy(self) -> bool:
        """Copy the selected elements to the system clipboard."""
        return copy_elements(self.document, self.selected_elements())

    def cut(self) -> None:
        """Copy the selected elements, then delete them (one undo step)."""
        refs = self.selected_elements()
        if refs and self.copy():
            command = RemoveElementsCommand(self.document, refs)
            command.setText("Cut element" if len(refs) == 1 else f"Cut {len(refs)} elements")
            self.document.push(command)

    def paste_band(self) -> ElementRef | None:
        """Where a paste goes: the selected band, the band of the selected elements, the last clicked
        band, else the first detail band (or the first band)."""
        doc = self.document
        selection = doc.selection
        if selection:
            return doc.band_ref_of(selection[0])
        hint = self.band_hint()
        if hint is not None and doc.contains(hint):
            return hint
        refs = doc.band_refs()
        details = [r for r in refs if doc.band(r).type == "detail"]
        return (details or list(refs) or [None])[0]

    def paste(self) -> list[ElementRef]:
        """Paste the clipboard's elements into the paste band, offset; selects and returns them."""
        band = self.paste_band()
        elements = clipboard_elements()
        if band is None or not elements:
            return []
        command = paste_command(self.document, band, elements)
        if command is None:
            return []
        self.document.push(command)
        self.document.set_selection(command.refs)
        return list(command.refs)

    def duplicate(self) -> list[ElementRef]:
        """Copy the selected elements beside themselves (the clipboard is left alone)."""
        command = duplicate_command(self.document, self.selected_elements())
        if command is None:
            return []
        self.document.push(command)
        self.document.set_selection(command.refs)
        return list(command.refs)

    def arrange(self, name: str) -> bool:
        """Align, size or distribute the selected elements (in their bands' coordinates); one step."""
        doc = self.document
        refs = self.selected_elements()
        boxes = {r: element_box(doc.element(r)) for r in refs}
        new = arrange(name, boxes)
        if not new:
            return False
        replacements = {r: resized(doc.element(r), box) for r, box in new.items()}
        caption = ARRANGEMENTS[name][0].replace("&", "")
        doc.push(ReplaceElementsCommand(doc, replacements, caption))
        return True

    def restack(self, front: bool) -> None:
        """Bring the selected elements to the front of their bands, or send them to the back."""
        refs = self.selected_elements()
        if refs:
            self.document.push(RestackElementsCommand(self.document, refs, front=front))
