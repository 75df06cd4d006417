"""The preview pane: a toolbar (pages, zoom, search), the page view, a progress strip and the last error."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engine.render import Progress

from .pagerenderer import PageRenderer
from .pageview import PageView
from .progressdialog import describe


class PreviewPane(QWidget):
    """Shows a rendered PDF; `show_pdf`, `add_pages`, `show_progress` and `show_error` feed it."""

    #: the user asked to cancel the running render
    cancel_requested = Signal()
    #: the user asked to read the data again (Refresh Data)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self.renderer = PageRenderer()
        self.view = PageView(self.renderer, self)
        self.needle = ""
        self.hits: dict[int, list[QRectF]] = {}
        self.hit_total: int | None = None
        self.current_hit: tuple[int, int] | None = None
        self._hits_generation = 0
        self._kept_hit: tuple[int, int] | None = None
        self._build_toolbar()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("previewError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(
            "QLabel { background: #fde8e8; color: #7f1d1d; border: 1px solid #f5b5b5;"
            " border-radius: 3px; padding: 6px; }"
        )
        self.error_label.hide()
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("previewProgress")
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setMaximumHeight(18)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("previewCancel")
        self.cancel_button.clicked.connect(self.cancel_requested)
        strip = QHBoxLayout()
        strip.setContentsMargins(4, 0, 4, 0)
        strip.addWidget(self.progress_bar, 1)
        strip.addWidget(self.cancel_button)
        self.progress_strip = QWidget(self)
        self.progress_strip.setLayout(strip)
        self.progress_strip.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress_strip)
        layout.addWidget(self.view, 1)
        self.view.current_page_changed.connect(self._page_changed)
        self.view.zoom_changed.connect(self._zoom_changed)
        self.view.pages_changed.connect(self._loaded)
        self.renderer.found.connect(self._found)
        self.renderer.search_finished.connect(self._search_finished)
        self._update_page_box()
        self._zoom_changed(self.view.zoom)

    def _build_toolbar(self) -> None:
        bar = self.toolbar = QToolBar("Preview", self)
        bar.setObjectName("previewToolbar")
        self.search_bar = QToolBar("Find", self)
        self.search_bar.setObjectName("previewSearchBar")
        style = self.style()
        icons = QStyle.StandardPixmap

        def add(
            text: str,
            tip: str,
            slot: object,
            shortcut: str | None = None,
            icon: QStyle.StandardPixmap | None = None,
        ) -> QAction:
            action = bar.addAction(text)
            if icon is not None:  # icon-only buttons; the text is their accessible name
                action.setIcon(style.standardIcon(icon))
            action.setToolTip(tip + (f" ({shortcut})" if shortcut else ""))
            action.triggered.connect(slot)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            return action

        self.first_action = add(
            "First",
            "First page",
            lambda: self.view.go_to_page(0),
            "Home",
            icons.SP_MediaSkipBackward,
        )
        self.prev_action = add(
            "Previous",
            "Previous page",
            lambda: self.view.go_to_page(self.view.current_page() - 1),
            "PgUp",
            icons.SP_ArrowUp,
        )
        self.page_box = QSpinBox(bar)
        self.page_box.setObjectName("previewPageBox")
        self.page_box.setAccessibleName("Page number")
        self.page_box.setKeyboardTracking(False)
        self.page_box.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_box.valueChanged.connect(lambda v: self.view.go_to_page(v - 1))
        bar.addWidget(self.page_box)
        self.next_action = add(
            "Next",
            "Next page",
            lambda: self.view.go_to_page(self.view.current_page() + 1),
            "PgDown",
            icons.SP_ArrowDown,
        )
        self.last_action = add(
            "Last",
            "Last page",
            lambda: self.view.go_to_page(self.view.page_count - 1),
            "End",
            icons.SP_MediaSkipForward,
        )
        bar.addSeparator()
        self.zoom_out_action = add("−", "Zoom out (Ctrl+wheel)", self.view.zoom_out)
        self.zoom_label = QLabel("100 %", bar)
        self.zoom_label.setObjectName("previewZoom")
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar.addWidget(self.zoom_label)
        self.zoom_in_action = add("+", "Zoom in (Ctrl+wheel)", self.view.zoom_in)
        self.fit_width_action = add("Fit Width", "Fit the page width", self.view.fit_width)
        self.fit_page_action = add("Fit Page", "Show whole pages", self.view.fit_page)
        bar.addSeparator()
        bar = self.search_bar
        self.search_box = QLineEdit(bar)
        self.search_box.setObjectName("previewSearch")
        self.search_box.setPlaceholderText("Find in preview…")
        self.search_box.setAccessibleName("Find in preview")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self.search)
        self.search_box.returnPressed.connect(self.find_next)
        bar.addWidget(self.search_box)
        self.find_prev_action = add("▲", "Previous match", self.find_previous, "Shift+F3")
        self.find_next_action = add("▼", "Next match", self.find_next, "F3")
        self.match_label = QLabel("", bar)
        self.match_label.setObjectName("previewMatches")
        bar.addWidget(self.match_label)
        bar.addSeparator()
        self.refresh_action = add(
            "Refresh Data", "Read the data source again", self.refresh_requested.emit
        )

    # -- what the controller feeds ---------------------------------------------------------

    def show_pdf(self, pdf: bytes) -> None:
        """Show a finished PDF (replacing what is shown, keeping the scroll position)."""
        self.error_label.hide()
        self.renderer.load(pdf)

    def add_pages(self, pdf: bytes, *, first: bool) -> None:
        """Show pages finished early: `first` starts a new document, else they are appended."""
        self.error_label.hide()
        if first:
            self.renderer.load(pdf)
        else:
            self.renderer.append(pdf)

    def show_progress(self, event: Progress | None) -> None:
        """Show a render's progress in the strip; None hides it."""
        if event is None:
            self.progress_strip.hide()
            return
        percent = event.percent
        if percent is None:
            self.progress_bar.setRange(0, 0)
        else:
            self.progress_bar.setRange(0, 100)
            self.progress_bar.setValue(int(percent))
        self.progress_bar.setFormat(describe(event))
        self.progress_strip.show()

    def show_error(self, lines: list[str]) -> None:
        """Show why the last render failed (the pages of the last good render stay)."""
        self.error_label.setText("The preview could not be rendered:\n" + "\n".join(lines[:12]))
        self.error_label.show()

    # -- page box, zoom ----------------------------------------------------------------------

    def _loaded(self, generation: int) -> None:
        if generation != self._hits_generation:  # a new document: its hits come anew
            self._hits_generation = generation
            # a re-render after an edit keeps the match the user was on, without scrolling
            self._kept_hit = self.current_hit
            self.hits, self.hit_total, self.current_hit = {}, None, None
            self.view.set_hits({}, None)
            self._update_matches()
        self._update_page_box()

    def _update_page_box(self) -> None:
        count = self.view.page_count
        self.page_box.blockSignals(True)
        self.page_box.setRange(1 if count else 0, max(count, 1) if count else 0)
        self.page_box.setSuffix(f" / {count}")
        self.page_box.setValue(self.view.current_page() + 1)
        self.page_box.blockSignals(False)
        for action in (self.first_action, self.prev_action, self.next_action, self.last_action):
            action.setEnabled(count > 0)

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)

    def _zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(zoom * 100)} %")

    # -- search ------------------------------------------------------------------------------

    def search(self, text: str) -> None:
        """Highlight every occurrence of `text` (case-insensitive) on every page."""
        self.needle = text.strip()
        self._kept_hit = None
        self.hits = {}
        self.hit_total = None
        self.current_hit = None
        self.renderer.search(self.needle)
        self.view.set_hits({}, None)
        self._update_matches()

    def _found(self, generation: int, needle: str, page: int, rects: list[QRectF]) -> None:
        if generation != self.renderer.generation or needle != self.needle:
            return
        self.hits[page] = rects
        kept = self._kept_hit
        if kept is not None and kept[0] == page and kept[1] < len(rects):
            self.current_hit, self._kept_hit = kept, None
        elif self.current_hit is None and kept is None:
            self.current_hit = (page, 0)
            self.view.ensure_visible(page, rects[0])
        self.view.set_hits(self.hits, self.current_hit)
        self._update_matches()

    def _search_finished(self, generation: int, needle: str, total: int) -> None:
        if generation == self.renderer.generation and needle == self.needle:
            self.hit_total = total
            self._update_matches()

    def _ordered_hits(self) -> list[tuple[int, int]]:
        return [(p, i) for p in sorted(self.hits) for i in range(len(self.hits[p]))]

    def _step(self, delta: int) -> None:
        order = self._ordered_hits()
        if not order:
            return
        index = order.index(self.current_hit) if self.current_hit in order else -delta
        self.current_hit = order[(index + delta) % len(order)]
        page, i = self.current_hit
        self.view.ensure_visible(page, self.hits[page][i])
        self.view.set_hits(self.hits, self.current_hit)
        self._update_matches()

    def find_next(self) -> None:
        self._step(1)

    def find_previous(self) -> None:
        self._step(-1)

    def _update_matches(self) -> None:
        order = self._ordered_hits()
        if not self.needle:
            text = ""
        elif not order:
            text = "searching…" if self.hit_total is None else "no matches"
        else:
            at = order.index(self.current_hit) + 1 if self.current_hit in order else 0
            total = len(order) if self.hit_total is not None else f"{len(order)}+"
            text = f"{at} of {total}"
        self.match_label.setText(text)
